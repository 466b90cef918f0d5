/**
 * Backward construction of proof trees (the untrusted half of the generator: everything built here
 * is certified by src/prover/ before an item is emitted).
 *
 * A tree is grown from a goal literal down to facts. Each internal node derives its literal at an
 * exact height h by one of the step kinds below, asking for its main premise at height h-1 (h-2
 * for a case split) and for side premises at lower heights. Every literal introduced gets a fresh
 * predicate, so trees cannot interact except where a step makes them share on purpose (a reused
 * node, a universal rule instantiated for two people). Step kinds, by level:
 *
 * - `apply` (all levels): one rule `p1 ∧ … ∧ pk → lit`; k = 1 at implication, 1..maxPremises above.
 * - negative literals (negation and above): every fresh literal gets a random polarity.
 * - `elim` (disjunction and above): `P → lit ∨ s1 ∨ …` with the complement of each si established.
 * - `cases` (disjunction and above): `P → a1 ∨ … ∨ am` and `ai (∧ side) → lit` for every i.
 * - `twin` (quantification): `∀X (p(X) → q(X))` instantiated for two people, then
 *   `q(c) ∧ q(d) → lit(c)`; plus universal rules, cross-person link premises and reused nodes.
 */
import type { GenConfig } from "./config.js";
import { levelRank } from "./config.js";
import type { Rng } from "./random.js";
import { assertNever } from "../logic/formula.js";

/** Person index standing for the variable X inside a universal rule. */
export const VAR = -1;

/** A literal of the draft: predicate and person by index, polarity by flag. */
export interface Lit {
  readonly pred: number;
  /** Person index, or `VAR` inside a universal rule. */
  readonly person: number;
  readonly pos: boolean;
}

/** A rule of the draft: premises (conjunction) imply conclusions (disjunction). */
export interface RuleSpec {
  readonly universal: boolean;
  readonly premises: readonly Lit[];
  readonly conclusions: readonly Lit[];
}

/** A premise slot of a case-branch rule: the branch's assumption or an established derivation. */
export type BranchPremise = { readonly kind: "assumption" } | Deriv;

/** The assumption slot (one shared value: it carries no data). */
const ASSUMPTION: BranchPremise = Object.freeze({ kind: "assumption" });

/** One branch of a proof by cases: assume the i-th disjunct, apply `rule` (instantiated at `person`). */
export interface Branch {
  readonly rule: number;
  readonly person: number;
  readonly premises: readonly BranchPremise[];
}

/**
 * A derivation node of the gold (or a candidate) tree; `height` follows docs/depth.md. `id` numbers
 * the draft's nodes 0 … `Draft.nodes` − 1 in creation order, so per-node tables can be arrays.
 */
export type Deriv =
  | {
      readonly kind: "fact";
      readonly lit: Lit;
      readonly fact: number;
      readonly height: number;
      readonly id: number;
    }
  | {
      readonly kind: "apply";
      readonly lit: Lit;
      readonly rule: number;
      /** Instantiation person for a universal rule (the conclusion's person otherwise). */
      readonly person: number;
      readonly premises: readonly Deriv[];
      readonly height: number;
      readonly id: number;
    }
  | {
      readonly kind: "elim";
      readonly lit: Lit;
      readonly rule: number;
      readonly person: number;
      readonly premises: readonly Deriv[];
      /** Derivations of the complements of the other disjuncts, in the rule's disjunct order. */
      readonly refutations: readonly Deriv[];
      readonly height: number;
      readonly id: number;
    }
  | {
      readonly kind: "cases";
      readonly lit: Lit;
      readonly rule: number;
      readonly person: number;
      readonly premises: readonly Deriv[];
      /** One branch per disjunct of the split rule, in its disjunct order. */
      readonly branches: readonly Branch[];
      readonly height: number;
      readonly id: number;
    };

/** A sentence with the tree it belongs to (-1 for distractors) and whether corruption removed it. */
export interface Owned<T> {
  value: T;
  readonly tree: number;
  alive: boolean;
}

