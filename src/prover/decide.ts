/**
 * Classical entailment and consistency on a grounded theory, with cheap-to-check certificates.
 *
 * Public API (literals are codes from `literalCode`, models are `Uint8Array` with model[atom] = 1
 * when the atom is true):
 * - `consistent(g)` → `{ consistent: true, model } | { consistent: false }`.
 * - `entails(g, lit)` → boolean (classical entailment of the literal by the theory).
 * - `countermodel(g, lit)` → a model of theory ∧ ¬lit, or null when the theory entails lit.
 * - `decideCandidates(g, lits)` → consistency witness plus, per candidate, entailed or countermodel.
 * - `verifyModel(g, model)`: independent linear-time check that the model satisfies every fact,
 *   rule and clause; `literalTrue(model, lit)` reads a literal off a model.
 * - `packModel(model)` / `unpackModel(text, atomCount)`: a compact string form for storage.
 *
 * Method: unit propagation first, then greedy decisions with propagation (no backtracking), each
 * atom guessed forward along the rules (a literal some derivation could reach is made true, else
 * the polarity that falsifies more rule premises); on the generated fragment this almost always finishes, and every
 * model it returns has been re-checked by `verifyModel`. When the quick pass meets a conflict after
 * a guess, the complete CDCL solver of sat.ts decides (one incremental solver for the grounded
 * theory last asked about, built on first need). A refutation by propagation alone (no guesses)
 * is exact, so "entailed" verdicts from the fast path are sound.
 */
import { groundClauses, type ClauseSet, type Grounded } from "./ground.js";
import { Solver } from "./sat.js";
import { NEVER, base64, ruleIndex, type RuleIndex } from "./depth.js";
import { newBytes } from "./slab.js";

/** Result of a consistency check. */
export type Consistency =
  { readonly consistent: true; readonly model: Uint8Array } | { readonly consistent: false };

/** Per-candidate verdict: entailed, or not entailed with a countermodel. */
export type CandidateVerdict =
  { readonly entailed: true } | { readonly entailed: false; readonly countermodel: Uint8Array };

/** Result of `decideCandidates`. */
export interface CandidateDecision {
  readonly consistency: Consistency;
  readonly verdicts: readonly CandidateVerdict[];
}

interface Engine {
  /** The CDCL solver, built on first need (on the rule fragment most theories never need it). */
  solver: Solver | null;
  solverOk: boolean;
  /** The clause-based quick pass, built on first need (theories outside the rule fragment). */
  clausePass: ClausePass | null;
}

/** Occurrence lists and scratch buffers of quickModel, reused across queries on one theory. */
interface ClausePass {
  readonly clauses: ClauseSet;
  /** Guessed literal per atom (guessOf). */
  readonly guess: Int32Array;
  /** Occurrence lists: clauses containing literal l are occ[occStart[l] … occStart[l+1]). */
  readonly occStart: Int32Array;
  readonly occ: Int32Array;
  readonly val: Int8Array;
  readonly falseCount: Int32Array;
  readonly sat: Uint8Array;
  readonly queue: Int32Array;
}

// Consistency witness plus the literals unit propagation forces from the theory alone (those are
// entailed); lets most candidate queries be answered without another search.
type Base = { readonly model: Uint8Array; readonly forced: Uint8Array } | "inconsistent";

// Engine and base of the last theory asked about: one entry each, as depth.ts keeps its rule
// index (callers work on one theory at a time). Going back to an earlier theory rebuilds them,
// with a fresh solver, so the verdicts are the same; the models are those of a first query.
let engineTheory: Grounded | null = null;
let lastEngine: Engine | null = null;

function engineOf(g: Grounded): Engine {
  if (g === engineTheory && lastEngine !== null) return lastEngine;
  const e: Engine = { solver: null, solverOk: true, clausePass: null };
  engineTheory = g;
  lastEngine = e;
  return e;
}

/**
 * The guessed literal of atom `a`. The guess follows the rules forward: a literal some derivation
 * could reach is made true; otherwise the polarity that falsifies more rule premises, so that
 * fewer rules fire.
 */
function guessOf(idx: RuleIndex, a: number): number {
  const p = idx.lb[2 * a] as number;
  const n = idx.lb[2 * a + 1] as number;
  if (p !== NEVER || n !== NEVER) return p <= n ? 2 * a : 2 * a + 1;
  // Premise uses of each polarity, read off the index's occurrence lists.
  const usesPos = (idx.byPremStart[2 * a + 1] as number) - (idx.byPremStart[2 * a] as number);
  const usesNeg = (idx.byPremStart[2 * a + 2] as number) - (idx.byPremStart[2 * a + 1] as number);
  return usesPos < usesNeg ? 2 * a : 2 * a + 1;
}

