/**
 * Seed derivation and a small seeded PRNG, written out here so that batch seeds and simulations
 * are identical on every platform and Node version (Math.random is never used).
 */

/** Avalanche mix of a 32-bit integer (an xor-shift-multiply finalizer). */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Derives a 32-bit seed from a run seed and a list of small integers (batch index, stream tag…).
 * The run seed may be any safe integer; both of its 32-bit halves are folded in, so neighbouring
 * run seeds and neighbouring batches give unrelated outputs.
 */
export function deriveSeed(runSeed: number, ...parts: readonly number[]): number {
  const lo = runSeed >>> 0;
  const hi = Math.floor(runSeed / 0x1_0000_0000) >>> 0;
  let h = mix32(lo ^ 0x9e3779b9);
  h = mix32(h ^ hi ^ 0x85ebca6b);
  for (const p of parts) h = mix32((h + Math.imul(p >>> 0, 0x27d4eb2f) + 0x165667b1) >>> 0);
  return h;
}

/** A seeded stream of uniform numbers in [0, 1) (splitmix-style counter generator). */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = deriveSeed(seed, 0x5eed);
  }
  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    return mix32(this.state);
  }
  /** Next number in [0, 1). */
  next(): number {
    return this.nextU32() / 0x1_0000_0000;
  }
}
