/** `scalelogic serve`: start the reward service. (Placeholder until its issue lands: exits 2.) */
import type { Argv } from "yargs";

/** Adds the `serve` command to the program. */
export function register(y: Argv): Argv {
  return y.command(
    "serve",
    "start the reward service (not built yet)",
    () => {},
    () => {
      process.stderr.write("scalelogic serve: not built yet\n");
      process.exit(2);
    },
  );
}
