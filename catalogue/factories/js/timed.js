// How long each case held its saver (factory call to the end of close), appended to the file the catalogue
// session names in CHECKPOINT_SPEC_CATALOGUE_TIMES, one line of seconds per case; untimed without it.
import { appendFileSync } from "node:fs";

export function timed(factory) {
  return async (argument) => {
    const started = performance.now();
    const record = () => {
      const file = process.env.CHECKPOINT_SPEC_CATALOGUE_TIMES;
      if (file) appendFileSync(file, `${((performance.now() - started) / 1000).toFixed(6)}\n`);
    };
    let made;
    try {
      made = await factory(argument);
    } catch (error) {
      record();
      throw error;
    }
    return {
      saver: made.saver,
      close: async () => {
        try {
          await made.close();
        } finally {
          record();
        }
      },
    };
  };
}
