/** The registry of subcommands; each lives in its own file. */
import type { Argv } from "yargs";
import { register as verify } from "./verify.js";
import { register as generate } from "./generate.js";
import { register as show } from "./show.js";
import { register as serve } from "./serve.js";
import { register as curriculum } from "./curriculum.js";
import { register as fit } from "./fit.js";
import { register as bench } from "./bench.js";

/** Every subcommand's registration function, in help order. */
export const commands: ReadonlyArray<(y: Argv) => Argv> = [
  verify,
  generate,
  show,
  serve,
  curriculum,
  fit,
  bench,
];
