/**
 * The ScaleLogic engine as a library. Each folder is exported as a namespace (names stay
 * unambiguous), and the calls most users need are also exported at the top level.
 */
export * as logic from "./logic/index.js";
export * as prover from "./prover/index.js";
export * as generator from "./generator/index.js";
export * as curriculum from "./curriculum/index.js";
export * as fit from "./fit/index.js";

export { check, checkOrThrow, prepare } from "./prover/index.js";
export { generateItem, generateItems, defaultConfig, validateConfig } from "./generator/index.js";
export { score, Scorer } from "./reward/score.js";
export { ScorePool } from "./service/pool.js";
export { createService } from "./service/server.js";
