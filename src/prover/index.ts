/** The prover's public surface: kernel, proof language, checker, lenient search and decision procedures. */
export * from "./kernel.js";
export * from "./issue.js";
export * from "./proof.js";
export * from "./reader.js";
export * from "./render.js";
export * from "./search.js";
export * from "./check.js";
export * from "./ground.js";
export * from "./sat.js";
export * from "./decide.js";
export * from "./depth.js";
