/** The time one step of a case may take (its saver's making and closing included), and waiting no longer. */

export const DEFAULT_TIMEOUT_SECONDS = 5;

// setTimeout fires at once for delays beyond a signed 32-bit millisecond count.
const LONGEST_DELAY_MS = 2 ** 31 - 1;

/** Work that did not settle within the timeout. */
export class TimedOut extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TimedOut";
  }
}

/**
 * What work settles to, or a TimedOut (`WHAT timed out after S s`) once the timeout has
 * passed. The pending timer keeps the event loop alive, so a promise that never
 * settles cannot end the process silently; work that settles too late is ignored.
 */
export function withinTimeout<T>(work: Promise<T>, timeoutSeconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, fail) => {
    timer = setTimeout(
      () => fail(new TimedOut(`${what} timed out after ${timeoutSeconds} s`)),
      Math.min(timeoutSeconds * 1000, LONGEST_DELAY_MS),
    );
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