/** The draft of one problem before corruption is verified and sentences are shuffled. */
export interface Draft {
  readonly preds: readonly string[];
  /** Person names; index 0 is the person the candidates are about. */
  readonly people: readonly string[];
  readonly facts: readonly Owned<Lit>[];
  readonly rules: readonly Owned<RuleSpec>[];
  /** Root derivation of each candidate tree (index 0 is the gold tree, still intact). */
  readonly roots: readonly Deriv[];
  /** What each candidate tree's corruption did (empty for the gold tree). */
  readonly corruptions: readonly string[];
  /** Number of derivation nodes (every `Deriv.id` is below it). */
  readonly nodes: number;
}

/** The fixed pool of first names (one per letter). */
export const PEOPLE: readonly string[] = [
  "Alice",
  "Bob",
  "Carol",
  "David",
  "Emma",
  "Frank",
  "Grace",
  "Henry",
  "Irene",
  "Jack",
  "Kate",
  "Leo",
  "Mona",
  "Nick",
  "Olivia",
  "Paul",
  "Quinn",
  "Rachel",
  "Sam",
  "Tina",
  "Uma",
  "Victor",
  "Wendy",
  "Xavier",
  "Yara",
  "Zach",
];

/** Number of five-letter lowercase words. */
const WORDS = 26 ** 5;

/** Step mix; probabilities are per node and only for the constructs the level allows. */
const P_MULTI_PREMISE = 0.5;
const P_SIDE_FACT = 0.75;
const P_ELIM = 0.3;
const P_CASES = 0.25;
const P_TWIN = 0.3;
const P_UNIVERSAL = 0.5;
const P_LINK = 0.3;
const P_REUSE = 0.3;
const P_BRANCH_SIDE = 0.25;

/**
 * The set of word numbers drawn by the current draft: open addressing with linear probing in typed
 * arrays shared by every draft, emptied by moving to a new stamp (a slot whose stamp is not the
 * current one is free). A `Set` per draft was the builder's largest allocation (its table is
 * rebuilt at every doubling). Word numbers are uniform draws, so their low bits are the hash.
 * Drafts are built synchronously one at a time, so one shared set suffices.
 */
class WordSet {
  private keys = new Int32Array(1024);
  private stamps = new Int32Array(1024);
  private stamp = 0;
  private count = 0;

  /** Empties the set. */
  clear(): void {
    this.count = 0;
    if (++this.stamp === 0x7fffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }

  /** Adds `v` (0 ≤ v < 2^31); false when it was already present. */
  add(v: number): boolean {
    const mask = this.keys.length - 1;
    for (let i = v & mask; ; i = (i + 1) & mask) {
      if (this.stamps[i] !== this.stamp) {
        this.keys[i] = v;
        this.stamps[i] = this.stamp;
        if (2 * ++this.count > this.keys.length) this.grow();
        return true;
      }
      if (this.keys[i] === v) return false;
    }
  }

  /** Doubles the table (at most half full, so probes stay short), re-adding the current words. */
  private grow(): void {
    const keys = this.keys;
    const stamps = this.stamps;
    this.keys = new Int32Array(2 * keys.length);
    this.stamps = new Int32Array(2 * keys.length);
    const mask = this.keys.length - 1;
    for (let j = 0; j < keys.length; j++) {
      if (stamps[j] !== this.stamp) continue;
      const v = keys[j] as number;
      let i = v & mask;
      while (this.stamps[i] === this.stamp) i = (i + 1) & mask;
      this.keys[i] = v;
      this.stamps[i] = this.stamp;
    }
  }
}

const drawnWords = new WordSet();

/**
 * Rule index and conclusion position of every conclusion about a person in the current draft's
 * trees, in rule order (`Builder.established`), shared by every draft and overwritten by the next
 * one: building a list of those literals for every draft was measurable.
 */
let conclRefs = new Int32Array(512);

class Builder {
  readonly preds: string[] = [];
  readonly facts: Owned<Lit>[] = [];
  readonly rules: Owned<RuleSpec>[] = [];
  private tree = 0;
  /** Pairs in `conclRefs` (tree rules' conclusions about a person). */
  private conclCount = 0;
  /** Derivation nodes made so far (the next node's `id`). */
  nodes = 0;
  /** Established derivations of the current tree, candidates for reuse (DAG sharing, so kept from quantification on). */
  private registry: Deriv[] = [];
  private readonly rank: number;

