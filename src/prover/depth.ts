/**
 * Minimum derivation height of a ground literal, with certificates (definition: docs/depth.md).
 *
 * Public API (literals are codes from `literalCode`; theories must have `grounded.fragment`):
 * - `minDepth(g, lit, maxDepth, options?)` → the least h ≤ maxDepth with T_h ⊨ x[lit,h], or null if none.
 * - `certifyMinDepth(g, lit, D, options?)` → `{ ok: true, certificate } | { ok: false, reason }`: proves that
 *   no derivation of height < D exists (T_{D-1} ⊭ x[lit,D-1]) by exhibiting a model of T_{D-1}.
 * - `verifyDepthCertificate(g, lit, D, certificate)`: independent linear-time re-check.
 * - `packDepthCertificate` / `unpackDepthCertificate`: compact text form for storage.
 * - `optimisticLayers(g)`: per literal, a lower bound on the layer where it can be established.
 *
 * A model of the layered theory T_h is monotone in the layer, so it is stored as one byte per
 * ground literal: the least layer k at which the literal is established, or NEVER (255).
 *
 * Method: an "optimistic" breadth-first pass computes for every literal the least layer at which
 * any model could establish it (every disjunct of a firing rule counts as established). Models can
 * be restricted to these bounds without loss (docs/depth.md), which gives the Horn fast path (the
 * least model is the optimistic pass itself) and prunes the SAT encoding. For disjunctive rules a
 * greedy construction picks one disjunct per firing rule, steering away from the goal and from
 * disjuncts whose complement will be established; when that fails, the pruned layered encoding
 * goes to the CDCL solver. Every certificate is checked by `verifyDepthCertificate` before return.
 */
import type { Grounded } from "./ground.js";
import { Solver } from "./sat.js";
import { newBytes, newInt32s, newRegion } from "./slab.js";

/** Layer value meaning "not established at any layer of the certificate". */
export const NEVER = 255;
/** Largest depth these procedures accept (layers are stored in a byte). */
export const MAX_DEPTH = 254;

/** A model of T_{D-1}: per literal code, the least layer where it is established, or NEVER. */
export interface DepthCertificate {
  readonly levels: Uint8Array;
}

/** Why no certificate was produced. */
export type DepthFailure =
  | "shallower-derivation" // T_{D-1} entails the goal: a derivation of height < D exists
  | "outside-fragment" // the theory has formulas outside the rule fragment
  | "bad-depth" // D is not an integer in 1…MAX_DEPTH
  | "bad-literal"; // the literal code is not a literal of the theory

/** Result of `certifyMinDepth`. */
export type DepthCertification =
  | { readonly ok: true; readonly certificate: DepthCertificate }
  | { readonly ok: false; readonly reason: DepthFailure };

/** Per-theory rule index shared by the depth and entailment procedures (internal to the prover). */
export interface RuleIndex {
  /** Rules having literal l as a premise (one entry per occurrence): byPrem[byPremStart[l] …). */
  readonly byPremStart: Int32Array;
  readonly byPrem: Int32Array;
  /** Rules having literal l as a conclusion: byConc[byConcStart[l] …). */
  readonly byConcStart: Int32Array;
  readonly byConc: Int32Array;
  /** Optimistic least layer per literal (NEVER beyond MAX_DEPTH). */
  readonly lb: Uint8Array;
  /** Least layer at which the optimistic model holds a literal and its complement (or NEVER). */
  readonly clash: number;
}

// The index of the last theory asked about. Callers work on one theory at a time (the generator
// grounds, decides and certifies each item in turn), so one entry is as good as a table keyed by
// theory, and cheaper: a WeakMap entry per item costs ephemeron work in every young GC. A miss
// only recomputes the same index.
let indexedTheory: Grounded | null = null;
let lastIndex: RuleIndex | null = null;

// Reusable work arrays (the procedures are synchronous, so calls never interleave).
let scratchB: Int32Array = new Int32Array(1024);
let scratchC: Int32Array = new Int32Array(1024);

function atLeast(a: Int32Array, n: number): Int32Array {
  if (a.length >= n) return a;
  let m = a.length;
  while (m < n) m *= 2;
  return new Int32Array(m);
}

