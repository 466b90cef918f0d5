/**
 * Grounding: a theory over constants becomes a compact propositional form.
 *
 * Public API:
 * - `ground(theory, extra?)` → `{ ok: true, grounded } | { ok: false, issues }`; `groundOrThrow` is
 *   the throwing twin. `extra` formulas (goal, candidates) only contribute constants and atoms.
 * - `literalCode(grounded, formula)` → the code of a ground literal, or -1 when the formula is not a
 *   literal over known atoms. `literalFormula(grounded, code)` goes back.
 * - `groundClauses(grounded)`: every fact, rule and extra clause as one flat clause list (cached).
 *
 * Encoding: atoms are numbered densely 0…atomCount-1; the literal code is `2 * atom + sign`
 * (sign 1 = negated), so the complement of `l` is `l ^ 1`. Ground rules are stored column-wise:
 * premises of rule r are `prem[premStart[r] … premStart[r+1])`, conclusions likewise in `conc`.
 * A fact that is a disjunction is a rule with no premises.
 *
 * Fast path: literal facts and rules `∀X… (p1 ∧ … ∧ pk → c1 ∨ … ∨ cm)` over unary predicates are
 * instantiated without building formulas, one map lookup per predicate and an array index per
 * (predicate, constant). Any other closed formula is expanded over the constants (a `∀` becomes
 * the conjunction of its instances) and converted to clauses; such a theory is marked
 * `fragment: false` and the depth procedures decline it (depth is defined for the rule fragment).
 * Classical semantics here is Herbrand semantics over the constants of theory, goal and candidates.
 */
import {
  assertNever,
  atom,
  constant,
  instantiate,
  isLiteral,
  not,
  formulaKey,
  type Atom,
  type Const,
  type Formula,
  type Literal,
  type Term,
} from "../logic/formula.js";
import type { Theory } from "../logic/theory.js";
import { newInt32s } from "./slab.js";

/** The propositional form of a theory. */
export interface Grounded {
  /** Number of ground atoms; literal codes range over 0…2·atomCount-1. */
  readonly atomCount: number;
  /** The constants, in first-occurrence order. */
  readonly constants: readonly string[];
  /** Literal codes of the (literal) facts. */
  readonly facts: Int32Array;
  /** Number of ground rules (including disjunctive facts, which have no premises). */
  readonly ruleCount: number;
  /** Start offsets into `prem`, length ruleCount + 1. */
  readonly premStart: Int32Array;
  /** Premise literal codes of all rules. */
  readonly prem: Int32Array;
  /** Start offsets into `conc`, length ruleCount + 1. */
  readonly concStart: Int32Array;
  /** Conclusion literal codes of all rules. */
  readonly conc: Int32Array;
  /** Clauses of formulas outside the rule fragment: start offsets (length count + 1) and literals. */
  readonly extraStart: Int32Array;
  /** Literals of the extra clauses. */
  readonly extra: Int32Array;
  /** True when every formula was a literal fact, a disjunctive/conjunctive fact or a rule. */
  readonly fragment: boolean;
  /** True when in the fragment and every ground rule has exactly one conclusion and ≥ 1 premise. */
  readonly horn: boolean;
  /** Looks up atoms; internal to the prover. */
  readonly table: AtomTable;
}

/** Why grounding failed. */
export interface GroundIssue {
  readonly code: "not-closed" | "too-large";
  readonly message: string;
}

/** Result of `ground`. */
export type GroundResult =
  | { readonly ok: true; readonly grounded: Grounded }
  | { readonly ok: false; readonly issues: readonly [GroundIssue, ...GroundIssue[]] };

/** Limit on clauses produced by the general clause-form conversion of one formula. */
const MAX_CLAUSES = 100_000;

/** Atom numbering of a grounded theory (internal to the prover). */
export interface AtomTable {
  /** Number of ground atoms. */
  readonly size: number;
  /** Index of a ground atom, or -1 when it is not an atom of the theory. */
  atomIndex(a: Atom): number;
  /** The atom formula of index `a`. */
  atomFormula(a: number): Atom;
}

// Dense numbering of ground atoms for the general path: unary atoms by (predicate, constant),
// others by key. Grows while grounding.
class KeyedAtomTable implements AtomTable {
  readonly preds: string[] = [];
  readonly predIndex = new Map<string, number>();
  readonly constIndex: Map<string, number>;
  readonly consts: string[];
  // Atom index per predicate and constant; rows grow as constants appear.
  private readonly unary: (number | undefined)[][] = [];
  readonly otherIndex = new Map<string, number>();
  /** Per atom: predicate index, constant index (-1 when not unary). */
  readonly atomPred: number[] = [];
  readonly atomConst: number[] = [];
  readonly otherAtoms = new Map<number, Atom>();

  constructor(consts: readonly string[]) {
    this.consts = [...consts];
    this.constIndex = new Map(consts.map((c, i) => [c, i]));
  }

