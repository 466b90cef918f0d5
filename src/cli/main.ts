#!/usr/bin/env node
/**
 * The `scalelogic` program: argument handling only; every command module calls into src/.
 * Exit codes: 0 success (or proof accepted), 1 proof rejected / job failed, 2 usage or input error.
 */
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { commands } from "./commands.js";

async function main(): Promise<void> {
  let cli = yargs(hideBin(process.argv))
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
  for (const register of commands) cli = register(cli);
  await cli.parseAsync();
}

main().catch((e: unknown) => {
  process.stderr.write(`scalelogic: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
