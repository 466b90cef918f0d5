/** `scalelogic curriculum`: plan or simulate a curriculum. (Placeholder until its issue lands: exits 2.) */
import type { Argv } from "yargs";

/** Adds the `curriculum` command to the program. */
export function register(y: Argv): Argv {
  return y.command(
    "curriculum",
    "plan or simulate a curriculum (not built yet)",
    () => {},
    () => {
      process.stderr.write("scalelogic curriculum: not built yet\n");
      process.exit(2);
    },
  );
}