function clausePassOf(g: Grounded, e: Engine): ClausePass {
  if (e.clausePass !== null) return e.clausePass;
  const clauses = groundClauses(g);
  const nLits = 2 * g.atomCount;
  const occStart = new Int32Array(nLits + 1);
  const { lits, start, count } = clauses;
  for (let i = 0; i < lits.length; i++) {
    const k = (lits[i] as number) + 1;
    occStart[k] = (occStart[k] as number) + 1;
  }
  for (let l = 0; l < nLits; l++) occStart[l + 1] = (occStart[l + 1] as number) + (occStart[l] as number);
  const fill = occStart.slice(0, nLits);
  const occ = new Int32Array(lits.length);
  for (let c = 0; c < count; c++)
    for (let i = start[c] as number; i < (start[c + 1] as number); i++) {
      const l = lits[i] as number;
      const at = fill[l] as number;
      fill[l] = at + 1;
      occ[at] = c;
    }
  const idx = ruleIndex(g);
  const guess = new Int32Array(g.atomCount);
  for (let a = 0; a < g.atomCount; a++) guess[a] = guessOf(idx, a);
  const pass: ClausePass = {
    clauses,
    guess,
    occStart,
    occ,
    val: new Int8Array(nLits),
    falseCount: new Int32Array(count),
    sat: new Uint8Array(count),
    queue: new Int32Array(g.atomCount),
  };
  e.clausePass = pass;
  return pass;
}

const REFUTED = 0;
const GAVE_UP = 1;

// Propagation with guesses and no backtracking. Returns a model, REFUTED (conflict before any
// guess: the clauses plus `assume` are unsatisfiable), or GAVE_UP (conflict after a guess).
// When `forced` is given, it receives the literals set before the first guess.
function quickModel(
  g: Grounded,
  e: ClausePass,
  assume: number,
  forced?: Uint8Array,
): Uint8Array | typeof REFUTED | typeof GAVE_UP {
  const { lits, start, count } = e.clauses;
  const { occStart, occ, guess, val, falseCount, sat, queue } = e;
  val.fill(0);
  falseCount.fill(0);
  sat.fill(0);
  let qTail = 0;
  let qHead = 0;
  const assign = (l: number): boolean => {
    const v = val[l] as number;
    if (v === 1) return true;
    if (v === -1) return false;
    val[l] = 1;
    val[l ^ 1] = -1;
    queue[qTail++] = l;
    return true;
  };
  const propagate = (): boolean => {
    while (qHead < qTail) {
      const l = queue[qHead++] as number;
      for (let i = occStart[l] as number; i < (occStart[l + 1] as number); i++) sat[occ[i] as number] = 1;
      const nl = l ^ 1;
      for (let i = occStart[nl] as number; i < (occStart[nl + 1] as number); i++) {
        const c = occ[i] as number;
        if (sat[c] === 1) continue;
        const s = start[c] as number;
        const len = (start[c + 1] as number) - s;
        const f = (falseCount[c] as number) + 1;
        falseCount[c] = f;
        if (f < len - 1) continue;
        let free = -1;
        for (let k = s; k < s + len; k++) {
          const x = lits[k] as number;
          const xv = val[x] as number;
          if (xv === 1) {
            sat[c] = 1;
            free = -2;
            break;
          }
          if (xv === 0) free = x;
        }
        if (free === -2) continue;
        if (free === -1) return false;
        assign(free);
      }
    }
    return true;
  };
  for (let c = 0; c < count; c++) {
    const s = start[c] as number;
    const len = (start[c + 1] as number) - s;
    if (len === 0) return REFUTED;
    if (len === 1 && !assign(lits[s] as number)) return REFUTED;
  }
  if (assume >= 0 && !assign(assume)) return REFUTED;
  if (!propagate()) return REFUTED;
  if (forced !== undefined) for (let l = 0; l < val.length; l++) forced[l] = val[l] === 1 ? 1 : 0;
  for (let a = 0; a < g.atomCount; a++) {
    if (val[2 * a] !== 0) continue;
    assign(guess[a] as number);
    if (!propagate()) return GAVE_UP;
  }
  const model = newBytes(g.atomCount);
  for (let a = 0; a < g.atomCount; a++) model[a] = val[2 * a] === 1 ? 1 : 0;
  return model;
}