  constructor(
    private readonly rng: Rng,
    private readonly config: GenConfig,
    readonly people: readonly string[],
  ) {
    this.rank = levelRank(config.level);
    drawnWords.clear();
  }

  startTree(t: number): void {
    this.tree = t;
    this.registry = [];
  }

  freshPred(): number {
    for (;;) {
      // One draw gives all five letters (26^5 words), read off in base 26; a collision is redrawn
      // before any string is made.
      const v = this.rng.int(WORDS);
      if (!drawnWords.add(v)) continue;
      // Digits in int32 arithmetic (v < 2^24): a remainder of doubles is a call to fmod.
      let w = v | 0;
      const e = w % 26;
      w = (w / 26) | 0;
      const d = w % 26;
      w = (w / 26) | 0;
      const c = w % 26;
      w = (w / 26) | 0;
      const b = w % 26;
      const a = ((w / 26) | 0) % 26;
      this.preds.push(String.fromCharCode(97 + a, 97 + b, 97 + c, 97 + d, 97 + e));
      return this.preds.length - 1;
    }
  }

  freshLit(person: number): Lit {
    return { pred: this.freshPred(), person, pos: this.rank >= 2 ? this.rng.chance(0.5) : true };
  }

  otherPerson(p: number): number {
    const n = this.people.length;
    return (p + 1 + this.rng.int(n - 1)) % n;
  }

  addRule(spec: RuleSpec): number {
    const id = this.rules.length;
    this.rules.push({ value: spec, tree: this.tree, alive: true });
    if (this.tree >= 0) {
      // Tree rules' conclusions about a person are established literals for the distractors.
      const cs = spec.conclusions;
      for (let j = 0; j < cs.length; j++) {
        if ((cs[j] as Lit).person === VAR) continue;
        if (conclRefs.length < 2 * this.conclCount + 2) {
          const grown = new Int32Array(2 * conclRefs.length);
          grown.set(conclRefs);
          conclRefs = grown;
        }
        conclRefs[2 * this.conclCount] = id;
        conclRefs[2 * this.conclCount + 1] = j;
        this.conclCount++;
      }
    }
    return id;
  }

  /**
   * The k-th established literal: the facts' current values in fact order, then the tree rules'
   * conclusions about a person in rule order (corruption may have flipped either, which counts).
   */
  private established(k: number): Lit {
    const nf = this.facts.length;
    if (k < nf) return (this.facts[k] as Owned<Lit>).value;
    const r = this.rules[conclRefs[2 * (k - nf)] as number] as Owned<RuleSpec>;
    return r.value.conclusions[conclRefs[2 * (k - nf) + 1] as number] as Lit;
  }

  private record(d: Deriv): Deriv {
    // Only quantification reuses nodes; below it the registry is never read.
    if (this.rank >= 4) this.registry.push(d);
    return d;
  }

  /** Derives `lit` (ground) at exactly height `h`. */
  derive(lit: Lit, h: number): Deriv {
    if (h === 0) {
      this.facts.push({ value: lit, tree: this.tree, alive: true });
      return this.record({ kind: "fact", lit, fact: this.facts.length - 1, height: 0, id: this.nodes++ });
    }
    // One draw picks the step kind; the thresholds stack P_TWIN, P_CASES, P_ELIM in that order.
    const r = this.rng.next();
    const twin = this.rank >= 4 && h >= 2 && this.people.length >= 2 ? P_TWIN : 0;
    const cases = this.rank >= 3 && h >= 2 ? P_CASES : 0;
    const elim = this.rank >= 3 ? P_ELIM : 0;
    if (r < twin) return this.twin(lit, h);
    if (r < twin + cases) return this.cases(lit, h);
    if (r < twin + cases + elim) return this.elim(lit, h);
    return this.apply(lit, h);
  }

  private universal(): boolean {
    return this.rank >= 4 && this.rng.chance(P_UNIVERSAL);
  }

