/** The logic folder's public surface: formulas, theories, both syntaxes, TPTP export, problem JSON. */
export * from "./formula.js";
export * from "./theory.js";
export * from "./symbolic.js";
export * from "./english.js";
export * from "./tptp.js";
export * from "./serialize.js";