function solverOf(g: Grounded, e: Engine): Solver {
  if (e.solver !== null) return e.solver;
  const s = new Solver(g.atomCount);
  const { lits, start, count } = groundClauses(g);
  let ok = true;
  for (let c = 0; c < count && ok; c++)
    ok = s.addClauseRange(lits, start[c] as number, start[c + 1] as number);
  e.solver = s;
  e.solverOk = ok;
  return s;
}

// A model of the theory plus the literal `assume` (or none when assume < 0), or null if none exists.
function findModel(g: Grounded, assume: number, forced?: Uint8Array, from?: Uint8Array): Uint8Array | null {
  const e = engineOf(g);
  const quick = g.fragment
    ? quickRules(g, ruleIndex(g), assume, forced, from)
    : quickModel(g, clausePassOf(g, e), assume, forced);
  if (quick === REFUTED) return null;
  if (quick !== GAVE_UP && verifyModel(g, quick)) return quick;
  const s = solverOf(g, e);
  if (!e.solverOk) return null;
  const phase = phaseOf(g);
  const r = s.solve(assume >= 0 ? { assumptions: [assume], phase } : { phase });
  if (r.status === "sat") {
    if (!verifyModel(g, r.model)) throw new Error("internal: SAT model fails verification");
    return r.model;
  }
  if (r.status === "unsat") return null;
  throw new Error("internal: SAT solver gave up without a budget");
}

// Work arrays of the rule-based pass, reused across calls (the procedures are synchronous).
let qVal: Int8Array = new Int8Array(1024);
let qState: Int32Array = new Int32Array(1024);
let qQueue: Int32Array = new Int32Array(1024);
// Values and rule states after propagating the theory alone (before any guess), for the `forced`
// array `snapshotOf` filled by the same run.
let snapVal: Int8Array = new Int8Array(1024);
let snapState: Int32Array = new Int32Array(1024);
let snapshotOf: Uint8Array | null = null;