// Counting sort of rule numbers by literal: list[start[l] … start[l+1]) are the rules whose
// `items` range (given by `starts`) contains l, one entry per occurrence, rules in order.
// `start` arrives zeroed. Counts go to start[l], the running sum turns them into end offsets, and
// a backward pass over the rules moves each start[l] down to its list's beginning while filling
// the lists back to front, so no separate fill cursor is needed.
function fillCsr(
  nLits: number,
  ruleCount: number,
  starts: Int32Array,
  items: Int32Array,
  start: Int32Array,
  list: Int32Array,
): void {
  for (let i = 0; i < items.length; i++) {
    const l = items[i] as number;
    start[l] = (start[l] as number) + 1;
  }
  let sum = 0;
  for (let l = 0; l < nLits; l++) {
    sum += start[l] as number;
    start[l] = sum;
  }
  start[nLits] = sum;
  for (let r = ruleCount - 1; r >= 0; r--)
    for (let i = (starts[r + 1] as number) - 1; i >= (starts[r] as number); i--) {
      const l = items[i] as number;
      const at = (start[l] as number) - 1;
      start[l] = at;
      list[at] = r;
    }
}

/** The rule index of a grounded theory (built once, cached). */
export function ruleIndex(g: Grounded): RuleIndex {
  if (g === indexedTheory && lastIndex !== null) return lastIndex;
  const nLits = 2 * g.atomCount;
  const R = g.ruleCount;
  // One region for both occurrence lists and the layers (see slab.ts).
  const ints = 2 * (nLits + 1) + g.prem.length + g.conc.length;
  const { buffer, offset } = newRegion(4 * ints + nLits);
  const buf = new Int32Array(buffer, offset, ints);
  const byPremStart = buf.subarray(0, nLits + 1);
  const byPrem = buf.subarray(nLits + 1, nLits + 1 + g.prem.length);
  const byConcStart = buf.subarray(nLits + 1 + g.prem.length, 2 * (nLits + 1) + g.prem.length);
  const byConc = buf.subarray(2 * (nLits + 1) + g.prem.length);
  fillCsr(nLits, R, g.premStart, g.prem, byPremStart, byPrem);
  fillCsr(nLits, R, g.concStart, g.conc, byConcStart, byConc);
  const lb = new Uint8Array(buffer, offset + 4 * ints, nLits).fill(NEVER);
  scratchB = atLeast(scratchB, R);
  scratchC = atLeast(scratchC, nLits);
  const remaining = scratchB;
  // The queue holds each literal once, in the order it was reached, so layers are contiguous.
  const queue = scratchC;
  let tail = 0;
  for (let i = 0; i < g.facts.length; i++) {
    const l = g.facts[i] as number;
    if (lb[l] === NEVER) {
      lb[l] = 0;
      queue[tail++] = l;
    }
  }
  for (let r = 0; r < R; r++) {
    const n = (g.premStart[r + 1] as number) - (g.premStart[r] as number);
    remaining[r] = n;
    if (n === 0)
      for (let i = g.concStart[r] as number; i < (g.concStart[r + 1] as number); i++) {
        const l = g.conc[i] as number;
        if (lb[l] === NEVER) {
          lb[l] = 0;
          queue[tail++] = l;
        }
      }
  }
  // Breadth-first: a rule fires one layer after its last premise appears.
  for (let head = 0; head < tail; head++) {
    const l = queue[head] as number;
    const k = (lb[l] as number) + 1;
    if (k > MAX_DEPTH) break;
    for (let i = byPremStart[l] as number; i < (byPremStart[l + 1] as number); i++) {
      const r = byPrem[i] as number;
      if ((remaining[r] = (remaining[r] as number) - 1) === 0)
        for (let j = g.concStart[r] as number; j < (g.concStart[r + 1] as number); j++) {
          const c = g.conc[j] as number;
          if (lb[c] === NEVER) {
            lb[c] = k;
            queue[tail++] = c;
          }
        }
    }
  }
  let clash = NEVER;
  for (let a = 0; a < g.atomCount; a++) {
    const p = lb[2 * a] as number;
    const q = lb[2 * a + 1] as number;
    const m = p > q ? p : q;
    if (m < clash) clash = m;
  }
  const idx: RuleIndex = { byPremStart, byPrem, byConcStart, byConc, lb, clash };
  indexedTheory = g;
  lastIndex = idx;
  return idx;
}

/**
 * Per literal code, the least layer at which any model could establish it (NEVER if none). A copy:
 * the rule index keeps its own array for the certifier, and nothing inside the prover calls this.
 */
export function optimisticLayers(g: Grounded): Uint8Array {
  return ruleIndex(g).lb.slice();
}

