/** What the runner needs from a target: a fresh session per case, and its capabilities. */

/** One fresh saver. `call` resolves to the canonical result or rejects with what the saver threw. */
export interface Session {
  call(op: string, args: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
  /** The session's saver itself, for graph scenarios (spec/README.md section 8); absent when it could not be made. */
  readonly saver?: object;
}

export interface Target {
  readonly name: string;
  readonly language: string;
  readonly capabilities: ReadonlySet<string>;
  readonly libraries: Readonly<Record<string, string>>;
  open(): Promise<Session>;
}