  /** Index of constant `name`, registering it when new. */
  addConst(name: string): number {
    let c = this.constIndex.get(name);
    if (c === undefined) {
      c = this.consts.length;
      this.consts.push(name);
      this.constIndex.set(name, c);
    }
    return c;
  }

  get size(): number {
    return this.atomPred.length;
  }

  private pred(name: string, create: boolean): number {
    let p = this.predIndex.get(name);
    if (p === undefined) {
      if (!create) return -1;
      p = this.preds.length;
      this.preds.push(name);
      this.predIndex.set(name, p);
      this.unary.push([]);
    }
    return p;
  }

  /** Atom index of `pred(constant c)`; creates it when `create`, else -1 if unknown. */
  unaryAtom(pred: string, c: number, create: boolean): number {
    const p = this.pred(pred, create);
    if (p === -1) return -1;
    const row = this.unary[p] as (number | undefined)[];
    let a = row[c];
    if (a === undefined) {
      if (!create) return -1;
      a = this.atomPred.length;
      this.atomPred.push(p);
      this.atomConst.push(c);
      row[c] = a;
    }
    return a;
  }

  /** Atom index of a ground atom of any arity (slow path: one key string). */
  otherAtom(at: Atom, create: boolean): number {
    const key = formulaKey(at);
    let a = this.otherIndex.get(key);
    if (a === undefined) {
      if (!create) return -1;
      a = this.atomPred.length;
      this.atomPred.push(this.pred(at.pred, true));
      this.atomConst.push(-1);
      this.otherIndex.set(key, a);
      this.otherAtoms.set(a, at);
    }
    return a;
  }

  atomIndex(a: Atom): number {
    return groundAtomIndex(a, this, false);
  }

  /** The atom formula of index `a`. */
  atomFormula(a: number): Atom {
    const other = this.otherAtoms.get(a);
    if (other !== undefined) return other;
    const p = this.preds[this.atomPred[a] as number] as string;
    const c = this.consts[this.atomConst[a] as number] as string;
    return atom(p, [constant(c)]);
  }
}

class NotClosed extends Error {}
class TooLarge extends Error {}
// The one-pass mode met a quantifier and needs every constant up front.
class NeedConstants extends Error {}

/** Grounds a theory over the constants of the theory and of `extra` (goal, candidates). */
export function ground(theory: Theory, extra: readonly Formula[] = []): GroundResult {
  const quick = fast.run(theory, extra);
  if (quick !== BAIL) return { ok: true, grounded: quick };
  return groundGeneral(theory, extra);
}

/** `ground` without the unary-fragment fast path (same numbering; tests compare the two). */
export function groundGeneral(theory: Theory, extra: readonly Formula[] = []): GroundResult {
  try {
    // Without quantifiers the constants can be collected on the way (same numbering, one pass less).
    const eager =
      theory.rules.some((f) => f.kind === "forall") || theory.facts.some((f) => f.kind === "forall");
    if (!eager) {
      try {
        return { ok: true, grounded: groundImpl(theory, extra, false) };
      } catch (e) {
        if (!(e instanceof NeedConstants)) throw e;
      }
    }
    return { ok: true, grounded: groundImpl(theory, extra, true) };
  } catch (e) {
    if (e instanceof NotClosed)
      return { ok: false, issues: [{ code: "not-closed", message: `formula is not closed: ${e.message}` }] };
    if (e instanceof TooLarge)
      return { ok: false, issues: [{ code: "too-large", message: `clause form too large: ${e.message}` }] };
    throw e;
  }
}

/** Throwing twin of `ground`. */
export function groundOrThrow(theory: Theory, extra: readonly Formula[] = []): Grounded {
  const r = ground(theory, extra);
  if (!r.ok) throw new Error(r.issues[0].message);
  return r.grounded;
}

function collectConstants(f: Formula, out: string[], seen: Set<string>): boolean {
  // Returns whether the formula contains a quantifier (then a constant is needed to instantiate).
  switch (f.kind) {
    case "atom":
      for (let i = 0; i < f.args.length; i++) {
        const t = f.args[i] as Term;
        if (t.kind !== "const") continue;
        // Theories name few people: scanning them is cheaper than hashing the name.
        let known = false;
        if (out.length <= 4) {
          for (let j = 0; j < out.length && !known; j++) known = out[j] === t.name;
        } else known = seen.has(t.name);
        if (!known) {
          seen.add(t.name);
          out.push(t.name);
        }
      }
      return false;
    case "not":
      return collectConstants(f.body, out, seen);
    case "and":
    case "or": {
      let q = false;
      for (const g of f.items) q = collectConstants(g, out, seen) || q;
      return q;
    }
    case "implies": {
      const a = collectConstants(f.left, out, seen);
      return collectConstants(f.right, out, seen) || a;
    }
    case "forall":
      collectConstants(f.body, out, seen);
      return true;
    case "falsum":
      return false;
    default:
      return assertNever(f);
  }
}

