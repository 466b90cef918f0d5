/** `scalelogic fit`: fit T = a·D^γ from training logs. (Placeholder until its issue lands: exits 2.) */
import type { Argv } from "yargs";

/** Adds the `fit` command to the program. */
export function register(y: Argv): Argv {
  return y.command(
    "fit",
    "fit T = a·D^γ from training logs (not built yet)",
    () => {},
    () => {
      process.stderr.write("scalelogic fit: not built yet\n");
      process.exit(2);
    },
  );
}
