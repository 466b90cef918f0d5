/**
 * Witnesses for the generator's non-entailment claims, found fast on the draft's integer form and
 * checkable in linear time by anyone holding the grounded theory:
 *
 * - a classical model (one bit per ground atom) shows consistency, and, when it makes a candidate
 *   false, that the candidate is not entailed;
 * - a stage model (one number per ground literal: the least layer k at which x[ℓ,k] is true, or
 *   "never") is a model of the layered theory T_h of docs/depth.md; when it leaves the goal out of
 *   layer h it shows that no derivation of height ≤ h exists (minimum depth > h).
 *
 * Literals use the encoding of src/prover/sat.ts: 2·atom + 1 for the negated atom, and an atom is
 * `pred · people + person`. Finding a witness is heuristic (a greedy pass, then the CDCL solver for
 * classical models); checking one is exact, and only checked witnesses are ever stored.
 */
import { Solver } from "../prover/sat.js";
import { VAR, type Lit, type RuleSpec } from "./tree.js";

/** A grounded theory: facts and rule instances over literal codes. */
export interface Grounded {
  readonly people: number;
  readonly atoms: number;
  readonly facts: Int32Array;
  /** Premise literals of each rule instance. */
  readonly prem: readonly Int32Array[];
  /** Conclusion literals (a disjunction) of each rule instance. */
  readonly concl: readonly Int32Array[];
  /** For each literal, the rule instances that have it as a premise. */
  readonly usedBy: readonly number[][];
}

/** Stage value meaning "never established". */
export const NEVER = 0x3fffffff;

/** The code of a ground literal. */
export function litCode(l: Lit, people: number, person = l.person): number {
  return 2 * (l.pred * people + person) + (l.pos ? 0 : 1);
}

/** Grounds facts and rules over `people` persons (universal rules get one instance per person). */
export function groundDraft(
  facts: readonly Lit[],
  rules: readonly RuleSpec[],
  preds: number,
  people: number,
): Grounded {
  const atoms = preds * people;
  const prem: Int32Array[] = [];
  const concl: Int32Array[] = [];
  for (const r of rules) {
    const persons = r.universal ? people : 1;
    for (let p = 0; p < persons; p++) {
      const at = (l: Lit): number => litCode(l, people, l.person === VAR ? p : l.person);
      prem.push(Int32Array.from(r.premises, at));
      concl.push(Int32Array.from(r.conclusions, at));
    }
  }
  const usedBy: number[][] = [];
  for (let i = 0; i < 2 * atoms; i++) usedBy.push([]);
  prem.forEach((ps, r) => {
    for (const l of ps) (usedBy[l] as number[]).push(r);
  });
  return { people, atoms, facts: Int32Array.from(facts, (l) => litCode(l, people)), prem, concl, usedBy };
}

/**
 * Greedy stage model of T_h that tries to keep `avoid` out (pass -1 to avoid nothing; h may be
 * `NEVER` for the unlayered closure). Disjunctive conclusions are resolved, after the forced ones of
 * the same layer, in favour of a disjunct that is already established, else one whose complement
 * can never be established, else any disjunct other than `avoid`. The result is not checked here.
 */
export function greedyStages(g: Grounded, h: number, avoid: number): Int32Array {
  const n = 2 * g.atoms;
  const stage = new Int32Array(n).fill(NEVER);
  // Literals that can possibly be established (facts and conclusions), to prefer dead-end disjuncts.
  const possible = new Uint8Array(n);
  for (const f of g.facts) possible[f] = 1;
  for (const c of g.concl) for (const l of c) possible[l] = 1;
  const missing = Int32Array.from(g.prem, (p) => p.length);
  let layer: number[] = [];
  for (const f of g.facts) {
    if (stage[f] === NEVER) {
      stage[f] = 0;
      layer.push(f);
    }
  }
  for (let k = 1; k <= h && layer.length > 0; k++) {
    const ready: number[] = [];
    for (const l of layer) {
      for (const r of g.usedBy[l] as number[]) {
        missing[r] = (missing[r] as number) - 1;
        if (missing[r] === 0) ready.push(r);
      }
    }
    const next: number[] = [];
    const disj: number[] = [];
    for (const r of ready) {
      const c = g.concl[r] as Int32Array;
      if (c.length === 1) {
        const l = c[0] as number;
        if (stage[l] === NEVER) {
          stage[l] = k;
          next.push(l);
        }
      } else disj.push(r);
    }
    for (const r of disj) {
      const c = g.concl[r] as Int32Array;
      let done = false;
      for (const l of c) if ((stage[l] as number) <= k) done = true;
      if (done) continue;
      let best = -1;
      let bestScore = -1;
      for (const l of c) {
        const comp = l ^ 1;
        let score = 0;
        if (l !== avoid) score += 1;
        if (stage[comp] === NEVER) score += 2;
        if (possible[comp] === 0) score += 4;
        if ((g.usedBy[l] as number[]).length === 0) score += 1;
        if (score > bestScore) {
          bestScore = score;
          best = l;
        }
      }
      stage[best] = k;
      next.push(best);
    }
    layer = next;
  }
  return stage;
}

