/** `scalelogic show`: show one problem with its proof. (Placeholder until its issue lands: exits 2.) */
import type { Argv } from "yargs";

/** Adds the `show` command to the program. */
export function register(y: Argv): Argv {
  return y.command(
    "show",
    "show one problem with its proof (not built yet)",
    () => {},
    () => {
      process.stderr.write("scalelogic show: not built yet\n");
      process.exit(2);
    },
  );
}
