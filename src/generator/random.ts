/**
 * Per-item randomness. Every item draws from its own seedrandom stream whose seed is a sha256 of
 * (config hash, seed, split, index, attempt), so an item never depends on the items generated
 * before it and neighbouring seeds, splits or indices share no stream.
 */
import { hash } from "node:crypto";
import seedrandom from "seedrandom";

/** A seeded source of uniform numbers with the small helpers the builder needs. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [lo, hi] (inclusive). */
  range(lo: number, hi: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A uniformly chosen element of a non-empty array. */
  pick<T>(xs: readonly T[]): T;
  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T>(xs: T[]): T[];
  /** `shuffle` for arrays of numbers (the same draws and result). */
  shuffleNumbers(xs: number[]): number[];
}

/** sha256 hex of the parts joined by a separator that cannot occur inside them unescaped. */
export function seedHash(parts: readonly (string | number)[]): string {
  return hash("sha256", parts.map((p) => String(p).replace(/\|/g, "||")).join("|"));
}

/**
 * The seed string of one item: a sha256 of (config hash, seed, split, index). Attempt k of the
 * item draws from `attemptSeed(itemSeed(…), k)`, whose streams seedrandom's own seed hash keeps
 * unrelated.
 */
export function itemSeed(configHash: string, seed: number, split: string, index: number): string {
  return seedHash(["item", configHash, seed, split, index]);
}

/** The seed string of attempt `attempt` of an item. */
export function attemptSeed(item: string, attempt: number): string {
  return `${item}/${attempt}`;
}

/**
 * The `Rng` over one seedrandom alea stream. A class rather than an object of closures: its
 * methods live once on the prototype, so the builder's many `rng.int(…)` call sites see a single
 * shape and can inline them, and a fresh RNG per draft costs one small object, not seven closures.
 */
class AleaRng implements Rng {
  private readonly prng: () => number;

  constructor(seed: string) {
    this.prng = seedrandom.alea(seed);
  }

  next(): number {
    return this.prng();
  }

  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.prng() < p;
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new RangeError("pick from an empty array");
    return xs[this.int(xs.length)] as T;
  }

  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = xs[i] as T;
      xs[i] = xs[j] as T;
      xs[j] = t;
    }
    return xs;
  }

  /**
   * The same loop as `shuffle`, kept apart so that its element stores see number arrays only:
   * one generic shuffle over arrays of numbers, strings and literals had polymorphic stores.
   */
  shuffleNumbers(xs: number[]): number[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = xs[i] as number;
      xs[i] = xs[j] as number;
      xs[j] = t;
    }
    return xs;
  }
}

/** A fresh RNG seeded by a string (typically a sha256 hex from `itemSeed`). */
export function makeRng(seed: string): Rng {
  return new AleaRng(seed);
}