function groundImpl(theory: Theory, extraFormulas: readonly Formula[], eager: boolean): Grounded {
  const initial: string[] = [];
  if (eager) {
    const seen = new Set<string>();
    let quantified = false;
    for (const f of theory.facts) quantified = collectConstants(f, initial, seen) || quantified;
    for (const f of theory.rules) quantified = collectConstants(f, initial, seen) || quantified;
    for (const f of extraFormulas) quantified = collectConstants(f, initial, seen) || quantified;
    if (initial.length === 0 && quantified) {
      // The domain is never empty: a universal statement still speaks about someone.
      let name = "c0";
      for (let i = 1; seen.has(name); i++) name = `c${i}`;
      initial.push(name);
    }
  }
  const table = new KeyedAtomTable(initial);
  const consts = table.consts;
  const facts: number[] = [];
  const premStart: number[] = [0];
  const prem: number[] = [];
  const concStart: number[] = [0];
  const conc: number[] = [];
  const extraStart: number[] = [0];
  const extra: number[] = [];
  let fragment = true;
  let horn = true;
  const nConst = consts.length;
  const env: number[] = [];

  // Few people per theory: a scan of the (usually identical) name objects beats a map lookup.
  const constId = (name: string): number => {
    const n = consts.length;
    if (n <= 4) {
      for (let i = 0; i < n; i++) if (consts[i] === name) return i;
    }
    return eager ? (table.constIndex.get(name) as number) : table.addConst(name);
  };
  const termConst = (t: Term): number => {
    switch (t.kind) {
      case "const":
        return constId(t.name);
      case "bvar": {
        const c = env[env.length - 1 - t.index];
        if (c === undefined) throw new NotClosed(`dangling bound variable #${t.index}`);
        return c;
      }
      case "fvar":
        throw new NotClosed(`free variable ${t.name}`);
      default:
        return assertNever(t);
    }
  };
  // Literal code of a literal under the current instantiation `env` of enclosing binders.
  const litCode = (l: Literal): number => {
    const a = l.kind === "atom" ? l : l.body;
    let idx: number;
    const t = a.args[0];
    if (a.args.length === 1 && t !== undefined) {
      idx = table.unaryAtom(a.pred, t.kind === "const" ? constId(t.name) : termConst(t), true);
    } else {
      const args = a.args.map((t) => constant(consts[termConst(t)] as string));
      idx = table.otherAtom(atom(a.pred, args), true);
    }
    return 2 * idx + (l.kind === "atom" ? 0 : 1);
  };
  const pushRule = (ps: readonly Literal[], cs: readonly Literal[]): void => {
    for (let i = 0; i < ps.length; i++) prem.push(litCode(ps[i] as Literal));
    for (let i = 0; i < cs.length; i++) conc.push(litCode(cs[i] as Literal));
    premStart.push(prem.length);
    concStart.push(conc.length);
    if (cs.length !== 1 || ps.length === 0) horn = false;
  };
  const allLiterals = (items: readonly Formula[]): boolean => {
    for (let i = 0; i < items.length; i++) if (!isLiteral(items[i] as Formula)) return false;
    return true;
  };
  // Scratch one-element lists (premises, conclusions): pushRule reads them before the next call.
  const onePrem: Literal[] = [];
  const oneConc: Literal[] = [];
  const literalsOf = (f: Formula, kind: "and" | "or", one: Literal[]): readonly Literal[] | null => {
    if (isLiteral(f)) {
      one[0] = f;
      return one;
    }
    if (f.kind === kind && allLiterals(f.items)) return f.items as readonly Literal[];
    return null;
  };
  // Instantiates every assignment of constants to the leading binders, calling `emit` each time.
  const forEachInstance = (binders: number, emit: () => void): void => {
    // Only reached with binders ≥ 1 from addFormula; the unquantified case is handled inline there.
    if (binders === 0) {
      emit();
      return;
    }
    for (let c = 0; c < nConst; c++) {
      env.push(c);
      forEachInstance(binders - 1, emit);
      env.pop();
    }
  };
  const general = (f: Formula): void => {
    if (!eager) throw new NeedConstants();
    fragment = false;
    horn = false;
    for (const clause of clausesOf(f, true, table, consts)) {
      for (const l of clause) extra.push(l);
      extraStart.push(extra.length);
    }
  };

  const addFormula = (f0: Formula): void => {
    let f = f0;
    let binders = 0;
    while (f.kind === "forall") {
      binders++;
      f = f.body;
    }
    const body = f;
    if (binders > 0 && !eager) throw new NeedConstants();
    // A literal or conjunction of literals is a set of facts, wherever it was listed.
    if (isLiteral(body)) {
      if (binders === 0) facts.push(litCode(body));
      else forEachInstance(binders, () => facts.push(litCode(body)));
      return;
    }
    if (body.kind === "and" && allLiterals(body.items)) {
      forEachInstance(binders, () => {
        for (const l of body.items as readonly Literal[]) facts.push(litCode(l));
      });
      return;
    }
    if (body.kind === "or" && allLiterals(body.items)) {
      forEachInstance(binders, () => pushRule([], body.items as readonly Literal[]));
      return;
    }
    if (body.kind === "implies") {
      const ps = literalsOf(body.left, "and", onePrem);
      if (ps !== null) {
        const cs = literalsOf(body.right, "or", oneConc);
        if (cs !== null) {
          if (binders === 0) pushRule(ps, cs);
          else if (binders === 1) {
            for (let c = 0; c < nConst; c++) {
              env.push(c);
              pushRule(ps, cs);
              env.pop();
            }
          } else forEachInstance(binders, () => pushRule(ps, cs));
          return;
        }
        const cj = literalsOf(body.right, "and", oneConc);
        if (cj !== null) {
          // p → c1 ∧ c2 is the rules p → c1 and p → c2: and-elim keeps the height.
          forEachInstance(binders, () => {
            for (const c of cj) pushRule(ps, [c]);
          });
          return;
        }
      }
    }
    general(f0);
  };

  for (const f of theory.facts) addFormula(f);
  for (const f of theory.rules) addFormula(f);
  if (!eager) {
    // Constants only the goal or candidates mention come last, as in the eager order.
    const more: string[] = [];
    const seen = new Set<string>(consts);
    for (const f of extraFormulas) if (collectConstants(f, more, seen)) throw new NeedConstants();
    for (const c of more) table.addConst(c);
  }
  // Atoms of the goal and candidates get numbers too, so callers can always name them.
  for (const f of extraFormulas) internAtoms(f, table, consts);

  return {
    atomCount: table.size,
    constants: consts,
    facts: Int32Array.from(facts),
    ruleCount: premStart.length - 1,
    premStart: Int32Array.from(premStart),
    prem: Int32Array.from(prem),
    concStart: Int32Array.from(concStart),
    conc: Int32Array.from(conc),
    extraStart: Int32Array.from(extraStart),
    extra: Int32Array.from(extra),
    fragment,
    horn: fragment && horn,
    table,
  };
}