  /** Premises for a rule concluding about `person`: the main one at `hMain`, sides lower. */
  private premises(person: number, hMain: number, universal: boolean): { lits: Lit[]; derivs: Deriv[] } {
    const mainPerson =
      !universal && this.rank >= 4 && this.people.length >= 2 && this.rng.chance(P_LINK)
        ? this.otherPerson(person)
        : person;
    const main = this.freshLit(mainPerson);
    const mainDeriv = this.derive(main, hMain);
    const k =
      this.rank >= 1 && this.rng.chance(P_MULTI_PREMISE) ? this.rng.range(2, this.config.maxPremises) : 1;
    // Two parallel arrays (rather than pairs) shuffled together with the same draws, allocated at
    // their final length: growing them by push was the builder's largest allocation.
    const lits: Lit[] = new Array<Lit>(k);
    const derivs: Deriv[] = new Array<Deriv>(k);
    lits[0] = main;
    derivs[0] = mainDeriv;
    for (let j = 1; j < k; j++) {
      const sidePerson =
        !universal && this.rank >= 4 && this.rng.chance(P_LINK) ? this.rng.int(this.people.length) : person;
      if (this.rank >= 4 && this.rng.chance(P_REUSE)) {
        const d = this.reusable(hMain, sidePerson, derivs, j);
        if (d !== undefined) {
          lits[j] = d.lit;
          derivs[j] = d;
          continue;
        }
      }
      const hs = hMain === 0 || this.rng.chance(P_SIDE_FACT) ? 0 : this.rng.range(1, Math.min(hMain, 2));
      const side = this.freshLit(sidePerson);
      lits[j] = side;
      derivs[j] = this.derive(side, hs);
    }
    for (let i = lits.length - 1; i > 0; i--) {
      const j = this.rng.int(i + 1);
      const l = lits[i] as Lit;
      lits[i] = lits[j] as Lit;
      lits[j] = l;
      const d = derivs[i] as Deriv;
      derivs[i] = derivs[j] as Deriv;
      derivs[j] = d;
    }
    return { lits, derivs };
  }

  /**
   * A uniformly drawn established derivation of height ≤ `hMax` about `person` not among the first
   * `usedCount` entries of `used`, or undefined when there is none (then nothing is drawn). Counts
   * the options and walks to the drawn one instead of building a filtered list: the same single
   * draw as picking from that list.
   */
  private reusable(
    hMax: number,
    person: number,
    used: readonly Deriv[],
    usedCount: number,
  ): Deriv | undefined {
    const reg = this.registry;
    let count = 0;
    for (let i = 0; i < reg.length; i++) {
      const d = reg[i] as Deriv;
      if (d.height <= hMax && d.lit.person === person && !isAmong(d, used, usedCount)) count++;
    }
    if (count === 0) return undefined;
    let at = this.rng.int(count);
    for (let i = 0; i < reg.length; i++) {
      const d = reg[i] as Deriv;
      if (d.height <= hMax && d.lit.person === person && !isAmong(d, used, usedCount) && at-- === 0) return d;
    }
    return undefined;
  }

  private ruleOf(universal: boolean, premises: readonly Lit[], conclusions: readonly Lit[]): RuleSpec {
    if (!universal) return { universal, premises, conclusions };
    return { universal, premises: withVar(premises), conclusions: withVar(conclusions) };
  }

  private disjunctCount(): number {
    return this.rng.chance(0.7) ? 2 : this.rng.range(2, this.config.maxDisjuncts);
  }

  private apply(lit: Lit, h: number): Deriv {
    const u = this.universal();
    const p = this.premises(lit.person, h - 1, u);
    const rule = this.addRule(this.ruleOf(u, p.lits, [lit]));
    return this.record({
      kind: "apply",
      lit,
      rule,
      person: lit.person,
      premises: p.derivs,
      height: h,
      id: this.nodes++,
    });
  }

