/**
 * The controlled English of the generated fragment, as problems are rendered to models and as
 * models write proof lines: `Alice is abcde.`, `Alice is not abcde.`, `If Alice is abcde and Alice
 * is not fghij, then Alice is klmno or Alice is pqrst.`, `For any person X, if X is abcde, then X
 * is fghij.`, bare conjunctions and disjunctions of literals, and `Contradiction.` for ⊥. The
 * grammar is in docs/syntax.md.
 *
 * Names are case-sensitive (`Alice` and `alice` differ; predicates are lowercase, people and
 * variables capitalised). Only the words that can open a sentence (`If`, `For`, `Contradiction`)
 * are accepted in either case; the other keywords are lowercase.
 */
import {
  and,
  assertNever,
  atom,
  bvar,
  constant,
  constantsOf,
  falsum,
  forallRaw,
  implies,
  not,
  or,
  type Const,
  type Formula,
  type Term,
} from "./formula.js";
import {
  chooseBinderName,
  describeBadChar,
  isPlainSpace,
  isPredicateName,
  isTermName,
  MAX_NESTING,
  parseResult,
  parseSymbolic,
  SyntaxFailure,
  valueOrThrow,
  type ParseResult,
} from "./symbolic.js";

/** Capitalised words that open sentences, so they cannot be the names of people. */
export const ENGLISH_RESERVED_NAMES: readonly string[] = ["If", "For", "Contradiction"];

const W_WORD = 0;
const W_COMMA = 1;
const W_DOT = 2;
const W_EOF = 3;

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** The controlled-English parser; one instance per input. */
class EnglishParser {
  private readonly src: string;
  private pos = 0;
  private tok = W_EOF;
  private tokStart = 0;
  private word = "";
  private readonly bound: string[] = [];

  constructor(src: string) {
    this.src = src;
    this.next();
  }

  // Comparisons go through a method: the token changes under `next()`, which the type checker's
  // narrowing of `this.tok` would not see.
  private at(kind: number): boolean {
    return this.tok === kind;
  }

  private fail(message: string, offset = this.tokStart): never {
    throw new SyntaxFailure(message, offset);
  }

  private describe(): string {
    switch (this.tok) {
      case W_WORD:
        return `'${this.word}'`;
      case W_COMMA:
        return "','";
      case W_DOT:
        return "'.'";
      default:
        return "end of input";
    }
  }

  private next(): void {
    const s = this.src;
    const n = s.length;
    let i = this.pos;
    while (i < n && isPlainSpace(s.charCodeAt(i))) i++;
    this.tokStart = i;
    if (i >= n) {
      this.tok = W_EOF;
      this.pos = i;
      return;
    }
    const c = s.charCodeAt(i);
    if (isWordChar(c)) {
      let j = i + 1;
      while (j < n && isWordChar(s.charCodeAt(j))) j++;
      this.word = s.slice(i, j);
      this.tok = W_WORD;
      this.pos = j;
      return;
    }
    if (c === 44) {
      this.tok = W_COMMA;
      this.pos = i + 1;
      return;
    }
    if (c === 46) {
      this.tok = W_DOT;
      this.pos = i + 1;
      return;
    }
    this.fail(describeBadChar(s, i), i);
  }

  private isWord(w: string): boolean {
    return this.at(W_WORD) && this.word === w;
  }

  private expectWord(w: string, context: string): void {
    if (!this.isWord(w)) this.fail(`expected '${w}' ${context} but found ${this.describe()}`);
    this.next();
  }

  parseAll(): Formula {
    const f = this.sentence(true);
    if (this.at(W_DOT)) this.next();
    if (!this.at(W_EOF)) {
      this.fail(`expected the end of the sentence but found ${this.describe()}`);
    }
    return f;
  }

