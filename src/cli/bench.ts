/** `scalelogic bench`: runs the benchmark harness in bench/ (figures with same-run baselines). */
import type { Argv } from "yargs";

/** Adds the `bench` command to the program. */
export function register(y: Argv): Argv {
  return y.command(
    "bench [suites..]",
    "run benchmarks (checker, decide, generator, answer, service, syntax, fit); prints figures with same-run baselines",
    (b) =>
      b
        .positional("suites", { type: "string", array: true, describe: "suites to run (default: all)" })
        .option("scale", {
          type: "number",
          default: 1,
          describe: "iteration scale; < 1 for a quick smoke run",
        })
        .option("json", { type: "boolean", default: false, describe: "print the reports as JSON" })
        .check((a) => {
          if (!(a.scale > 0)) throw new Error("--scale must be a positive number");
          return true;
        }),
    async (a) => {
      // The harness is compiled beside src/ in dist/bench; load it lazily so other commands stay fast.
      const harness = (await import(
        new URL("../../bench/run.js", import.meta.url).href
      )) as typeof import("../../bench/run.js");
      const reports = await harness.runSuites(a.suites ?? [], { scale: a.scale });
      process.stdout.write(
        a.json ? JSON.stringify(reports, null, 2) + "\n" : harness.formatReports(reports) + "\n",
      );
    },
  );
}