function validLiteral(g: Grounded, lit: number): boolean {
  return Number.isInteger(lit) && lit >= 0 && lit < 2 * g.atomCount;
}

/** The optimistic model capped at layer h (a model of T_h whenever it has no clash up to h). */
function capped(lb: Uint8Array, h: number): Uint8Array {
  const levels = newBytes(lb.length);
  for (let l = 0; l < lb.length; l++) {
    const k = lb[l] as number;
    levels[l] = k <= h ? k : NEVER;
  }
  return levels;
}

/** Options of `certifyMinDepth`; `strategy: "sat"` skips the fast paths (used by tests). */
export interface CertifyOptions {
  readonly strategy?: "auto" | "sat";
}

/** Proves that no derivation of `lit` of height < D exists, with a model of T_{D-1} as certificate. */
export function certifyMinDepth(
  g: Grounded,
  lit: number,
  D: number,
  options: CertifyOptions = {},
): DepthCertification {
  if (!g.fragment) return { ok: false, reason: "outside-fragment" };
  if (!Number.isInteger(D) || D < 1 || D > MAX_DEPTH) return { ok: false, reason: "bad-depth" };
  if (!validLiteral(g, lit)) return { ok: false, reason: "bad-literal" };
  const h = D - 1;
  const idx = ruleIndex(g);
  if (options.strategy === "sat") {
    const levels = layeredSat(g, idx, lit, h, idx.lb);
    return levels === null ? { ok: false, reason: "shallower-derivation" } : accept(g, lit, D, levels);
  }
  if ((idx.lb[lit] as number) > h && idx.clash > h) return accept(g, lit, D, capped(idx.lb, h));
  // In the Horn case the optimistic pass is the least model, so no other model can do better.
  if (g.horn) return { ok: false, reason: "shallower-derivation" };
  const greedy = greedyModel(g, idx, lit, h);
  if (greedy.levels !== null) return accept(g, lit, D, greedy.levels);
  const levels = layeredSat(g, idx, lit, h, greedy.hint);
  if (levels === null) return { ok: false, reason: "shallower-derivation" };
  return accept(g, lit, D, levels);
}

function accept(g: Grounded, lit: number, D: number, levels: Uint8Array): DepthCertification {
  const certificate = { levels };
  if (!verifyDepthCertificate(g, lit, D, certificate))
    throw new Error("internal: depth certificate fails its own verification");
  return { ok: true, certificate };
}

/** Exact minimum derivation height of `lit` (layered definition), or null if above `maxDepth`. */
export function minDepth(
  g: Grounded,
  lit: number,
  maxDepth: number,
  options: CertifyOptions = {},
): number | null {
  if (!g.fragment) throw new RangeError("minDepth: theory is outside the rule fragment (see docs/depth.md)");
  if (!validLiteral(g, lit)) throw new RangeError(`minDepth: ${lit} is not a literal of this theory`);
  const cap = Math.min(Math.floor(maxDepth), MAX_DEPTH - 1);
  const idx = ruleIndex(g);
  // Below both bounds the capped optimistic model is a countermodel, so the search starts there.
  const start = options.strategy === "sat" ? 0 : Math.min(idx.lb[lit] as number, idx.clash);
  if (g.horn && options.strategy !== "sat") return start <= cap ? start : null;
  for (let h = start; h <= cap; h++) if (!certifyMinDepth(g, lit, h + 1, options).ok) return h;
  return null;
}

interface Greedy {
  readonly levels: Uint8Array | null;
  /** The last attempted assignment, used as phase hint for the SAT fallback. */
  readonly hint: Uint8Array;
}

const ROUNDS = 4;

// Work arrays of greedyModel and buildLayers, reused across calls like scratchB and scratchC (only the
// returned levels are allocated per call).
let greedyStack: Int32Array = new Int32Array(1024);
let greedyReach: Uint8Array = new Uint8Array(1024);
let greedyAvoid: Uint8Array = new Uint8Array(1024);
let greedyChosen: Uint8Array = new Uint8Array(1024);
let layerRemaining: Int32Array = new Int32Array(1024);
let layerFired: Int32Array = new Int32Array(1024);
let layerNext: Int32Array = new Int32Array(1024);
let layerMulti: Int32Array = new Int32Array(1024);
let layerNew: Int32Array = new Int32Array(1024);

function atLeastBytes(a: Uint8Array, n: number): Uint8Array {
  if (a.length >= n) return a;
  let m = a.length;
  while (m < n) m *= 2;
  return new Uint8Array(m);
}

