/**
 * Terms and formulas of the first-order core.
 *
 * Everything is a readonly tagged union built only through the smart constructors below, so that
 * invariants (n-ary `and`/`or` have at least two items, quantified bodies use de Bruijn indices)
 * hold everywhere and interning could be added in one place. Bound variables are de Bruijn
 * indices, which makes alpha-equivalent formulas structurally equal: `formulaEquals` and
 * `formulaKey` ignore the binder's display name.
 */

/** A constant (a person such as `Alice`). */
export interface Const {
  readonly kind: "const";
  readonly name: string;
}
/** A variable bound by an enclosing `forall`; `index` 0 is the innermost binder. */
export interface BVar {
  readonly kind: "bvar";
  readonly index: number;
}
/** A free variable (appears only while parsing or in open formulas built by hand). */
export interface FVar {
  readonly kind: "fvar";
  readonly name: string;
}
/** A term: constant, bound variable or free variable. */
export type Term = Const | BVar | FVar;

/** An atom `pred(t1, …, tn)`; in the generated fragment n = 1 (`Alice is abcde`). */
export interface Atom {
  readonly kind: "atom";
  readonly pred: string;
  readonly args: readonly Term[];
}
/** Negation `¬φ`. */
export interface Not {
  readonly kind: "not";
  readonly body: Formula;
}
/** Conjunction of two or more formulas. */
export interface And {
  readonly kind: "and";
  readonly items: readonly Formula[];
}
/** Disjunction of two or more formulas. */
export interface Or {
  readonly kind: "or";
  readonly items: readonly Formula[];
}
/** Implication `φ → ψ`. */
export interface Implies {
  readonly kind: "implies";
  readonly left: Formula;
  readonly right: Formula;
}
/** Universal quantification; `name` is only a display hint, the body refers to it as `bvar 0`. */
export interface Forall {
  readonly kind: "forall";
  readonly name: string;
  readonly body: Formula;
}
/** Falsity `⊥`, the conclusion of a contradiction. */
export interface Falsum {
  readonly kind: "falsum";
}
/** A formula of the core. */
export type Formula = Atom | Not | And | Or | Implies | Forall | Falsum;

/** A literal: an atom or a negated atom. */
export type Literal = Atom | (Not & { readonly body: Atom });

/** Thrown by smart constructors on malformed input; always a programming error in the caller. */
export class FormulaError extends Error {
  override name = "FormulaError";
}

/** ASCII characters a name may not contain (see `checkName`): blanks and controls, separators, markers. */
const RESERVED = new Uint8Array(128);
for (let c = 0; c <= 32; c++) RESERVED[c] = 1;
for (const c of "\x7f(),;#?~&|>") RESERVED[c.charCodeAt(0)] = 1;

/**
 * Rejects names that could make two different formulas share a `formulaKey`: the kernel discharges
 * hypotheses by key, so keys must be injective. Keys are built from names with the separators
 * `( ) , ;` and the markers `# ? ~ & | >`, so none of those (nor whitespace or control
 * characters) may occur in a name. The parsers never produce such names; this guards formulas
 * built by hand through the library.
 */
function checkName(what: string, name: string): void {
  if (name.length === 0) throw new FormulaError(`${what} name must be non-empty`);
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 128 && RESERVED[c] === 1) {
      throw new FormulaError(`${what} name ${JSON.stringify(name)} contains a reserved character`);
    }
  }
}

/** Builds a constant. */
export function constant(name: string): Const {
  checkName("constant", name);
  return { kind: "const", name };
}
/** Builds a bound variable with de Bruijn index `index`. */
export function bvar(index: number): BVar {
  if (!Number.isInteger(index) || index < 0) throw new FormulaError(`bad de Bruijn index ${index}`);
  return { kind: "bvar", index };
}
/** Builds a free variable. */
export function fvar(name: string): FVar {
  checkName("variable", name);
  return { kind: "fvar", name };
}

/** Builds an atom `pred(args…)`. */
export function atom(pred: string, args: readonly Term[]): Atom {
  checkName("predicate", pred);
  return { kind: "atom", pred, args };
}
/** Builds `¬body`. */
export function not(body: Formula): Not {
  return { kind: "not", body };
}
/** Builds a conjunction; one item is returned as itself, zero items is an error. */
export function and(items: readonly Formula[]): Formula {
  if (items.length === 0) throw new FormulaError("empty conjunction");
  if (items.length === 1) return items[0] as Formula;
  return { kind: "and", items };
}
/** Builds a disjunction; one item is returned as itself, zero items is an error. */
export function or(items: readonly Formula[]): Formula {
  if (items.length === 0) throw new FormulaError("empty disjunction");
  if (items.length === 1) return items[0] as Formula;
  return { kind: "or", items };
}
/** Builds `left → right`. */
export function implies(left: Formula, right: Formula): Implies {
  return { kind: "implies", left, right };
}
/** The single falsum value. */
export const falsum: Falsum = { kind: "falsum" };

