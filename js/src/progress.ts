/**
 * Progress of a long run on standard error: cases done and failures so far.
 *
 * On a terminal, a bar (cli-progress) that is cleared when the run ends; elsewhere
 * (CI, a pipe), a plain line every INTERVAL seconds, so a short run prints nothing
 * and a long one shows it is alive (as progress.py).
 */

import cliProgress from "cli-progress";

export const TIMING = { intervalSeconds: 10 };

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class Progress {
  done = 0;
  failed = 0;
  private next: number;
  private readonly bar: cliProgress.SingleBar | null;

  constructor(
    private readonly total: number,
    private readonly what = "cases",
    private readonly stream: ProgressStream = process.stderr,
  ) {
    this.next = Date.now() + TIMING.intervalSeconds * 1000;
    this.bar = stream.isTTY === true ? this.startBar() : null;
  }

  private startBar(): cliProgress.SingleBar {
    const bar = new cliProgress.SingleBar(
      {
        format: `{bar} {value}/{total} ${this.what}, {failed} failed`,
        stream: this.stream as NodeJS.WritableStream,
        clearOnComplete: true,
        hideCursor: true,
        noTTYOutput: false,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(this.total, 0, { failed: 0 });
    return bar;
  }

  advance(failed: boolean): void {
    this.done += 1;
    if (failed) this.failed += 1;
    if (this.bar !== null) {
      this.bar.update(this.done, { failed: this.failed });
      return;
    }
    if (Date.now() >= this.next) {
      this.next = Date.now() + TIMING.intervalSeconds * 1000;
      this.stream.write(`progress: ${this.done}/${this.total} ${this.what}, ${this.failed} failed\n`);
    }
  }

  close(): void {
    this.bar?.stop();
  }
}
