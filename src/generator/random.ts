/**
 * Per-item randomness. Every item draws from its own alea stream (seedrandom's generator, computed
 * here bit for bit) whose seed is a sha256 of
 * (config hash, seed, split, index, attempt), so an item never depends on the items generated
 * before it and neighbouring seeds, splits or indices share no stream.
 */
import { hash } from "node:crypto";

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

/** 2^-32. */
const INV_2_32 = 2.3283064365386963e-10;

/**
 * The `Rng` over one alea stream, computing exactly what seedrandom's `alea(seed)` (3.0.5,
 * lib/alea.js) does, operation for operation, so the numbers are bit-identical (a test compares the
 * two). Written out here because seeding through seedrandom cost ≈ 4.5 µs per draft: its Mash state
 * lives in a closure, so every one of the ≈ 200 per-character steps boxed a fresh heap number, and
 * each generator came with four closures and a function object extended with properties. Here the
 * Mash state is a local and the generator state plain number fields. A class rather than an object
 * of closures: its methods live once on the prototype, so the builder's many `rng.int(…)` call
 * sites see a single shape and can inline them.
 */
class AleaRng implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private c = 1;

  constructor(seed: string) {
    // Mash: one running state n over " ", " ", " ", then the seed three times; each call returns
    // the state so far scaled to [0, 1).
    let n = 0xefc8249d;
    const space = 32; // " "
    n = mashStep(n, space);
    const m0 = (n >>> 0) * INV_2_32;
    n = mashStep(n, space);
    const m1 = (n >>> 0) * INV_2_32;
    n = mashStep(n, space);
    const m2 = (n >>> 0) * INV_2_32;
    let s0 = m0;
    let s1 = m1;
    let s2 = m2;
    for (let i = 0; i < seed.length; i++) n = mashStep(n, seed.charCodeAt(i));
    s0 -= (n >>> 0) * INV_2_32;
    if (s0 < 0) s0 += 1;
    for (let i = 0; i < seed.length; i++) n = mashStep(n, seed.charCodeAt(i));
    s1 -= (n >>> 0) * INV_2_32;
    if (s1 < 0) s1 += 1;
    for (let i = 0; i < seed.length; i++) n = mashStep(n, seed.charCodeAt(i));
    s2 -= (n >>> 0) * INV_2_32;
    if (s2 < 0) s2 += 1;
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
  }

  next(): number {
    const t = 2091639 * this.s0 + this.c * INV_2_32;
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    return (this.s2 = t - this.c);
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
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
}

/** One character step of alea's Mash hash on state `n` (a double below 2^32), as in seedrandom. */
function mashStep(n: number, code: number): number {
  n += code;
  let h = 0.02519603282416938 * n;
  n = h >>> 0;
  h -= n;
  h *= n;
  n = h >>> 0;
  h -= n;
  return n + h * 0x100000000; // 2^32
}

/** A fresh RNG seeded by a string (typically a sha256 hex from `itemSeed`). */
export function makeRng(seed: string): Rng {
  return new AleaRng(seed);
}