function internAtoms(f: Formula, table: KeyedAtomTable, consts: readonly string[]): void {
  switch (f.kind) {
    case "atom":
      if (f.args.every((t) => t.kind === "const")) groundAtomIndex(f, table, true);
      return;
    case "not":
      return internAtoms(f.body, table, consts);
    case "and":
    case "or":
      for (const g of f.items) internAtoms(g, table, consts);
      return;
    case "implies":
      internAtoms(f.left, table, consts);
      return internAtoms(f.right, table, consts);
    case "forall":
      for (const c of consts) internAtoms(instantiate(f, constant(c)), table, consts);
      return;
    case "falsum":
      return;
    default:
      return assertNever(f);
  }
}

function groundAtomIndex(a: Atom, table: KeyedAtomTable, create: boolean): number {
  if (a.args.length === 1) {
    const t = a.args[0] as Term;
    if (t.kind !== "const") return -1;
    const c = table.constIndex.get(t.name);
    if (c === undefined) return -1;
    return table.unaryAtom(a.pred, c, create);
  }
  if (!a.args.every((t) => t.kind === "const" && table.constIndex.has(t.name))) return -1;
  return table.otherAtom(a, create);
}

// Clause form of a closed formula (positive polarity) or of its negation; quantifiers expand over
// the constants. Distribution may blow up, hence the cap; the generated fragment never comes here.
function clausesOf(
  f: Formula,
  positive: boolean,
  table: KeyedAtomTable,
  consts: readonly string[],
): number[][] {
  switch (f.kind) {
    case "atom": {
      if (!f.args.every((t) => t.kind === "const")) throw new NotClosed(formulaKey(f));
      const a = groundAtomIndex(f, table, true);
      return [[2 * a + (positive ? 0 : 1)]];
    }
    case "not":
      return clausesOf(f.body, !positive, table, consts);
    case "falsum":
      return positive ? [[]] : [];
    case "and":
    case "or":
      if ((f.kind === "and") === positive)
        return f.items.flatMap((g) => clausesOf(g, positive, table, consts));
      return product(f.items.map((g) => clausesOf(g, positive, table, consts)));
    case "implies":
      if (positive)
        return product([clausesOf(f.left, false, table, consts), clausesOf(f.right, true, table, consts)]);
      return [...clausesOf(f.left, true, table, consts), ...clausesOf(f.right, false, table, consts)];
    case "forall": {
      const parts = consts.map((c) => clausesOf(instantiate(f, constant(c)), positive, table, consts));
      return positive ? parts.flat() : product(parts);
    }
    default:
      return assertNever(f);
  }
}

