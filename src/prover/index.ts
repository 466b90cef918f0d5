/** The prover's public surface: the kernel, the proof language, the checker and lenient search. */
export * from "./kernel.js";
export * from "./issue.js";
export * from "./proof.js";
export * from "./reader.js";
export * from "./render.js";
export * from "./search.js";
export * from "./check.js";
