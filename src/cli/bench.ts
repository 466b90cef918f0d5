/** `scalelogic bench`: run the benchmark harness. (Placeholder until its issue lands: exits 2.) */
import type { Argv } from "yargs";

/** Adds the `bench` command to the program. */
export function register(y: Argv): Argv {
  return y.command(
    "bench",
    "run the benchmark harness (not built yet)",
    () => {},
    () => {
      process.stderr.write("scalelogic bench: not built yet\n");
      process.exit(2);
    },
  );
}