/**
 * Checks that `stage` is a model of T_h (facts at 0, every rule instance whose premises are all
 * established by layer k-1 < h has a conclusion by layer k, no literal together with its complement
 * within layer h). Stages above h are treated as "never".
 */
export function checkStages(g: Grounded, stage: ArrayLike<number>, h: number): boolean {
  const s = (l: number): number => {
    const v = stage[l] as number;
    return v > h ? NEVER : v;
  };
  for (const f of g.facts) if (s(f) !== 0) return false;
  for (let r = 0; r < g.prem.length; r++) {
    let maxP = 0;
    for (const l of g.prem[r] as Int32Array) maxP = Math.max(maxP, s(l));
    if (maxP >= h) continue; // the rule cannot fire inside layers 1..h
    let minC = NEVER;
    for (const l of g.concl[r] as Int32Array) minC = Math.min(minC, s(l));
    if (minC > maxP + 1) return false;
  }
  for (let a = 0; a < g.atoms; a++) if (s(2 * a) !== NEVER && s(2 * a + 1) !== NEVER) return false;
  return true;
}

/** A stage model of T_h in which `goal` is not established by layer h, or undefined if none was found. */
export function depthWitness(g: Grounded, h: number, goal: number): Int32Array | undefined {
  if (h < 0) return new Int32Array(0);
  const stage = greedyStages(g, h, goal);
  if ((stage[goal] as number) <= h) return undefined;
  return checkStages(g, stage, h) ? stage : undefined;
}

/** Value of a literal code under an atom assignment (1 = true). */
function holds(model: ArrayLike<number>, l: number): boolean {
  return (model[l >> 1] === 1) === ((l & 1) === 0);
}

/** Checks that an atom assignment satisfies every fact and rule instance (and falsifies `falseLit`). */
export function checkModel(g: Grounded, model: ArrayLike<number>, falseLit = -1): boolean {
  for (const f of g.facts) if (!holds(model, f)) return false;
  for (let r = 0; r < g.prem.length; r++) {
    let fires = true;
    for (const l of g.prem[r] as Int32Array) {
      if (!holds(model, l)) {
        fires = false;
        break;
      }
    }
    if (!fires) continue;
    let ok = false;
    for (const l of g.concl[r] as Int32Array) if (holds(model, l)) ok = true;
    if (!ok) return false;
  }
  return falseLit < 0 || !holds(model, falseLit);
}

/**
 * A classical model of the grounded theory making `falseLit` false (or any model for -1), or
 * undefined when there is none (then the literal is entailed, or the theory is inconsistent).
 * Tries the closure of the greedy stage pass first and calls the CDCL solver only if that fails.
 */
export function classicalModel(g: Grounded, falseLit: number): Uint8Array | undefined {
  const stage = greedyStages(g, NEVER, falseLit);
  const model = new Uint8Array(g.atoms);
  // Undetermined atoms default to false, except when only the negative literal is ever relied on.
  for (let a = 0; a < g.atoms; a++) {
    if (stage[2 * a] !== NEVER) model[a] = 1;
    else if (stage[2 * a + 1] !== NEVER) model[a] = 0;
    else model[a] = (g.usedBy[2 * a + 1] as number[]).length > (g.usedBy[2 * a] as number[]).length ? 1 : 0;
  }
  if (checkModel(g, model, falseLit)) return model;
  const solver = new Solver(g.atoms);
  for (const f of g.facts) solver.addClause([f]);
  for (let r = 0; r < g.prem.length; r++) {
    const clause: number[] = [];
    for (const l of g.prem[r] as Int32Array) clause.push(l ^ 1);
    for (const l of g.concl[r] as Int32Array) clause.push(l);
    solver.addClause(clause);
  }
  const res = solver.solve({ assumptions: falseLit >= 0 ? [falseLit ^ 1] : [], phase: model });
  if (res.status !== "sat") return undefined;
  const m = Uint8Array.from(res.model);
  return checkModel(g, m, falseLit) ? m : undefined;
}