// Builds a model of T_h layer by layer, choosing one disjunct for each firing rule that no
// established literal satisfies yet. Preference: complement not established yet, not known to
// cause trouble, complement not expected within h, cannot lead to the goal, not the goal. Retries with what the failures taught.
function greedyModel(g: Grounded, idx: RuleIndex, goal: number, h: number): Greedy {
  const nLits = 2 * g.atomCount;
  greedyReach = atLeastBytes(greedyReach, nLits);
  greedyAvoid = atLeastBytes(greedyAvoid, nLits);
  greedyChosen = atLeastBytes(greedyChosen, nLits);
  greedyStack = atLeast(greedyStack, nLits);
  // Literals from which the goal is reachable forward through rules (each pushed once).
  const reachesGoal = greedyReach.fill(0, 0, nLits);
  const stack = greedyStack;
  let top = 0;
  stack[top++] = goal;
  reachesGoal[goal] = 1;
  while (top > 0) {
    const l = stack[--top] as number;
    for (let i = idx.byConcStart[l] as number; i < (idx.byConcStart[l + 1] as number); i++) {
      const r = idx.byConc[i] as number;
      for (let j = g.premStart[r] as number; j < (g.premStart[r + 1] as number); j++) {
        const p = g.prem[j] as number;
        if (reachesGoal[p] === 0) {
          reachesGoal[p] = 1;
          stack[top++] = p;
        }
      }
    }
  }
  const avoid = greedyAvoid.fill(0, 0, nLits);
  const chosen = greedyChosen;
  let expected: Uint8Array = idx.lb;
  // Every round replaces it (an empty array is allocated on the heap, unlike one of nLits bytes).
  let levels: Uint8Array = new Uint8Array(0);
  for (let round = 0; round < ROUNDS; round++) {
    chosen.fill(0, 0, nLits);
    levels = buildLayers(g, idx, h, (r, now) => {
      let best = -1;
      let bestScore = -1;
      for (let i = g.concStart[r] as number; i < (g.concStart[r + 1] as number); i++) {
        const c = g.conc[i] as number;
        // A disjunct whose complement is already established would clash at once.
        const score =
          (now[c ^ 1] === NEVER ? 16 : 0) +
          (avoid[c] === 0 ? 8 : 0) +
          ((expected[c ^ 1] as number) > h ? 4 : 0) +
          (reachesGoal[c] === 0 ? 2 : 0) +
          (c !== goal ? 1 : 0);
        if (score > bestScore) {
          best = c;
          bestScore = score;
        }
      }
      chosen[best] = 1;
      return best;
    });
    let learned = false;
    let failed = (levels[goal] as number) <= h;
    if (failed) {
      for (let l = 0; l < nLits; l++)
        if (chosen[l] === 1 && reachesGoal[l] === 1 && (levels[l] as number) <= h && avoid[l] === 0) {
          avoid[l] = 1;
          learned = true;
        }
    }
    for (let a = 0; a < g.atomCount; a++) {
      if ((levels[2 * a] as number) > h || (levels[2 * a + 1] as number) > h) continue;
      failed = true;
      for (let l = 2 * a; l <= 2 * a + 1; l++)
        if (chosen[l] === 1 && avoid[l] === 0) {
          avoid[l] = 1;
          learned = true;
        }
    }
    if (!failed) return { levels, hint: levels };
    if (!learned) break;
    expected = levels;
  }
  return { levels: null, hint: levels };
}