  private sentence(top: boolean): Formula {
    if (!this.at(W_WORD)) this.fail(`expected a sentence but found ${this.describe()}`);
    const w = this.word;
    if (w === "If" || w === "if") {
      this.next();
      const premise = this.group("the premise");
      if (this.at(W_COMMA)) this.next();
      this.expectWord("then", "after the premise of 'If'");
      return implies(premise, this.group("the conclusion"));
    }
    if (w === "For" || w === "for") {
      if (this.bound.length >= MAX_NESTING) this.fail(`more than ${MAX_NESTING} nested 'for any'`);
      this.next();
      if (!(this.isWord("any") || this.isWord("every") || this.isWord("all"))) {
        this.fail(`expected 'any' after 'For' but found ${this.describe()}`);
      }
      this.next();
      if (this.isWord("person")) this.next();
      if (!this.at(W_WORD) || !isTermName(this.word)) {
        this.fail(`expected a capitalised variable name after 'For any' but found ${this.describe()}`);
      }
      const name = this.word;
      if (ENGLISH_RESERVED_NAMES.includes(name)) this.fail(`'${name}' cannot be used as a variable name`);
      this.next();
      if (this.at(W_COMMA)) this.next();
      this.bound.push(name);
      const body = this.sentence(false);
      this.bound.pop();
      return forallRaw(name, body);
    }
    if (top && (w === "Contradiction" || w === "contradiction")) {
      this.next();
      return falsum;
    }
    return this.group("a claim");
  }

  /** lit (('and' lit)+ | ('or' lit)+)?; mixing 'and' with 'or' is ambiguous and rejected. */
  private group(what: string): Formula {
    const first = this.literal(what);
    if (!(this.isWord("and") || this.isWord("or"))) return first;
    const conn = this.word;
    const items: Formula[] = [first];
    while (this.at(W_WORD) && (this.word === "and" || this.word === "or")) {
      if (this.word !== conn) {
        this.fail(`cannot mix 'and' with 'or' in one list; write it in symbolic syntax with parentheses`);
      }
      this.next();
      items.push(this.literal(what));
    }
    return conn === "and" ? and(items) : or(items);
  }

  /** NAME 'is' ['not'] PRED */
  private literal(what: string): Formula {
    if (!this.at(W_WORD)) this.fail(`expected a statement in ${what} but found ${this.describe()}`);
    const name = this.word;
    if (!isTermName(name)) {
      this.fail(`expected a capitalised name (a person or a variable) in ${what} but found '${name}'`);
    }
    const t = this.term(name);
    this.next();
    this.expectWord("is", `after '${name}'`);
    let positive = true;
    if (this.isWord("not")) {
      positive = false;
      this.next();
    }
    if (!this.at(W_WORD)) this.fail(`expected a predicate but found ${this.describe()}`);
    const pred = this.word;
    if (!isPredicateName(pred)) {
      this.fail(`'${pred}' is not a predicate name (lowercase ASCII letters, digits, '_'; not a keyword)`);
    }
    this.next();
    const a = atom(pred, [t]);
    return positive ? a : not(a);
  }

  private term(name: string): Term {
    const b = this.bound;
    for (let k = b.length - 1; k >= 0; k--) if (b[k] === name) return bvar(b.length - 1 - k);
    if (ENGLISH_RESERVED_NAMES.includes(name)) this.fail(`'${name}' cannot be used as a name`);
    return constant(name);
  }
}

/**
 * The constant the fast path made last. Proof lines mostly talk about one or two people, so reusing
 * it when the next name is spelled the same saves cutting the name out and building its term again.
 * Terms are immutable values, so sharing one between formulas is invisible.
 */
let lastConstant: Const | undefined;
/**
 * The argument list `[lastConstant]`, shared the same way by the atoms the fast path builds about
 * that person (argument lists are never changed in place: substitution copies one first).
 */
let lastArgs: readonly Term[] = [];

/** True when `s[a, b)` spells `w`. */
function spells(s: string, a: number, b: number, w: string): boolean {
  if (b - a !== w.length) return false;
  for (let k = 0; k < w.length; k++) if (s.charCodeAt(a + k) !== w.charCodeAt(k)) return false;
  return true;
}

/** `s[a, b)` is one of the lowercase keywords that cannot name a predicate. */
function isKeywordAt(s: string, a: number, b: number): boolean {
  return spells(s, a, b, "not") || spells(s, a, b, "all") || spells(s, a, b, "forall");
}

/** The constant named `s[a, b)` (a capitalised word), or undefined for a reserved word. */
function constantAt(s: string, a: number, b: number): Const | undefined {
  const last = lastConstant;
  if (last !== undefined && spells(s, a, b, last.name)) return last;
  const name = s.slice(a, b);
  if (ENGLISH_RESERVED_NAMES.includes(name)) return undefined;
  const c = constant(name);
  lastArgs = [c];
  return (lastConstant = c);
}

/**
 * Fast path for the shape almost every proof line has: `Name is [not] pred`, or a flat list of such
 * literals joined by one of `and` / `or`, words separated by plain spaces only. It reads `s[start,
 * end)` in place, accepts only text the full parser reads to the same tree and returns undefined
 * for anything else (so every error still comes from the full parser).
 *
 * Each character is read once, into `c` (-1 past the end), as the scan moves on.
 */