  private elim(lit: Lit, h: number): Deriv {
    const u = this.universal();
    const p = this.premises(lit.person, h - 1, u);
    const m = this.disjunctCount();
    // The literal first, then the other disjuncts, shuffled together.
    const disjuncts: Lit[] = new Array<Lit>(m);
    disjuncts[0] = lit;
    for (let i = 1; i < m; i++) {
      const person = !u && this.rng.chance(P_LINK) ? this.rng.int(this.people.length) : lit.person;
      disjuncts[i] = this.freshLit(person);
    }
    this.rng.shuffle(disjuncts);
    const refutations: Deriv[] = new Array<Deriv>(m - 1);
    let k = 0;
    for (let i = 0; i < m; i++) {
      const s = disjuncts[i] as Lit;
      if (s === lit) continue;
      // Strictly below h, so the complement is already established when the disjunction appears
      // (the depth certifier's greedy model then never has to undo a choice of disjunct).
      const hr = h === 1 || this.rng.chance(P_SIDE_FACT) ? 0 : this.rng.range(1, Math.min(h - 1, 2));
      refutations[k++] = this.derive({ pred: s.pred, person: s.person, pos: !s.pos }, hr);
    }
    const rule = this.addRule(this.ruleOf(u, p.lits, disjuncts));
    return this.record({
      kind: "elim",
      lit,
      rule,
      person: lit.person,
      premises: p.derivs,
      refutations,
      height: h,
      id: this.nodes++,
    });
  }

  private cases(lit: Lit, h: number): Deriv {
    const u = this.universal();
    const p = this.premises(lit.person, h - 2, u);
    const m = this.disjunctCount();
    const disjuncts: Lit[] = new Array<Lit>(m);
    for (let i = 0; i < m; i++) disjuncts[i] = this.freshLit(lit.person);
    const split = this.addRule(this.ruleOf(u, p.lits, disjuncts));
    const branches: Branch[] = new Array<Branch>(m);
    for (let i = 0; i < m; i++) {
      const a = disjuncts[i] as Lit;
      const ub = this.universal();
      let lits: Lit[];
      let prem: BranchPremise[];
      if (this.config.maxPremises >= 2 && this.rng.chance(P_BRANCH_SIDE)) {
        // The assumption and a side fact, in either order.
        const side = this.freshLit(lit.person);
        const sd = this.derive(side, 0);
        if (this.rng.chance(0.5)) {
          lits = [side, a];
          prem = [sd, ASSUMPTION];
        } else {
          lits = [a, side];
          prem = [ASSUMPTION, sd];
        }
      } else {
        lits = [a];
        prem = [ASSUMPTION];
      }
      const rule = this.addRule(this.ruleOf(ub, lits, [lit]));
      branches[i] = { rule, person: lit.person, premises: prem };
    }
    return this.record({
      kind: "cases",
      lit,
      rule: split,
      person: lit.person,
      premises: p.derivs,
      branches,
      height: h,
      id: this.nodes++,
    });
  }

  private twin(lit: Lit, h: number): Deriv {
    const c = lit.person;
    const d = this.otherPerson(c);
    const pp = this.freshPred();
    const qp = this.freshPred();
    const ppos = this.rng.chance(0.5);
    const qpos = this.rng.chance(0.5);
    const shared = this.addRule({
      universal: true,
      premises: [{ pred: pp, person: VAR, pos: ppos }],
      conclusions: [{ pred: qp, person: VAR, pos: qpos }],
    });
    const pc = this.derive({ pred: pp, person: c, pos: ppos }, h - 2);
    const hd = h - 2 === 0 || this.rng.chance(P_SIDE_FACT) ? 0 : this.rng.range(1, Math.min(h - 2, 2));
    const pd = this.derive({ pred: pp, person: d, pos: ppos }, hd);
    const qc = this.record({
      kind: "apply",
      lit: { pred: qp, person: c, pos: qpos },
      rule: shared,
      person: c,
      premises: [pc],
      height: h - 1,
      id: this.nodes++,
    });
    const qd = this.record({
      kind: "apply",
      lit: { pred: qp, person: d, pos: qpos },
      rule: shared,
      person: d,
      premises: [pd],
      height: hd + 1,
      id: this.nodes++,
    });
    const pair: Deriv[] = this.rng.chance(0.5) ? [qc, qd] : [qd, qc];
    const rule = this.addRule({
      universal: false,
      premises: [(pair[0] as Deriv).lit, (pair[1] as Deriv).lit],
      conclusions: [lit],
    });
    return this.record({ kind: "apply", lit, rule, person: c, premises: pair, height: h, id: this.nodes++ });
  }