// One layer-by-layer construction. `choose(rule, levels so far)` picks the disjunct to establish when a
// firing rule is not yet satisfied. Literals never established get NEVER.
function buildLayers(
  g: Grounded,
  idx: RuleIndex,
  h: number,
  choose: (r: number, levels: Uint8Array) => number,
): Uint8Array {
  const nLits = 2 * g.atomCount;
  const R = g.ruleCount;
  const levels = newBytes(nLits).fill(NEVER);
  layerRemaining = atLeast(layerRemaining, R);
  layerFired = atLeast(layerFired, R);
  layerNext = atLeast(layerNext, R);
  layerMulti = atLeast(layerMulti, R);
  layerNew = atLeast(layerNew, nLits);
  const remaining = layerRemaining;
  // Rules firing at the current layer, and at the next (each rule fires at most once).
  let fired = layerFired;
  let next = layerNext;
  let nFired = 0;
  const multi = layerMulti;
  // Literals established at the current layer (each literal at most once).
  const layer = layerNew;
  let nLayer = 0;
  const establish = (l: number, t: number): void => {
    if (levels[l] === NEVER) {
      levels[l] = t;
      layer[nLayer++] = l;
    }
  };
  for (let i = 0; i < g.facts.length; i++) establish(g.facts[i] as number, 0);
  for (let r = 0; r < R; r++) {
    const n = (g.premStart[r + 1] as number) - (g.premStart[r] as number);
    remaining[r] = n;
    if (n === 0) fired[nFired++] = r;
  }
  for (let t = 0; t <= h; t++) {
    let nMulti = 0;
    for (let j = 0; j < nFired; j++) {
      const r = fired[j] as number;
      const s = g.concStart[r] as number;
      if ((g.concStart[r + 1] as number) - s === 1) establish(g.conc[s] as number, t);
      else multi[nMulti++] = r;
    }
    for (let j = 0; j < nMulti; j++) {
      const r = multi[j] as number;
      let satisfied = false;
      for (let i = g.concStart[r] as number; i < (g.concStart[r + 1] as number) && !satisfied; i++)
        satisfied = (levels[g.conc[i] as number] as number) <= t;
      if (!satisfied) establish(choose(r, levels), t);
    }
    let nNext = 0;
    if (t < h)
      for (let j = 0; j < nLayer; j++) {
        const l = layer[j] as number;
        for (let i = idx.byPremStart[l] as number; i < (idx.byPremStart[l + 1] as number); i++) {
          const r = idx.byPrem[i] as number;
          if ((remaining[r] = (remaining[r] as number) - 1) === 0) next[nNext++] = r;
        }
      }
    const swap = fired;
    fired = next;
    next = swap;
    nFired = nNext;
    nLayer = 0;
    // Nothing left to fire: later layers would add nothing.
    if (nFired === 0) break;
  }
  return levels;
}

// The layered theory T_h restricted to layers at or above the optimistic bounds, solved by CDCL.
// Returns a model as levels, or null when T_h entails x[goal,h].
function layeredSat(
  g: Grounded,
  idx: RuleIndex,
  goal: number,
  h: number,
  hint: Uint8Array,
): Uint8Array | null {
  const nLits = 2 * g.atomCount;
  const lb = idx.lb;
  const base = newInt32s(nLits).fill(-1);
  let nVars = 0;
  for (let l = 0; l < nLits; l++) {
    const k = lb[l] as number;
    if (k <= h) {
      base[l] = nVars;
      nVars += h - k + 1;
    }
  }
  const x = (l: number, k: number): number => (base[l] as number) + k - (lb[l] as number);
  const s = new Solver(nVars);
  const pos = (v: number): number => 2 * v;
  const neg = (v: number): number => 2 * v + 1;
  for (let i = 0; i < g.facts.length; i++) s.addClause([pos(x(g.facts[i] as number, 0))]);
  for (let l = 0; l < nLits; l++)
    if ((base[l] as number) >= 0)
      for (let k = lb[l] as number; k < h; k++) s.addClause([neg(x(l, k)), pos(x(l, k + 1))]);
  const clause: number[] = [];
  for (let r = 0; r < g.ruleCount; r++) {
    const p0 = g.premStart[r] as number;
    const p1 = g.premStart[r + 1] as number;
    let t0 = 0;
    if (p1 > p0) {
      for (let i = p0; i < p1; i++) t0 = Math.max(t0, (lb[g.prem[i] as number] as number) + 1);
    }
    // A rule without premises holds at layer 0 (and above, by monotonicity).
    const last = p1 > p0 ? h : Math.min(h, 0);
    for (let k = t0; k <= last; k++) {
      clause.length = 0;
      for (let i = p0; i < p1; i++) clause.push(neg(x(g.prem[i] as number, k - 1)));
      for (let i = g.concStart[r] as number; i < (g.concStart[r + 1] as number); i++)
        clause.push(pos(x(g.conc[i] as number, k)));
      s.addClause(clause);
    }
  }
  for (let a = 0; a < g.atomCount; a++)
    if ((lb[2 * a] as number) <= h && (lb[2 * a + 1] as number) <= h)
      s.addClause([neg(x(2 * a, h)), neg(x(2 * a + 1, h))]);
  if ((lb[goal] as number) <= h) s.addClause([neg(x(goal, h))]);
  const phase = newBytes(nVars);
  for (let l = 0; l < nLits; l++)
    if ((base[l] as number) >= 0)
      for (let k = lb[l] as number; k <= h; k++) phase[x(l, k)] = (hint[l] as number) <= k ? 1 : 0;
  const r = s.solve({ phase });
  if (r.status === "unsat") return null;
  if (r.status === "unknown") throw new Error("internal: SAT solver gave up without a budget");
  const levels = newBytes(nLits).fill(NEVER);
  for (let l = 0; l < nLits; l++) {
    if ((base[l] as number) < 0) continue;
    for (let k = lb[l] as number; k <= h; k++)
      if (r.model[x(l, k)] === 1) {
        levels[l] = k;
        break;
      }
  }
  return levels;
}