// Disjunction of CNFs: every way of picking one clause from each.
function product(cnfs: readonly number[][][]): number[][] {
  let acc: number[][] = [[]];
  for (const cnf of cnfs) {
    if (acc.length * cnf.length > MAX_CLAUSES) throw new TooLarge(`more than ${MAX_CLAUSES} clauses`);
    const next: number[][] = [];
    for (const a of acc) for (const c of cnf) next.push([...a, ...c]);
    acc = next;
  }
  return acc;
}

/** The code of a ground literal formula, or -1 if it is not a literal over an atom of the theory. */
export function literalCode(g: Grounded, f: Formula): number {
  if (!isLiteral(f)) return -1;
  const idx = g.table.atomIndex(f.kind === "atom" ? f : f.body);
  if (idx === -1) return -1;
  return 2 * idx + (f.kind === "atom" ? 0 : 1);
}

/** The literal formula of a code. */
export function literalFormula(g: Grounded, code: number): Literal {
  const a = g.table.atomFormula(code >> 1);
  return ((code & 1) === 0 ? a : not(a)) as Literal;
}

/** Every constraint of the grounded theory as clauses: flat literals plus start offsets. */
export interface ClauseSet {
  readonly count: number;
  readonly start: Int32Array;
  readonly lits: Int32Array;
}

// The clause set of the last theory asked about (one entry, as depth.ts keeps its rule index).
let clausedTheory: Grounded | null = null;
let lastClauses: ClauseSet | null = null;

/** Facts, rules (¬p1 ∨ … ∨ ¬pk ∨ c1 ∨ … ∨ cm) and extra clauses, in that order (cached). */
export function groundClauses(g: Grounded): ClauseSet {
  if (g === clausedTheory && lastClauses !== null) return lastClauses;
  const count = g.facts.length + g.ruleCount + (g.extraStart.length - 1);
  const start = newInt32s(count + 1);
  const lits = newInt32s(g.facts.length + g.prem.length + g.conc.length + g.extra.length);
  let n = 0;
  let c = 0;
  for (let i = 0; i < g.facts.length; i++) {
    lits[n++] = g.facts[i] as number;
    start[++c] = n;
  }
  for (let r = 0; r < g.ruleCount; r++) {
    for (let i = g.premStart[r] as number; i < (g.premStart[r + 1] as number); i++)
      lits[n++] = (g.prem[i] as number) ^ 1;
    for (let i = g.concStart[r] as number; i < (g.concStart[r + 1] as number); i++)
      lits[n++] = g.conc[i] as number;
    start[++c] = n;
  }
  for (let e = 0; e + 1 < g.extraStart.length; e++) {
    for (let i = g.extraStart[e] as number; i < (g.extraStart[e + 1] as number); i++)
      lits[n++] = g.extra[i] as number;
    start[++c] = n;
  }
  const set = { count, start, lits };
  clausedTheory = g;
  lastClauses = set;
  return set;
}

// ---------------------------------------------------------------------------------------------
// Fast path for the unary rule fragment (every generated theory): one walk over the formulas,
// predicates interned through an open-addressing table keyed by a hash of the name, atoms found
// by (predicate, constant) in a flat array, all output in one typed-array allocation. Reusable
// buffers live in one module-level object: grounding is synchronous, so calls never interleave.
// Anything else (arity ≠ 1, nested binders, shapes outside the fragment) bails out to the general
// path above, which numbers atoms the same way; tests compare both on random theories.

// Thrown (preallocated, no stack capture per throw) when the fast path does not apply.
const BAIL: unique symbol = Symbol("bail");
// Thrown or returned when the one-pass mode needs the eager pass (see FastGrounder.attempt).
const EAGER: unique symbol = Symbol("eager");

// Above this many constants the flat (predicate, constant) array would be wasteful.
const FAST_MAX_CONSTS = 64;

/** FNV-1a over the UTF-16 code units, finished with a shift so that low bits mix. */
function nameHash(s: string): number {
  let h = 0x811c9dc5 ^ s.length;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 15)) & 0x7fffffff;
}

