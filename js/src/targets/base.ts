/** What the runner needs from a target: a fresh session per case, and its capabilities. */

/** One fresh saver. `call` resolves to the canonical result or rejects with what the saver threw. */
export interface Session {
  call(op: string, args: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

export interface Target {
  readonly name: string;
  readonly language: string;
  readonly capabilities: ReadonlySet<string>;
  readonly libraries: Readonly<Record<string, string>>;
  open(): Promise<Session>;
}
