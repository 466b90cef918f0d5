/** The curriculum library: schedules, the pure controller, logging/replay, simulation and planning. */
export * from "./schedule.js";
export * from "./controller.js";
export * from "./history.js";
export * from "./learner.js";
export * from "./simulation.js";
export * from "./plan.js";
export { deriveSeed, Rng } from "./random.js";
