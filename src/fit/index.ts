/** Scaling-law fitting (T ∝ D^γ) from training logs: the public surface of src/fit. */
export * from "./issue.js";
export * from "./log.js";
export * from "./crossing.js";
export * from "./regression.js";
export * from "./bootstrap.js";
export * from "./floor.js";
export * from "./comparison.js";
export * from "./analysis.js";
export * from "./output.js";
export * from "./plot.js";
export * from "./reference.js";