function quickEnglish(s: string, start: number, end: number): Formula | undefined {
  const n = end;
  let i = start;
  let c = i < n ? s.charCodeAt(i) : -1;
  let conn = 0; // 0: none yet, 1: and, 2: or
  // The first two literals are held apart so that a pair (the usual list) gets an exact-size array.
  let items: Formula[] | undefined;
  let first: Formula | undefined;
  let second: Formula | undefined;
  while (isPlainSpace(c)) c = ++i < n ? s.charCodeAt(i) : -1;
  for (;;) {
    // Name: a capital, then word characters
    if (!(c >= 65 && c <= 90)) return undefined;
    const n0 = i;
    do c = ++i < n ? s.charCodeAt(i) : -1;
    while (isWordChar(c));
    const name = constantAt(s, n0, i);
    if (name === undefined) return undefined;
    // spaces, 'is', spaces
    if (!isPlainSpace(c)) return undefined;
    do c = ++i < n ? s.charCodeAt(i) : -1;
    while (isPlainSpace(c));
    if (c !== 105) return undefined;
    c = ++i < n ? s.charCodeAt(i) : -1;
    if (c !== 115) return undefined;
    c = ++i < n ? s.charCodeAt(i) : -1;
    if (!isPlainSpace(c)) return undefined;
    do c = ++i < n ? s.charCodeAt(i) : -1;
    while (isPlainSpace(c));
    // ['not'] pred: a lowercase letter, then word characters without capitals (neither `not` nor
    // a predicate starts otherwise)
    let p0 = i;
    if (!(c >= 97 && c <= 122)) return undefined;
    let capital = false;
    do {
      c = ++i < n ? s.charCodeAt(i) : -1;
      if (c >= 65 && c <= 90) capital = true;
    } while (isWordChar(c));
    let positive = true;
    if (spells(s, p0, i, "not")) {
      positive = false;
      if (!isPlainSpace(c)) return undefined;
      do c = ++i < n ? s.charCodeAt(i) : -1;
      while (isPlainSpace(c));
      p0 = i;
      if (!(c >= 97 && c <= 122)) return undefined;
      do {
        c = ++i < n ? s.charCodeAt(i) : -1;
        if (c >= 65 && c <= 90) capital = true;
      } while (isWordChar(c));
    }
    if (capital || isKeywordAt(s, p0, i)) return undefined;
    // constantAt made `name` the last constant, so `lastArgs` is `[name]`.
    const a = atom(s.slice(p0, i), lastArgs);
    const lit = positive ? a : not(a);
    if (first === undefined) first = lit;
    else if (second === undefined) second = lit;
    else (items ??= [first, second]).push(lit);
    // the end (after spaces), or spaces, then 'and' | 'or' (the same all along), then spaces
    if (c === -1) break;
    if (!isPlainSpace(c)) return undefined;
    do c = ++i < n ? s.charCodeAt(i) : -1;
    while (isPlainSpace(c));
    if (c === -1) break;
    const w0 = i;
    while (isWordChar(c)) c = ++i < n ? s.charCodeAt(i) : -1;
    const joint = spells(s, w0, i, "and") ? 1 : spells(s, w0, i, "or") ? 2 : 0;
    if (joint === 0 || (conn !== 0 && conn !== joint)) return undefined;
    conn = joint;
    if (!isPlainSpace(c)) return undefined;
    do c = ++i < n ? s.charCodeAt(i) : -1;
    while (isPlainSpace(c));
  }
  if (second === undefined) return first;
  items ??= [first as Formula, second];
  return conn === 1 ? and(items) : or(items);
}

/**
 * The claim parser's fast path on `text[start, end)`, read in place: when it returns a formula,
 * `parseClaim(text.slice(start, end))` returns the same one (the text starts with a capital, so
 * `parseClaim` tries English first, and `parseEnglish` returns what this fast path reads);
 * undefined means only that the full parsers must decide.
 */
export function quickClaim(text: string, start: number, end: number): Formula | undefined {
  return quickEnglish(text, start, end);
}

/** Parses one sentence of the controlled English; never throws on bad input. */
export function parseEnglish(text: string): ParseResult<Formula> {
  return parseResult(quickEnglish(text, 0, text.length), () => new EnglishParser(text).parseAll());
}

