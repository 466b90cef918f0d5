#!/usr/bin/env node
/**
 * The `scalelogic` program: argument handling only; every command module calls into src/.
 * Exit codes: 0 success (or proof accepted), 1 proof rejected / job failed, 2 usage or input error.
 */
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { loadCommands } from "./commands.js";

async function main(): Promise<void> {
  const args = hideBin(process.argv);
  let cli = yargs(args)
    .scriptName("scalelogic")
    .strict()
    .demandCommand(1, "name a command; see --help")
    .recommendCommands()
    .help()
    .version()
    .fail((msg, err, y) => {
      if (err) throw err;
      void y;
      process.stderr.write(`scalelogic: ${msg}\n(run scalelogic --help for usage)\n`);
      process.exit(2);
    });
  for (const register of await loadCommands(args)) cli = register(cli);
  await cli.parseAsync();
}

main().catch((e: unknown) => {
  process.stderr.write(`scalelogic: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