function grown(a: Int32Array, need: number): Int32Array {
  let n = a.length;
  while (n < need) n *= 2;
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

class FastGrounder {
  // A slot or (predicate, constant) entry is live only when its stamp equals `stamp`, so nothing
  // is cleared between calls.
  private stamp = 0;
  private slotName: (string | undefined)[] = new Array<string | undefined>(512).fill(undefined);
  private slotPred: Int32Array = new Int32Array(512);
  private slotStamp: Int32Array = new Int32Array(512);
  private predHash: Int32Array = new Int32Array(256);
  private atomOfPc: Int32Array = new Int32Array(256 * FAST_MAX_CONSTS);
  private atomStamp: Int32Array = new Int32Array(256 * FAST_MAX_CONSTS);
  private atomPred: Int32Array = new Int32Array(256);
  private atomConst: Int32Array = new Int32Array(256);
  private facts: Int32Array = new Int32Array(256);
  private prem: Int32Array = new Int32Array(512);
  private conc: Int32Array = new Int32Array(512);
  private premEnd: Int32Array = new Int32Array(256);
  private concEnd: Int32Array = new Int32Array(256);
  private preds: string[] = [];
  private consts: string[] = [];
  private eager = false;
  // Number of constants when the first quantified formula was instantiated (-1: none yet).
  private constsAtQuantifier = -1;
  private atoms = 0;
  private nFacts = 0;
  private nPrem = 0;
  private nConc = 0;
  private nRules = 0;
  private horn = true;

  run(theory: Theory, extraFormulas: readonly Formula[]): Grounded | typeof BAIL {
    const lazy = this.attempt(theory, extraFormulas, false);
    if (lazy !== EAGER) return lazy;
    const eager = this.attempt(theory, extraFormulas, true);
    // The eager pass knows every constant up front, so it never asks for itself.
    return eager === EAGER ? BAIL : eager;
  }

  // One pass. Without `eager`, constants join the list as they are met, and a quantified formula
  // is instantiated over the constants known at that point: the same as the eager pass (which
  // collects every constant first, in the same first-occurrence order) as long as no constant
  // turns up after the first quantified formula, which the end of the pass checks; otherwise, or
  // when a quantified formula comes before any constant, it returns EAGER.
  private attempt(
    theory: Theory,
    extraFormulas: readonly Formula[],
    eager: boolean,
  ): Grounded | typeof BAIL | typeof EAGER {
    this.stamp++;
    if (this.stamp === 0x7fffffff) {
      this.slotStamp.fill(0);
      this.atomStamp.fill(0);
      this.stamp = 1;
    }
    this.preds = [];
    this.consts = [];
    this.atoms = this.nFacts = this.nPrem = this.nConc = this.nRules = 0;
    this.horn = true;
    this.eager = eager;
    this.constsAtQuantifier = -1;
    if (eager) {
      const seen = new Set<string>();
      let quantified = false;
      for (const f of theory.facts) quantified = collectConstants(f, this.consts, seen) || quantified;
      for (const f of theory.rules) quantified = collectConstants(f, this.consts, seen) || quantified;
      for (const f of extraFormulas) quantified = collectConstants(f, this.consts, seen) || quantified;
      if (this.consts.length === 0 && quantified) {
        let name = "c0";
        for (let i = 1; seen.has(name); i++) name = `c${i}`;
        this.consts.push(name);
      }
      if (this.consts.length > FAST_MAX_CONSTS) return BAIL;
    }
    try {
      for (let i = 0; i < theory.facts.length; i++) this.formula(theory.facts[i] as Formula);
      for (let i = 0; i < theory.rules.length; i++) this.formula(theory.rules[i] as Formula);
      // Without `eager`, constants only the goal or candidates mention join here, last, as in the
      // eager order.
      for (const f of extraFormulas) this.intern(f);
    } catch (e) {
      if (e === BAIL || e === EAGER) return e;
      throw e;
    }
    const q = this.constsAtQuantifier;
    if (q >= 0 && q !== this.consts.length) return EAGER;
    return this.finish();
  }

  private constId(name: string): number {
    const consts = this.consts;
    for (let i = 0; i < consts.length; i++) if (consts[i] === name) return i;
    // Eager mode collected every constant up front; on the way, a new one joins the list.
    if (this.eager || consts.length >= FAST_MAX_CONSTS) throw BAIL;
    consts.push(name);
    return consts.length - 1;
  }

  private pred(name: string): number {
    const h = nameHash(name);
    const mask = this.slotStamp.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      if (this.slotStamp[i] !== this.stamp) {
        const p = this.preds.length;
        // Keep the table at most half full.
        if (2 * (p + 1) > mask + 1) {
          this.growSlots();
          return this.pred(name);
        }
        this.slotStamp[i] = this.stamp;
        this.slotName[i] = name;
        this.slotPred[i] = p;
        this.preds.push(name);
        if (p >= this.predHash.length) this.predHash = grown(this.predHash, p + 1);
        this.predHash[p] = h;
        if ((p + 1) * FAST_MAX_CONSTS > this.atomStamp.length) {
          this.atomStamp = grown(this.atomStamp, (p + 1) * FAST_MAX_CONSTS);
          this.atomOfPc = grown(this.atomOfPc, (p + 1) * FAST_MAX_CONSTS);
        }
        return p;
      }
      if (this.slotName[i] === name) return this.slotPred[i] as number;
    }
  }

  private growSlots(): void {
    const size = 2 * this.slotStamp.length;
    this.slotName = new Array<string | undefined>(size).fill(undefined);
    this.slotPred = new Int32Array(size);
    this.slotStamp = new Int32Array(size);
    const mask = size - 1;
    for (let p = 0; p < this.preds.length; p++) {
      let i = (this.predHash[p] as number) & mask;
      while (this.slotStamp[i] === this.stamp) i = (i + 1) & mask;
      this.slotStamp[i] = this.stamp;
      this.slotName[i] = this.preds[p];
      this.slotPred[i] = p;
    }
  }

  private atomIndex(p: number, c: number): number {
    const k = p * FAST_MAX_CONSTS + c;
    if (this.atomStamp[k] === this.stamp) return this.atomOfPc[k] as number;
    const a = this.atoms++;
    if (a >= this.atomPred.length) {
      this.atomPred = grown(this.atomPred, a + 1);
      this.atomConst = grown(this.atomConst, a + 1);
    }
    this.atomPred[a] = p;
    this.atomConst[a] = c;
    this.atomStamp[k] = this.stamp;
    this.atomOfPc[k] = a;
    return a;
  }

  // Literal code of `l`; the bound variable (one binder at most) stands for constant `c0`.
  private lit(l: Formula, c0: number): number {
    let a = l;
    let sign = 0;
    if (a.kind === "not") {
      a = a.body;
      sign = 1;
    }
    if (a.kind !== "atom" || a.args.length !== 1) throw BAIL;
    const t = a.args[0] as Term;
    let c: number;
    if (t.kind === "const") c = this.constId(t.name);
    else if (t.kind === "bvar" && t.index === 0 && c0 >= 0) c = c0;
    else throw BAIL;
    return 2 * this.atomIndex(this.pred(a.pred), c) + sign;
  }

  private pushFact(code: number): void {
    if (this.nFacts === this.facts.length) this.facts = grown(this.facts, this.nFacts + 1);
    this.facts[this.nFacts++] = code;
  }

  private pushRule(
    ps: readonly Formula[] | null,
    p1: Formula | null,
    cs: readonly Formula[] | null,
    c1: Formula | null,
    c0: number,
  ): void {
    const np = ps !== null ? ps.length : p1 !== null ? 1 : 0;
    const nc = cs !== null ? cs.length : 1;
    if (this.nPrem + np > this.prem.length) this.prem = grown(this.prem, this.nPrem + np);
    if (this.nConc + nc > this.conc.length) this.conc = grown(this.conc, this.nConc + nc);
    if (this.nRules === this.premEnd.length) {
      this.premEnd = grown(this.premEnd, this.nRules + 1);
      this.concEnd = grown(this.concEnd, this.nRules + 1);
    }
    if (ps !== null)
      for (let i = 0; i < ps.length; i++) this.prem[this.nPrem++] = this.lit(ps[i] as Formula, c0);
    else if (p1 !== null) this.prem[this.nPrem++] = this.lit(p1, c0);
    if (cs !== null)
      for (let i = 0; i < cs.length; i++) this.conc[this.nConc++] = this.lit(cs[i] as Formula, c0);
    else if (c1 !== null) this.conc[this.nConc++] = this.lit(c1, c0);
    this.premEnd[this.nRules] = this.nPrem;
    this.concEnd[this.nRules] = this.nConc;
    this.nRules++;
    if (nc !== 1 || np === 0) this.horn = false;
  }

  private formula(f0: Formula): void {
    let f = f0;
    let binders = 0;
    while (f.kind === "forall") {
      binders++;
      f = f.body;
    }
    if (binders > 1) throw BAIL;
    if (binders === 1 && this.constsAtQuantifier < 0) {
      // Nobody named yet: only the eager pass knows whom the formula is about.
      if (this.consts.length === 0) throw EAGER;
      this.constsAtQuantifier = this.consts.length;
    }
    const n = binders === 0 ? 1 : this.consts.length;
    const body = f;
    // Same shapes, same order of instances and literals as addFormula in the general path.
    if (isLiteral(body)) {
      for (let c = 0; c < n; c++) this.pushFact(this.lit(body, binders === 0 ? -1 : c));
      return;
    }
    if (body.kind === "and" && allLiteralItems(body.items)) {
      for (let c = 0; c < n; c++)
        for (let i = 0; i < body.items.length; i++)
          this.pushFact(this.lit(body.items[i] as Formula, binders === 0 ? -1 : c));
      return;
    }
    if (body.kind === "or" && allLiteralItems(body.items)) {
      for (let c = 0; c < n; c++) this.pushRule(EMPTY, null, body.items, null, binders === 0 ? -1 : c);
      return;
    }
    if (body.kind !== "implies") throw BAIL;
    const left = body.left;
    const right = body.right;
    let ps: readonly Formula[] | null = null;
    let p1: Formula | null = null;
    if (isLiteral(left)) p1 = left;
    else if (left.kind === "and" && allLiteralItems(left.items)) ps = left.items;
    else throw BAIL;
    if (isLiteral(right)) {
      for (let c = 0; c < n; c++) this.pushRule(ps, p1, null, right, binders === 0 ? -1 : c);
    } else if (right.kind === "or" && allLiteralItems(right.items)) {
      for (let c = 0; c < n; c++) this.pushRule(ps, p1, right.items, null, binders === 0 ? -1 : c);
    } else if (right.kind === "and" && allLiteralItems(right.items)) {
      // p → c1 ∧ c2 is the rules p → c1 and p → c2: and-elim keeps the height.
      for (let c = 0; c < n; c++)
        for (let i = 0; i < right.items.length; i++)
          this.pushRule(ps, p1, null, right.items[i] as Formula, binders === 0 ? -1 : c);
    } else throw BAIL;
  }

  // Numbers the atoms of a goal or candidate, as internAtoms does.
  private intern(f: Formula): void {
    switch (f.kind) {
      case "atom": {
        let closed = true;
        for (let i = 0; i < f.args.length && closed; i++) closed = (f.args[i] as Term).kind === "const";
        // An open atom names no atom; one of another arity might name constants (general path).
        if (f.args.length !== 1) throw BAIL;
        if (!closed) return;
        this.atomIndex(this.pred(f.pred), this.constId((f.args[0] as Const).name));
        return;
      }
      case "not":
        return this.intern(f.body);
      case "and":
      case "or":
        for (const g of f.items) this.intern(g);
        return;
      case "implies":
        this.intern(f.left);
        return this.intern(f.right);
      case "forall":
        throw BAIL;
      case "falsum":
        return;
      default:
        return assertNever(f);
    }
  }

  private finish(): Grounded {
    const P = this.preds.length;
    const C = Math.max(1, this.consts.length);
    const A = this.atoms;
    const R = this.nRules;
    let slots = 4;
    while (slots < 2 * P) slots *= 2;
    const sizes = [this.nFacts, R + 1, this.nPrem, R + 1, this.nConc, 1, 0, slots, P * C, A, A];
    let total = 0;
    for (const s of sizes) total += s;
    const buf = newInt32s(total);
    let at = 0;
    const view = (n: number): Int32Array => buf.subarray(at, (at += n));
    const facts = view(this.nFacts);
    facts.set(this.facts.subarray(0, this.nFacts));
    const premStart = view(R + 1);
    premStart.set(this.premEnd.subarray(0, R), 1);
    const prem = view(this.nPrem);
    prem.set(this.prem.subarray(0, this.nPrem));
    const concStart = view(R + 1);
    concStart.set(this.concEnd.subarray(0, R), 1);
    const conc = view(this.nConc);
    conc.set(this.conc.subarray(0, this.nConc));
    const extraStart = view(1);
    const extra = view(0);
    const predSlot = view(slots);
    const mask = slots - 1;
    for (let p = 0; p < P; p++) {
      let i = (this.predHash[p] as number) & mask;
      while (predSlot[i] !== 0) i = (i + 1) & mask;
      predSlot[i] = p + 1;
    }
    const atomOf = view(P * C);
    const atomPred = view(A);
    const atomConst = view(A);
    atomPred.set(this.atomPred.subarray(0, A));
    atomConst.set(this.atomConst.subarray(0, A));
    for (let a = 0; a < A; a++) atomOf[(atomPred[a] as number) * C + (atomConst[a] as number)] = a + 1;
    const table = new CompactAtomTable(this.preds, this.consts, predSlot, C, atomOf, atomPred, atomConst);
    return {
      atomCount: A,
      constants: this.consts,
      facts,
      ruleCount: R,
      premStart,
      prem,
      concStart,
      conc,
      extraStart,
      extra,
      fragment: true,
      horn: this.horn,
      table,
    };
  }
}

