/** `scalelogic verify`: verify a written proof against a problem. (Placeholder until its issue lands: exits 2.) */
import type { Argv } from "yargs";

/** Adds the `verify` command to the program. */
export function register(y: Argv): Argv {
  return y.command(
    "verify",
    "verify a written proof against a problem (not built yet)",
    () => {},
    () => {
      process.stderr.write("scalelogic verify: not built yet\n");
      process.exit(2);
    },
  );
}