  /** Adds `n` distractor rules; each has a premise on a predicate used nowhere else, so it can never fire. */
  distractors(n: number): void {
    this.tree = -1;
    // Picks among the established literals draw one index, as `rng.pick` on their list would.
    const established = this.facts.length + this.conclCount;
    for (let i = 0; i < n; i++) {
      const u = this.universal();
      const person = u ? 0 : this.rng.int(this.people.length);
      const k = this.rng.range(1, this.rank >= 1 ? this.config.maxPremises : 1);
      const prem: Lit[] = [this.freshLit(person)];
      for (let j = 1; j < k; j++) {
        if (established > 0 && this.rng.chance(0.6)) {
          const e = this.established(this.rng.int(established));
          prem.push({ pred: e.pred, person: u ? person : e.person, pos: e.pos });
        } else prem.push(this.freshLit(person));
      }
      const m = this.rank >= 3 && this.rng.chance(0.4) ? this.disjunctCount() : 1;
      const concl: Lit[] = [];
      for (let j = 0; j < m; j++) {
        if (established > 0 && this.rng.chance(0.5)) {
          const e = this.established(this.rng.int(established));
          const pos = this.rank >= 2 ? this.rng.chance(0.5) : true;
          concl.push({ pred: e.pred, person: u ? person : e.person, pos });
        } else concl.push(this.freshLit(person));
      }
      // No duplicate atoms inside one rule: rebuild with fresh literals if the picks collided.
      if (hasDuplicateAtom(prem, concl)) {
        i--;
        continue;
      }
      this.rng.shuffle(prem);
      this.addRule(this.ruleOf(u, prem, concl));
    }
  }
}

/** The literals with the person replaced by the rule's variable. */
function withVar(ls: readonly Lit[]): Lit[] {
  const out: Lit[] = new Array<Lit>(ls.length);
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i] as Lit;
    out[i] = { pred: l.pred, person: VAR, pos: l.pos };
  }
  return out;
}

/** Whether `d` is one of the first `count` entries of `xs` (the rest may be unfilled holes). */
function isAmong(d: Deriv, xs: readonly Deriv[], count: number): boolean {
  for (let i = 0; i < count; i++) if (xs[i] === d) return true;
  return false;
}

/** True when two literals of a rule (premises and conclusions together) share predicate and person. */
function hasDuplicateAtom(prem: readonly Lit[], concl: readonly Lit[]): boolean {
  const n = prem.length + concl.length;
  for (let i = 0; i < n; i++) {
    const a = (i < prem.length ? prem[i] : concl[i - prem.length]) as Lit;
    for (let j = i + 1; j < n; j++) {
      const b = (j < prem.length ? prem[j] : concl[j - prem.length]) as Lit;
      if (a.pred === b.pred && a.person === b.person) return true;
    }
  }
  return false;
}

/** The axioms (fact and rule indices) a derivation uses, shared nodes once, in first-visit order. */
export function axiomsOf(root: Deriv): { facts: Set<number>; rules: Set<number> } {
  const ax = axiomLists(root, true);
  return { facts: new Set(ax.facts), rules: new Set(ax.rules) };
}

/**
 * `axiomsOf` as arrays, in the order the corruption step numbers axioms (`nthAxiom` walks the
 * same order without building the lists). Facts need no duplicate check: each fact node is made
 * for its own fact. Nodes and rules are shared only from quantification on (`dag`): a reused node
 * is reached twice, and the twin step's two applications share one universal rule; below that
 * level every node and rule occurs once, so the marks are skipped.
 */
function axiomLists(root: Deriv, dag: boolean): { facts: number[]; rules: number[] } {
  const out: AxiomSink = { facts: [], rules: [], dag };
  if (dag) {
    seenNodes.clear();
    seenRules.clear();
  }
  visitAxioms(root, out);
  return out;
}

/**
 * Marks on small non-negative integers (node ids, rule indices) in a typed array shared by every
 * walk, cleared by moving to a new stamp: sets of nodes and rules per walk were measurable garbage.
 * Walks run synchronously one at a time.
 */