// The quick pass of quickModel on the rule fragment, reading rules straight from the grounded
// arrays (rule r is the clause ¬p1 ∨ … ∨ ¬pk ∨ c1 ∨ … ∨ cm). Unit propagation reaches the same
// fixpoint in any order, so the result equals quickModel's. `from`, when given, is the set of
// literals propagation forces without assumptions (a previous run's `forced`): the run resumes
// there instead of propagating the facts again.
function quickRules(
  g: Grounded,
  idx: RuleIndex,
  assume: number,
  forced?: Uint8Array,
  from?: Uint8Array,
): Uint8Array | typeof REFUTED | typeof GAVE_UP {
  const nLits = 2 * g.atomCount;
  const R = g.ruleCount;
  if (qVal.length < nLits) qVal = new Int8Array(2 * nLits);
  if (qState.length < R) qState = new Int32Array(2 * R);
  if (qQueue.length < g.atomCount) qQueue = new Int32Array(2 * g.atomCount);
  const val = qVal;
  // Per rule: -1 when satisfied, else the number of its clause literals that are false.
  const state = qState;
  const queue = qQueue;
  const { premStart, prem, concStart, conc } = g;
  const { byPremStart, byPrem, byConcStart, byConc } = idx;
  let qTail = 0;
  let qHead = 0;
  const assign = (l: number): boolean => {
    const v = val[l] as number;
    if (v === 1) return true;
    if (v === -1) return false;
    val[l] = 1;
    val[l ^ 1] = -1;
    queue[qTail++] = l;
    return true;
  };
  // Rule r just lost a clause literal: a conflict (false), a unit to assign, or nothing yet.
  const visit = (r: number): boolean => {
    const f = (state[r] as number) + 1;
    state[r] = f;
    const p0 = premStart[r] as number;
    const p1 = premStart[r + 1] as number;
    const c0 = concStart[r] as number;
    const c1 = concStart[r + 1] as number;
    if (f < p1 - p0 + c1 - c0 - 1) return true;
    let free = -1;
    for (let k = p0; k < p1; k++) {
      const x = (prem[k] as number) ^ 1;
      const xv = val[x] as number;
      if (xv === 1) {
        state[r] = -1;
        return true;
      }
      if (xv === 0) free = x;
    }
    for (let k = c0; k < c1; k++) {
      const x = conc[k] as number;
      const xv = val[x] as number;
      if (xv === 1) {
        state[r] = -1;
        return true;
      }
      if (xv === 0) free = x;
    }
    if (free === -1) return false;
    assign(free);
    return true;
  };
  const propagate = (): boolean => {
    while (qHead < qTail) {
      const l = queue[qHead++] as number;
      const nl = l ^ 1;
      // Satisfied: rules concluding l, rules with premise ¬l.
      for (let i = byConcStart[l] as number; i < (byConcStart[l + 1] as number); i++)
        state[byConc[i] as number] = -1;
      for (let i = byPremStart[nl] as number; i < (byPremStart[nl + 1] as number); i++)
        state[byPrem[i] as number] = -1;
      // A clause literal turned false: rules with premise l, rules concluding ¬l.
      for (let i = byPremStart[l] as number; i < (byPremStart[l + 1] as number); i++) {
        const r = byPrem[i] as number;
        if ((state[r] as number) >= 0 && !visit(r)) return false;
      }
      for (let i = byConcStart[nl] as number; i < (byConcStart[nl + 1] as number); i++) {
        const r = byConc[i] as number;
        if ((state[r] as number) >= 0 && !visit(r)) return false;
      }
    }
    return true;
  };
  if (from === undefined) {
    val.fill(0, 0, nLits);
    state.fill(0, 0, R);
    for (let i = 0; i < g.facts.length; i++) if (!assign(g.facts[i] as number)) return REFUTED;
    for (let r = 0; r < R; r++) {
      const len =
        (premStart[r + 1] as number) -
        (premStart[r] as number) +
        (concStart[r + 1] as number) -
        (concStart[r] as number);
      if (len === 0) return REFUTED;
      if (len === 1) {
        const s = premStart[r] as number;
        const l =
          s < (premStart[r + 1] as number)
            ? (prem[s] as number) ^ 1
            : (conc[concStart[r] as number] as number);
        if (!assign(l)) return REFUTED;
      }
    }
  } else if (from === snapshotOf) {
    // Resume from the snapshot the run that filled `from` took: the same values, and the same rule
    // states as the recount below gives (propagation to a fixpoint leaves every satisfied rule at
    // -1 and every other at its number of false clause literals).
    val.set(snapVal.subarray(0, nLits));
    state.set(snapState.subarray(0, R));
  } else {
    // Resume from a propagated, conflict-free state: values from `from`, rule states recounted.
    for (let l = 0; l < nLits; l++) val[l] = from[l] === 1 ? 1 : from[l ^ 1] === 1 ? -1 : 0;
    for (let r = 0; r < R; r++) {
      let f = 0;
      for (let k = premStart[r] as number; k < (premStart[r + 1] as number) && f >= 0; k++) {
        const v = val[prem[k] as number] as number;
        if (v === -1) f = -1;
        else if (v === 1) f++;
      }
      for (let k = concStart[r] as number; k < (concStart[r + 1] as number) && f >= 0; k++) {
        const v = val[conc[k] as number] as number;
        if (v === 1) f = -1;
        else if (v === -1) f++;
      }
      state[r] = f;
    }
  }
  if (assume >= 0 && !assign(assume)) return REFUTED;
  if (!propagate()) return REFUTED;
  if (forced !== undefined) {
    for (let l = 0; l < nLits; l++) forced[l] = val[l] === 1 ? 1 : 0;
    // Later queries with `from = forced` resume here; `snapshotOf` ties the copy to this `forced`.
    if (snapVal.length < nLits) snapVal = new Int8Array(2 * nLits);
    if (snapState.length < R) snapState = new Int32Array(2 * R);
    snapVal.set(val.subarray(0, nLits));
    snapState.set(state.subarray(0, R));
    snapshotOf = forced;
  }
  for (let a = 0; a < g.atomCount; a++) {
    if (val[2 * a] !== 0) continue;
    assign(guessOf(idx, a));
    if (!propagate()) return GAVE_UP;
  }
  const model = newBytes(g.atomCount);
  for (let a = 0; a < g.atomCount; a++) model[a] = val[2 * a] === 1 ? 1 : 0;
  return model;
}

function phaseOf(g: Grounded): Uint8Array {
  const idx = ruleIndex(g);
  const p = newBytes(g.atomCount);
  for (let a = 0; a < g.atomCount; a++) p[a] = (guessOf(idx, a) & 1) === 0 ? 1 : 0;
  return p;
}

function checkLiteral(g: Grounded, lit: number): void {
  if (!Number.isInteger(lit) || lit < 0 || lit >= 2 * g.atomCount)
    throw new RangeError(`literal code ${lit} is not a literal of this theory`);
}

let baseTheory: Grounded | null = null;
let lastBase: Base | null = null;