/**
 * Builds `∀name. body` where `body` mentions the variable as the free variable `fvar(name)`;
 * occurrences are replaced by the right de Bruijn index (abstraction).
 */
export function forall(name: string, body: Formula): Forall {
  return { kind: "forall", name, body: abstractFree(body, name, 0) };
}
/** Builds `∀name. body` from a body already in de Bruijn form (bvar 0 is the new binder). */
export function forallRaw(name: string, body: Formula): Forall {
  return { kind: "forall", name, body };
}

/** Builds the literal `pred(person)` or `¬pred(person)`. */
export function literal(pred: string, person: Term, positive: boolean): Literal {
  const a = atom(pred, [person]);
  return (positive ? a : not(a)) as Literal;
}

function abstractFree(f: Formula, name: string, depth: number): Formula {
  switch (f.kind) {
    case "atom": {
      // The argument list is copied only when an argument changes.
      let args: Term[] | undefined;
      for (let i = 0; i < f.args.length; i++) {
        const t = f.args[i] as Term;
        if (t.kind === "fvar" && t.name === name) (args ??= f.args.slice())[i] = bvar(depth);
      }
      return args === undefined ? f : atom(f.pred, args);
    }
    case "not":
      return not(abstractFree(f.body, name, depth));
    case "and":
    case "or": {
      const items: Formula[] = [];
      for (let i = 0; i < f.items.length; i++) items.push(abstractFree(f.items[i] as Formula, name, depth));
      return f.kind === "and" ? { kind: "and", items } : { kind: "or", items };
    }
    case "implies":
      return implies(abstractFree(f.left, name, depth), abstractFree(f.right, name, depth));
    case "forall":
      return forallRaw(f.name, abstractFree(f.body, name, depth + 1));
    case "falsum":
      return f;
    default:
      return assertNever(f);
  }
}

/** Exhaustiveness helper for `switch` over a union. */
export function assertNever(x: never): never {
  throw new FormulaError(`unexpected value ${JSON.stringify(x)}`);
}

/**
 * Instantiates `∀x. body` with a closed term (a constant or free variable): body[t/x].
 * Terms hold no binders, so substitution cannot capture.
 */
export function instantiate(f: Forall, t: Const | FVar): Formula {
  return substBound(f.body, t, 0);
}

function substBound(f: Formula, t: Const | FVar, depth: number): Formula {
  switch (f.kind) {
    case "atom": {
      // The argument list is copied only when an argument changes.
      let args: Term[] | undefined;
      for (let i = 0; i < f.args.length; i++) {
        const a = f.args[i] as Term;
        if (a.kind !== "bvar" || a.index < depth) continue;
        // A variable bound outside the instantiated quantifier: one binder fewer now encloses it.
        (args ??= f.args.slice())[i] = a.index === depth ? t : bvar(a.index - 1);
      }
      return args === undefined ? f : atom(f.pred, args);
    }
    case "not":
      return not(substBound(f.body, t, depth));
    case "and":
    case "or": {
      const items: Formula[] = [];
      for (let i = 0; i < f.items.length; i++) items.push(substBound(f.items[i] as Formula, t, depth));
      return f.kind === "and" ? { kind: "and", items } : { kind: "or", items };
    }
    case "implies":
      return implies(substBound(f.left, t, depth), substBound(f.right, t, depth));
    case "forall":
      return forallRaw(f.name, substBound(f.body, t, depth + 1));
    case "falsum":
      return f;
    default:
      return assertNever(f);
  }
}

/** Structural equality of terms. */
export function termEquals(a: Term, b: Term): boolean {
  switch (a.kind) {
    case "const":
      return b.kind === "const" && a.name === b.name;
    case "fvar":
      return b.kind === "fvar" && a.name === b.name;
    case "bvar":
      return b.kind === "bvar" && a.index === b.index;
    default:
      return assertNever(a);
  }
}

/** Alpha-equivalence (structural equality ignoring binder display names). */
export function formulaEquals(a: Formula, b: Formula): boolean {
  if (a === b) return true;
  switch (a.kind) {
    case "atom": {
      if (b.kind !== "atom" || a.pred !== b.pred || a.args.length !== b.args.length) return false;
      for (let i = 0; i < a.args.length; i++)
        if (!termEquals(a.args[i] as Term, b.args[i] as Term)) return false;
      return true;
    }
    case "not":
      return b.kind === "not" && formulaEquals(a.body, b.body);
    case "and":
    case "or": {
      if (b.kind !== a.kind || a.items.length !== b.items.length) return false;
      for (let i = 0; i < a.items.length; i++)
        if (!formulaEquals(a.items[i] as Formula, b.items[i] as Formula)) return false;
      return true;
    }
    case "implies":
      return b.kind === "implies" && formulaEquals(a.left, b.left) && formulaEquals(a.right, b.right);
    case "forall":
      return b.kind === "forall" && formulaEquals(a.body, b.body);
    case "falsum":
      return b.kind === "falsum";
    default:
      return assertNever(a);
  }
}

