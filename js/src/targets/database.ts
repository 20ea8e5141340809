/** What the SQLite and PostgreSQL targets share: a saver per case whose storage may fail to open. */

import { TargetError, describeError } from "../errors.js";
import { installedVersion, libraryVersions } from "../versions.js";
import type { Session, Target } from "./base.js";
import { invoke, saverCapabilities } from "./saver.js";

type Saver = Record<string, unknown>;

/** A case's saver and how to release what it holds (connections, files). */
export interface Opened {
  readonly saver: object;
  release(): Promise<void>;
}

/** The case's storage could not be opened (for example, the database server went away). */
export class StorageUnavailable extends Error {
  override name = "StorageUnavailable";
}

class DatabaseSession implements Session {
  constructor(private readonly opened: Opened) {}

  get saver(): object {
    return this.opened.saver;
  }

  call(op: string, args: Record<string, unknown>): Promise<unknown> {
    return invoke(this.opened.saver as Saver, op, args);
  }

  close(): Promise<void> {
    return this.opened.release();
  }
}

/** A session whose saver could not be made: every step throws, so the case fails with the reason. */
class UnavailableSession implements Session {
  constructor(private readonly reason: string) {}

  call(): Promise<unknown> {
    return Promise.reject(new StorageUnavailable(this.reason));
  }

  async close(): Promise<void> {
    // Nothing was opened.
  }
}

/**
 * A target whose fresh saver per case lives in a database. Opening a case's
 * storage can fail once the run is under way (the server stops); that case then
 * fails with the reason instead of ending the run.
 */
export class DatabaseTarget implements Target {
  readonly language = "typescript";

  private constructor(
    readonly name: string,
    private readonly opener: () => Promise<Opened>,
    private readonly describeFailure: (error: unknown) => string,
    readonly libraries: Readonly<Record<string, string>>,
    readonly capabilities: ReadonlySet<string>,
  ) {}

  /** Build a target; one case's storage is opened (and released) to learn the saver's capabilities. */
  static async create(
    name: string,
    opener: () => Promise<Opened>,
    packages: readonly string[],
    describeFailure: (error: unknown) => string = describeError,
  ): Promise<DatabaseTarget> {
    let probe: Opened;
    try {
      probe = await opener();
    } catch (error) {
      throw new TargetError(`--target: ${name}: ${describeFailure(error)}`);
    }
    const capabilities = saverCapabilities(probe.saver);
    await probe.release();
    return new DatabaseTarget(name, opener, describeFailure, { ...libraryVersions(), ...packageVersions(packages) }, capabilities);
  }

  async open(): Promise<Session> {
    try {
      return new DatabaseSession(await this.opener());
    } catch (error) {
      return new UnavailableSession(this.describeFailure(error));
    }
  }
}

export function packageVersions(packages: readonly string[]): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of packages) {
    const version = installedVersion(name);
    if (version !== null) found[name] = version;
  }
  return found;
}
