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
  type Formula,
  type Literal,
  type Term,
} from "../logic/formula.js";
import type { Theory } from "../logic/theory.js";

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

/** Dense numbering of ground atoms: unary atoms by (predicate, constant), others by key. */
export class AtomTable {
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
  const table = new AtomTable(initial);
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

function internAtoms(f: Formula, table: AtomTable, consts: readonly string[]): void {
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

function groundAtomIndex(a: Atom, table: AtomTable, create: boolean): number {
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
function clausesOf(f: Formula, positive: boolean, table: AtomTable, consts: readonly string[]): number[][] {
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
  const a = f.kind === "atom" ? f : f.body;
  const idx = groundAtomIndex(a, g.table, false);
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

const clauseCache = new WeakMap<Grounded, ClauseSet>();

/** Facts, rules (¬p1 ∨ … ∨ ¬pk ∨ c1 ∨ … ∨ cm) and extra clauses, in that order (cached). */
export function groundClauses(g: Grounded): ClauseSet {
  const cached = clauseCache.get(g);
  if (cached !== undefined) return cached;
  const count = g.facts.length + g.ruleCount + (g.extraStart.length - 1);
  const start = new Int32Array(count + 1);
  const lits = new Int32Array(g.facts.length + g.prem.length + g.conc.length + g.extra.length);
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
  clauseCache.set(g, set);
  return set;
}
