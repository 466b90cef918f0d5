// Shared helpers for the fit tests: seeded synthetic logs and the property-test seed.
import seedrandom from "seedrandom";
import type { LogRow } from "../../src/fit/index.js";

/** The fast-check seed: FC_SEED when pinned, else a fresh one; printed so a failure can be replayed. */
export function fcSeed(name: string): number {
  const pinned = process.env["FC_SEED"];
  const seed = pinned !== undefined && pinned !== "" ? Number(pinned) : Math.floor(Math.random() * 2 ** 31);
  console.log(`[${name}] fast-check seed ${seed} (replay with FC_SEED=${seed})`);
  return seed;
}

/** A seeded standard normal sampler. */
export function normalSampler(seed: string): () => number {
  const rng = seedrandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/**
 * Evaluation rows for one run whose accuracy rises linearly in compute and reaches `threshold`
 * exactly at compute T (an evaluation lands on T), so the first crossing is exactly T.
 */
export function linearRun(
  setting: string,
  depth: number,
  seed: string,
  T: number,
  threshold = 0.9,
): LogRow[] {
  const rows: LogRow[] = [];
  for (let k = 0; k <= 6; k++) {
    const x = (T * k) / 4;
    // threshold·(k/4) is exactly the threshold at k = 4; threshold·x/T could round just below it.
    rows.push({
      setting,
      depth,
      seed,
      x,
      accuracy: Math.min(1, threshold * (k / 4)),
      source: "synthetic",
      row: k + 1,
    });
  }
  return rows;
}