function termKey(t: Term): string {
  switch (t.kind) {
    case "const":
      return t.name;
    case "fvar":
      return "?" + t.name;
    case "bvar":
      return "#" + t.index;
    default:
      return assertNever(t);
  }
}

const keyCache = new WeakMap<Formula, string>();

/**
 * Compound keys at least this long are memoized. Shorter ones are cheaper to rebuild than to store:
 * a WeakMap entry per fresh formula costs more (insertion and garbage collection) than
 * concatenating a few dozen characters, and most formulas are keyed once.
 */
const MEMO_MIN_LENGTH = 64;

/**
 * A canonical string for a formula, equal for alpha-equivalent formulas and different otherwise.
 * Used as a hash key (sets of derived formulas, dedup). Long keys of compound formulas are
 * memoized per formula object; atoms, literals and short compounds are built directly.
 */
export function formulaKey(f: Formula): string {
  switch (f.kind) {
    case "atom":
      return atomKey(f);
    case "not":
      if (f.body.kind === "atom") return "~" + atomKey(f.body);
      break;
    case "falsum":
      return "_|_";
    default:
      break;
  }
  const cached = keyCache.get(f);
  if (cached !== undefined) return cached;
  const k = formulaKeyOnce(f);
  if (k.length >= MEMO_MIN_LENGTH) keyCache.set(f, k);
  return k;
}

/**
 * The same string as `formulaKey`, built without reading or filling the memo: for formulas keyed
 * once (a theory being indexed, a fresh proof line), where storing the key only costs.
 */
export function formulaKeyOnce(f: Formula): string {
  switch (f.kind) {
    case "atom":
      return atomKey(f);
    case "not":
      return "~" + formulaKeyOnce(f.body);
    case "and":
    case "or": {
      let k = f.kind === "and" ? "&(" : "|(";
      for (let i = 0; i < f.items.length; i++)
        k += (i === 0 ? "" : ";") + formulaKeyOnce(f.items[i] as Formula);
      return k + ")";
    }
    case "implies":
      return ">(" + formulaKeyOnce(f.left) + ";" + formulaKeyOnce(f.right) + ")";
    case "forall":
      return "A(" + formulaKeyOnce(f.body) + ")";
    case "falsum":
      return "_|_";
    default:
      return assertNever(f);
  }
}

function atomKey(f: Atom): string {
  const args = f.args;
  // One argument is the generated fragment's only shape; the loop below gives the same string.
  if (args.length === 1) return f.pred + "(" + termKey(args[0] as Term) + ")";
  let k = f.pred + "(";
  for (let i = 0; i < args.length; i++) k += (i === 0 ? "" : ",") + termKey(args[i] as Term);
  return k + ")";
}

/** Number of nodes (connectives, atoms and terms) in a formula; used for size budgets. */
export function formulaSize(f: Formula): number {
  switch (f.kind) {
    case "atom":
      return 1 + f.args.length;
    case "not":
      return 1 + formulaSize(f.body);
    case "and":
    case "or": {
      let n = 1;
      for (let i = 0; i < f.items.length; i++) n += formulaSize(f.items[i] as Formula);
      return n;
    }
    case "implies":
      return 1 + formulaSize(f.left) + formulaSize(f.right);
    case "forall":
      return 1 + formulaSize(f.body);
    case "falsum":
      return 1;
    default:
      return assertNever(f);
  }
}

/** True when `f` is an atom or a negated atom. */
export function isLiteral(f: Formula): f is Literal {
  return f.kind === "atom" || (f.kind === "not" && f.body.kind === "atom");
}

/** The complementary literal: `p` ↔ `¬p`. */
export function complement(l: Literal): Literal {
  return l.kind === "atom" ? (not(l) as Literal) : l.body;
}

/** True when the formula has no free variables and no dangling bound variables. */
export function isClosed(f: Formula, depth = 0): boolean {
  switch (f.kind) {
    case "atom":
      return f.args.every((t) => t.kind === "const" || (t.kind === "bvar" && t.index < depth));
    case "not":
      return isClosed(f.body, depth);
    case "and":
    case "or":
      return f.items.every((g) => isClosed(g, depth));
    case "implies":
      return isClosed(f.left, depth) && isClosed(f.right, depth);
    case "forall":
      return isClosed(f.body, depth + 1);
    case "falsum":
      return true;
    default:
      return assertNever(f);
  }
}

/** The constants occurring in a formula, in first-occurrence order. */
export function constantsOf(f: Formula, out: string[] = []): string[] {
  switch (f.kind) {
    case "atom":
      for (const t of f.args) if (t.kind === "const" && !out.includes(t.name)) out.push(t.name);
      return out;
    case "not":
      return constantsOf(f.body, out);
    case "and":
    case "or":
      for (const g of f.items) constantsOf(g, out);
      return out;
    case "implies":
      constantsOf(f.left, out);
      return constantsOf(f.right, out);
    case "forall":
      return constantsOf(f.body, out);
    case "falsum":
      return out;
    default:
      return assertNever(f);
  }
}