const EMPTY: readonly Formula[] = [];

function allLiteralItems(items: readonly Formula[]): boolean {
  for (let i = 0; i < items.length; i++) if (!isLiteral(items[i] as Formula)) return false;
  return true;
}

// Read-only atom numbering produced by the fast path.
class CompactAtomTable implements AtomTable {
  constructor(
    private readonly preds: readonly string[],
    private readonly consts: readonly string[],
    private readonly predSlot: Int32Array,
    private readonly stride: number,
    private readonly atomOf: Int32Array,
    private readonly atomPred: Int32Array,
    private readonly atomConst: Int32Array,
  ) {}

  get size(): number {
    return this.atomPred.length;
  }

  atomIndex(a: Atom): number {
    // Theories on the fast path have unary atoms only.
    const t = a.args[0];
    if (a.args.length !== 1 || t === undefined || t.kind !== "const") return -1;
    const c = this.consts.indexOf(t.name);
    if (c < 0) return -1;
    const mask = this.predSlot.length - 1;
    for (let i = nameHash(a.pred) & mask; ; i = (i + 1) & mask) {
      const p = (this.predSlot[i] as number) - 1;
      if (p < 0) return -1;
      if (this.preds[p] === a.pred) return (this.atomOf[p * this.stride + c] as number) - 1;
    }
  }

  atomFormula(a: number): Atom {
    const p = this.preds[this.atomPred[a] as number] as string;
    const c = this.consts[this.atomConst[a] as number] as string;
    return atom(p, [constant(c)]);
  }
}

const fast = new FastGrounder();