function baseOf(g: Grounded): Base {
  if (g === baseTheory && lastBase !== null) return lastBase;
  const forced = newBytes(2 * g.atomCount);
  const model = findModel(g, -1, forced);
  const base: Base = model === null ? "inconsistent" : { model, forced };
  baseTheory = g;
  lastBase = base;
  return base;
}

/** Consistency of the theory, with a model as witness. */
export function consistent(g: Grounded): Consistency {
  const b = baseOf(g);
  return b === "inconsistent" ? { consistent: false } : { consistent: true, model: b.model };
}

/**
 * A model of the theory in which `lit` is false, or null when the theory entails `lit`. The
 * returned array may be shared with other answers about the same theory: do not modify it.
 */
export function countermodel(g: Grounded, lit: number): Uint8Array | null {
  checkLiteral(g, lit);
  const b = baseOf(g);
  if (b === "inconsistent" || b.forced[lit] === 1) return null;
  // The consistency witness already refutes most non-entailed candidates.
  if (!literalTrue(b.model, lit)) return b.model;
  return findModel(g, lit ^ 1, undefined, b.forced);
}

/** Classical entailment of a ground literal by the grounded theory. */
export function entails(g: Grounded, lit: number): boolean {
  return countermodel(g, lit) === null;
}

/** Consistency plus a verdict per candidate literal, sharing the work. */
export function decideCandidates(g: Grounded, lits: ArrayLike<number>): CandidateDecision {
  const consistency = consistent(g);
  const verdicts: CandidateVerdict[] = [];
  for (let i = 0; i < lits.length; i++) {
    const cm = countermodel(g, lits[i] as number);
    verdicts.push(cm === null ? { entailed: true } : { entailed: false, countermodel: cm });
  }
  return { consistency, verdicts };
}

/** True when literal `lit` holds in `model`. */
export function literalTrue(model: Uint8Array, lit: number): boolean {
  return model[lit >> 1] === 1 - (lit & 1);
}

/** Independent check that `model` satisfies every fact, rule and extra clause of `g`. */
export function verifyModel(g: Grounded, model: Uint8Array): boolean {
  const n = model.length;
  if (n !== g.atomCount) return false;
  for (let a = 0; a < n; a++) if (model[a] !== 0 && model[a] !== 1) return false;
  // Deliberately reads the grounded arrays directly, not the derived clause set. Literal l holds
  // when model[l >> 1] equals 1 - (l & 1), i.e. when model[l >> 1] ^ (l & 1) is 1 (values are 0/1).
  const { facts, premStart, prem, concStart, conc } = g;
  for (let i = 0; i < facts.length; i++) {
    const l = facts[i] as number;
    if (((model[l >> 1] as number) ^ (l & 1)) !== 1) return false;
  }
  // Each rule's ranges start where the previous rule's ended.
  let p1 = premStart[0] as number;
  for (let r = 0; r < g.ruleCount; r++) {
    const p0 = p1;
    p1 = premStart[r + 1] as number;
    let i = p0;
    while (i < p1) {
      const l = prem[i] as number;
      if (((model[l >> 1] as number) ^ (l & 1)) !== 1) break;
      i++;
    }
    // Some premise is false: the rule does not fire.
    if (i < p1) continue;
    let holds = false;
    for (let k = concStart[r] as number; k < (concStart[r + 1] as number) && !holds; k++) {
      const l = conc[k] as number;
      holds = ((model[l >> 1] as number) ^ (l & 1)) === 1;
    }
    if (!holds) return false;
  }
  for (let c = 0; c + 1 < g.extraStart.length; c++) {
    let holds = false;
    for (let i = g.extraStart[c] as number; i < (g.extraStart[c + 1] as number) && !holds; i++)
      holds = literalTrue(model, g.extra[i] as number);
    if (!holds) return false;
  }
  return true;
}

/** Compact text form of a model: base64 of the bits, little-endian within a byte. */
export function packModel(model: Uint8Array): string {
  const bytes = new Uint8Array((model.length + 7) >> 3);
  for (let a = 0; a < model.length; a++)
    if (model[a] === 1) bytes[a >> 3] = (bytes[a >> 3] as number) | (1 << (a & 7));
  return base64(bytes);
}

/** Inverse of `packModel`; null when the text is not a packed model of that size. */
export function unpackModel(text: string, atomCount: number): Uint8Array | null {
  let s: string;
  try {
    s = atob(text);
  } catch {
    return null;
  }
  if (s.length !== (atomCount + 7) >> 3) return null;
  const model = new Uint8Array(atomCount);
  for (let a = 0; a < atomCount; a++) model[a] = (s.charCodeAt(a >> 3) >> (a & 7)) & 1;
  return model;
}