/** Throwing twin of `parseEnglish`: returns the formula or throws a `ParseError`. */
export function parseEnglishOrThrow(text: string): Formula {
  return valueOrThrow(parseEnglish(text));
}

/** Printer options for `printEnglish`. */
export interface EnglishOptions {
  /** End the sentence with a period (default true); the paper's candidates have none. */
  readonly period?: boolean;
  /** Say `For any person X` (default true) rather than the paper's shorter `For any X`. */
  readonly person?: boolean;
}

/**
 * Prints a formula as one controlled-English sentence, or returns undefined when it lies outside
 * the fragment (nested connectives, non-unary predicates, free variables, reserved names).
 */
export function printEnglish(f: Formula, opts: EnglishOptions = {}): string | undefined {
  const period = opts.period === false ? "" : ".";
  const forAny = opts.person === false ? "or any " : "or any person ";
  if (f.kind === "falsum") return "Contradiction" + period;
  const scope: string[] = [];
  let taken: Set<string> | undefined;
  let prefix = "";
  let g: Formula = f;
  while (g.kind === "forall") {
    if (taken === undefined) taken = new Set([...constantsOf(f), ...ENGLISH_RESERVED_NAMES]);
    const name = chooseBinderName(g.name, taken, scope);
    scope.push(name);
    prefix += (prefix === "" ? "F" : "f") + forAny + name + ", ";
    g = g.body;
  }
  const body = printBody(g, scope, prefix === "");
  return body === undefined ? undefined : prefix + body + period;
}

function printBody(g: Formula, scope: readonly string[], capital: boolean): string | undefined {
  if (g.kind === "implies") {
    const p = printGroup(g.left, scope);
    const c = p === undefined ? undefined : printGroup(g.right, scope);
    if (p === undefined || c === undefined) return undefined;
    return (capital ? "If " : "if ") + p + ", then " + c;
  }
  return printGroup(g, scope);
}

function printGroup(g: Formula, scope: readonly string[]): string | undefined {
  if (g.kind === "and" || g.kind === "or") {
    const sep = g.kind === "and" ? " and " : " or ";
    let s = "";
    for (let i = 0; i < g.items.length; i++) {
      const l = printLiteral(g.items[i] as Formula, scope);
      if (l === undefined) return undefined;
      s += i === 0 ? l : sep + l;
    }
    return s;
  }
  return printLiteral(g, scope);
}

function printLiteral(g: Formula, scope: readonly string[]): string | undefined {
  let positive = true;
  let a = g;
  if (a.kind === "not") {
    positive = false;
    a = a.body;
  }
  if (a.kind !== "atom" || a.args.length !== 1 || !isPredicateName(a.pred)) return undefined;
  const t = a.args[0] as Term;
  let name: string | undefined;
  switch (t.kind) {
    case "const":
      name = isTermName(t.name) && !ENGLISH_RESERVED_NAMES.includes(t.name) ? t.name : undefined;
      // A constant spelled like a variable in scope would be read back as that variable.
      if (name !== undefined && scope.includes(name)) name = undefined;
      break;
    case "bvar":
      name = scope[scope.length - 1 - t.index];
      break;
    case "fvar":
      name = undefined;
      break;
    default:
      return assertNever(t);
  }
  if (name === undefined) return undefined;
  return name + (positive ? " is " : " is not ") + a.pred;
}

/**
 * Parses a claim written either in controlled English or in the symbolic syntax (proof lines may
 * use both). English is tried first when the text starts like English (a capitalised word, or
 * `if`/`for`/`contradiction`); when both fail, the error of the first attempt is returned.
 */
export function parseClaim(text: string): ParseResult<Formula> {
  const englishFirst = looksEnglish(text);
  const first = englishFirst ? parseEnglish(text) : parseSymbolic(text);
  if (first.ok) return first;
  const second = englishFirst ? parseSymbolic(text) : parseEnglish(text);
  return second.ok ? second : first;
}

/** Throwing twin of `parseClaim`. */
export function parseClaimOrThrow(text: string): Formula {
  return valueOrThrow(parseClaim(text));
}

function looksEnglish(text: string): boolean {
  let i = 0;
  const n = text.length;
  while (i < n && isPlainSpace(text.charCodeAt(i))) i++;
  const c = text.charCodeAt(i);
  if (c >= 65 && c <= 90) return true;
  let j = i;
  while (j < n && isWordChar(text.charCodeAt(j))) j++;
  const w = text.slice(i, j);
  return w === "if" || w === "for" || w === "contradiction";
}
