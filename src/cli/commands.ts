/**
 * The registry of subcommands; each lives in its own file and is imported only when needed, so
 * a run of one command does not pay for loading the others (the service, the fitter …).
 */
import type { Argv } from "yargs";

type Register = (y: Argv) => Argv;

/** Subcommand name → loader of its registration function, in help order. */
export const commandLoaders: Readonly<Record<string, () => Promise<Register>>> = {
  verify: async () => (await import("./verify.js")).register,
  generate: async () => (await import("./generate.js")).register,
  show: async () => (await import("./show.js")).register,
  serve: async () => (await import("./serve.js")).register,
  curriculum: async () => (await import("./curriculum.js")).register,
  fit: async () => (await import("./fit.js")).register,
  bench: async () => (await import("./bench.js")).register,
};

/**
 * The registration functions needed for this command line: only the named subcommand when the
 * first argument names one, otherwise all of them (top-level help, typos, no command).
 */
export async function loadCommands(args: readonly string[]): Promise<Register[]> {
  const first = args[0];
  const loader = first === undefined ? undefined : commandLoaders[first];
  if (loader !== undefined && Object.hasOwn(commandLoaders, first ?? "")) return [await loader()];
  return Promise.all(Object.values(commandLoaders).map((load) => load()));
}