/** Independent check that `certificate` is a model of T_{D-1} in which `lit` is not established. */
export function verifyDepthCertificate(
  g: Grounded,
  lit: number,
  D: number,
  certificate: DepthCertificate,
): boolean {
  if (!g.fragment || !Number.isInteger(D) || D < 1 || D > MAX_DEPTH || !validLiteral(g, lit)) return false;
  const h = D - 1;
  const L = certificate.levels;
  if (!(L instanceof Uint8Array) || L.length !== 2 * g.atomCount) return false;
  for (let l = 0; l < L.length; l++) {
    const k = L[l] as number;
    if (k > h && k !== NEVER) return false;
  }
  // The goal is not established at layer h.
  if ((L[lit] as number) <= h) return false;
  // Facts at layer 0.
  for (let i = 0; i < g.facts.length; i++) if (L[g.facts[i] as number] !== 0) return false;
  // Rules: if every premise holds by layer t-1 (t ≤ h), some conclusion holds by layer t; a rule
  // without premises needs a conclusion at layer 0. Monotonicity makes the least t sufficient.
  for (let r = 0; r < g.ruleCount; r++) {
    let t = 0;
    for (let i = g.premStart[r] as number; i < (g.premStart[r + 1] as number); i++)
      t = Math.max(t, (L[g.prem[i] as number] as number) + 1);
    if (t > h) continue;
    let best: number = NEVER;
    for (let i = g.concStart[r] as number; i < (g.concStart[r + 1] as number); i++)
      best = Math.min(best, L[g.conc[i] as number] as number);
    if (best > t) return false;
  }
  // No literal is established together with its complement (checking layer h covers all layers).
  for (let a = 0; a < g.atomCount; a++)
    if ((L[2 * a] as number) <= h && (L[2 * a + 1] as number) <= h) return false;
  return true;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const base64Code = Uint8Array.from(BASE64, (ch) => ch.charCodeAt(0));
const PAD = 61; // "="
const asciiText = new TextDecoder();
let base64Out: Uint8Array = new Uint8Array(1024);

/**
 * Base64 (standard alphabet, padded) of `bytes`: what `btoa` gives for the string of those char
 * codes, without building that string (internal to the prover; tests compare the two). The
 * ASCII output is written into a reused buffer and decoded once.
 */
export function base64(bytes: Uint8Array): string {
  const n = bytes.length;
  const len = 4 * Math.ceil(n / 3);
  if (base64Out.length < len) base64Out = new Uint8Array(2 * len);
  const out = base64Out;
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o++] = base64Code[v >> 18] as number;
    out[o++] = base64Code[(v >> 12) & 63] as number;
    out[o++] = base64Code[(v >> 6) & 63] as number;
    out[o++] = base64Code[v & 63] as number;
  }
  if (i < n) {
    const two = i + 1 < n;
    const v = ((bytes[i] as number) << 16) | (two ? (bytes[i + 1] as number) << 8 : 0);
    out[o++] = base64Code[v >> 18] as number;
    out[o++] = base64Code[(v >> 12) & 63] as number;
    out[o++] = two ? (base64Code[(v >> 6) & 63] as number) : PAD;
    out[o++] = PAD;
  }
  return asciiText.decode(out.subarray(0, o));
}

/** Compact text form of a depth certificate (base64 of the level bytes). */
export function packDepthCertificate(c: DepthCertificate): string {
  return base64(c.levels);
}

/** Inverse of `packDepthCertificate`; null when the text is not valid base64. */
export function unpackDepthCertificate(text: string): DepthCertificate | null {
  let s: string;
  try {
    s = atob(text);
  } catch {
    return null;
  }
  const levels = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) levels[i] = s.charCodeAt(i);
  return { levels };
}
