// The tests that run the compiled program share one rule: `npm test` builds dist/ first, and a
// test never rebuilds it itself (a rebuild in the middle of a run would rewrite files that the
// worker-pool tests are loading from dist/ at the same moment).
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/** The repository root. */
export const root = resolve(import.meta.dirname, "../..");

/** Path of the compiled `scalelogic` program; throws with the fix when it has not been built. */
export function builtCli(): string {
  const main = join(root, "dist/src/cli/main.js");
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` (npm test does) first`);
  return main;
}
