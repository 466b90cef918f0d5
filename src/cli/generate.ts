/** `scalelogic generate`: generate a dataset. (Placeholder until its issue lands: exits 2.) */
import type { Argv } from "yargs";

/** Adds the `generate` command to the program. */
export function register(y: Argv): Argv {
  return y.command(
    "generate",
    "generate a dataset (not built yet)",
    () => {},
    () => {
      process.stderr.write("scalelogic generate: not built yet\n");
      process.exit(2);
    },
  );
}