class Marks {
  private stamps = new Int32Array(256);
  private stamp = 0;

  /** Unmarks everything. */
  clear(): void {
    if (++this.stamp === 0x7fffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }

  /** Marks `i`; false when it was already marked. */
  mark(i: number): boolean {
    if (i >= this.stamps.length) {
      const grown = new Int32Array(Math.max(i + 1, 2 * this.stamps.length));
      grown.set(this.stamps);
      this.stamps = grown;
    }
    if (this.stamps[i] === this.stamp) return false;
    this.stamps[i] = this.stamp;
    return true;
  }
}

const seenNodes = new Marks();
const seenRules = new Marks();

/**
 * The `n`-th rule (`rules`) or fact index in `axiomLists(root, dag)` order, or -1 when there are
 * fewer: a walk in the same order that stops at the wanted axiom.
 */
function nthAxiom(root: Deriv, dag: boolean, rules: boolean, n: number): number {
  if (dag) {
    seenNodes.clear();
    seenRules.clear();
  }
  const finder: NthAxiom = { dag, rules, left: n, found: -1 };
  findAxiom(root, finder);
  return finder.found;
}

interface NthAxiom {
  /** Whether nodes and rules may be shared (then `seenNodes` and `seenRules` count them once). */
  readonly dag: boolean;
  readonly rules: boolean;
  /** Axioms of the wanted kind still to pass before the wanted one. */
  left: number;
  found: number;
}

/** Counts one axiom of kind `rule` (true) or fact; true when it is the wanted one. */
function passAxiom(f: NthAxiom, rule: boolean, index: number): boolean {
  if (rule && f.dag && !seenRules.mark(index)) return false;
  if (rule !== f.rules) return false;
  if (f.left-- > 0) return false;
  f.found = index;
  return true;
}

/** `visitAxioms`, stopping (returning true) once the wanted axiom is found. */
function findAxiom(d: Deriv, f: NthAxiom): boolean {
  if (f.dag && !seenNodes.mark(d.id)) return false;
  switch (d.kind) {
    case "fact":
      return passAxiom(f, false, d.fact);
    case "apply":
      if (passAxiom(f, true, d.rule)) return true;
      for (let i = 0; i < d.premises.length; i++) if (findAxiom(d.premises[i] as Deriv, f)) return true;
      return false;
    case "elim":
      if (passAxiom(f, true, d.rule)) return true;
      for (let i = 0; i < d.premises.length; i++) if (findAxiom(d.premises[i] as Deriv, f)) return true;
      for (let i = 0; i < d.refutations.length; i++) if (findAxiom(d.refutations[i] as Deriv, f)) return true;
      return false;
    case "cases":
      if (passAxiom(f, true, d.rule)) return true;
      for (let i = 0; i < d.premises.length; i++) if (findAxiom(d.premises[i] as Deriv, f)) return true;
      for (let i = 0; i < d.branches.length; i++) {
        const b = d.branches[i] as Branch;
        if (passAxiom(f, true, b.rule)) return true;
        for (let j = 0; j < b.premises.length; j++) {
          const p = b.premises[j] as BranchPremise;
          if (p.kind !== "assumption" && findAxiom(p, f)) return true;
        }
      }
      return false;
    default:
      return assertNever(d);
  }
}

interface AxiomSink {
  readonly facts: number[];
  readonly rules: number[];
  /** Whether nodes and rules may be shared (then `seenNodes` and `seenRules` keep them once). */
  readonly dag: boolean;
}

function addRuleAxiom(out: AxiomSink, rule: number): void {
  if (out.dag && !seenRules.mark(rule)) return;
  out.rules.push(rule);
}

function visitAxioms(d: Deriv, out: AxiomSink): void {
  if (out.dag && !seenNodes.mark(d.id)) return;
  switch (d.kind) {
    case "fact":
      out.facts.push(d.fact);
      return;
    case "apply":
      addRuleAxiom(out, d.rule);
      for (const p of d.premises) visitAxioms(p, out);
      return;
    case "elim":
      addRuleAxiom(out, d.rule);
      for (const p of d.premises) visitAxioms(p, out);
      for (const p of d.refutations) visitAxioms(p, out);
      return;
    case "cases":
      addRuleAxiom(out, d.rule);
      for (const p of d.premises) visitAxioms(p, out);
      for (const b of d.branches) {
        addRuleAxiom(out, b.rule);
        for (const p of b.premises) if (p.kind !== "assumption") visitAxioms(p, out);
      }
      return;
    default:
      assertNever(d);
  }
}

/**
 * Builds a draft: B trees of depth `depth` rooted at fresh literals about person 0, trees 1..B-1
 * corrupted (one axiom dropped, or from negation on, half the time, the polarity of a fact or of
 * one literal of a rule flipped), then distractors.
 */
export function buildDraft(config: GenConfig, depth: number, rng: Rng): Draft {
  const pool = rng.shuffle([...PEOPLE]);
  const people = pool.slice(0, config.people);
  const b = new Builder(rng, config, people);
  const roots: Deriv[] = [];
  const corruptions: string[] = [];
  const rank = levelRank(config.level);
  const dag = rank >= 4;
  // Where each tree's facts and rules start in the builder's lists (trees are built one by one).
  const factStart: number[] = new Array<number>(config.candidates + 1);
  const ruleStart: number[] = new Array<number>(config.candidates + 1);
  for (let t = 0; t < config.candidates; t++) {
    factStart[t] = b.facts.length;
    ruleStart[t] = b.rules.length;
    b.startTree(t);
    const root = b.freshLit(0);
    roots.push(b.derive(root, depth));
  }
  factStart[config.candidates] = b.facts.length;
  ruleStart[config.candidates] = b.rules.length;
  for (let t = 1; t < config.candidates; t++) {
    const root = roots[t];
    if (root === undefined) continue;
    // One axiom of the tree, uniformly, numbered facts first and each list in `axiomLists` order.
    // Every fact and rule made for the tree occurs in it (once, or shared, and then counted once:
    // nodes are reused only within their tree), so the counts are known and only the drawn axiom
    // is looked for (no lists are built).
    const nf = (factStart[t + 1] as number) - (factStart[t] as number);
    const nr = (ruleStart[t + 1] as number) - (ruleStart[t] as number);
    const i = rng.int(nf + nr);
    const fact = i < nf ? nthAxiom(root, dag, false, i) : -1;
    const ruleId = i < nf ? -1 : nthAxiom(root, dag, true, i - nf);
    if (fact >= 0) {
      const f = b.facts[fact];
      if (f === undefined) continue;
      if (rank >= 2 && rng.chance(0.5)) {
        f.value = { pred: f.value.pred, person: f.value.person, pos: !f.value.pos };
        corruptions.push(`flipped fact #${fact}`);
      } else {
        f.alive = false;
        corruptions.push(`dropped fact #${fact}`);
      }
    } else {
      const id = ruleId;
      const r = b.rules[id];
      if (r === undefined) continue;
      if (rank >= 2 && rng.chance(0.5)) {
        // Flip one literal of the rule: a premise (the rule stops firing) or a conclusion.
        const spec = r.value;
        const j = rng.int(spec.premises.length + spec.conclusions.length);
        const flip = (l: Lit): Lit => ({ pred: l.pred, person: l.person, pos: !l.pos });
        // Written as the builder writes rules (not as a spread copy), so every RuleSpec has one
        // shape and the readers' property loads stay monomorphic.
        const np = spec.premises.length;
        r.value = {
          universal: spec.universal,
          premises: j < np ? spec.premises.map((l, k) => (k === j ? flip(l) : l)) : spec.premises,
          conclusions:
            j < np ? spec.conclusions : spec.conclusions.map((l, k) => (k === j - np ? flip(l) : l)),
        };
        corruptions.push(`flipped literal ${j + 1} of rule #${id}`);
      } else {
        r.alive = false;
        corruptions.push(`dropped rule #${id}`);
      }
    }
  }
  b.distractors(rng.range(config.distractors[0], config.distractors[1]));
  return { preds: b.preds, people, facts: b.facts, rules: b.rules, roots, corruptions, nodes: b.nodes };
}
