/**
 * The symbolic syntax of formulas: a hand-written, linear-time parser and a printer with minimal
 * parentheses, in Unicode (`∀X (p(X) ∧ ¬q(X) → r(X) ∨ s(X))`) or ASCII
 * (`forall X (p(X) & ~q(X) -> r(X) | s(X))`). The grammar is in docs/syntax.md.
 *
 * Parsing is untrusted-input safe: no regular expressions run on the text, nesting is capped so
 * deep input cannot exhaust the stack, and anything outside the documented alphabet (non-ASCII
 * letters such as a Cyrillic 'а', zero-width or other invisible characters) is rejected with a
 * clear message and the offset where it occurs.
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
  fvar,
  implies,
  not,
  or,
  type Formula,
  type Term,
} from "./formula.js";

/** Where and why a text failed to parse; `offset` is a UTF-16 index into the input. */
export interface ParseIssue {
  readonly message: string;
  readonly offset: number;
}

/** The result of parsing untrusted text: a value, or the first problem found. */
export type ParseResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ParseIssue };

/** Thrown by the `…OrThrow` twins; carries the same message and offset as the result form. */
export class ParseError extends Error {
  override name = "ParseError";
  /** UTF-16 offset of the problem in the input. */
  readonly offset: number;
  constructor(issue: ParseIssue) {
    super(`${issue.message} (at offset ${issue.offset})`);
    this.offset = issue.offset;
  }
}

/**
 * Runs a parser at the public boundary: a fast-path result when there is one, otherwise the full
 * parser, whose `SyntaxFailure` becomes an issue value (anything else is a bug and is rethrown).
 */
export function parseResult<T>(quick: T | undefined, full: () => T): ParseResult<T> {
  if (quick !== undefined) return { ok: true, value: quick };
  try {
    return { ok: true, value: full() };
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, error: e.issue };
    throw e;
  }
}

/** The throwing form of a parse result: the value, or a `ParseError` with the same issue. */
export function valueOrThrow<T>(r: ParseResult<T>): T {
  if (!r.ok) throw new ParseError(r.error);
  return r.value;
}

/** Deepest formula nesting a parser accepts; deeper input is rejected instead of risking the stack. */
export const MAX_NESTING = 200;

/** Lowercase words that the symbolic syntax reserves, so they cannot be predicate names there. */
export const SYMBOLIC_KEYWORDS: readonly string[] = ["forall", "all", "not"];

/** True when `s` is a valid predicate name: `[a-z][a-z0-9_]*` and not a reserved word. */
export function isPredicateName(s: string): boolean {
  if (s.length === 0) return false;
  const c0 = s.charCodeAt(0);
  if (c0 < 97 || c0 > 122) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95)) return false;
  }
  return !SYMBOLIC_KEYWORDS.includes(s);
}

/** True when `s` is a valid constant or variable name: `[A-Z][A-Za-z0-9_]*`. */
export function isTermName(s: string): boolean {
  if (s.length === 0) return false;
  const c0 = s.charCodeAt(0);
  if (c0 < 65 || c0 > 90) return false;
  for (let i = 1; i < s.length; i++) if (!isWordChar(s.charCodeAt(i))) return false;
  return true;
}

/** Internal to the parsers: a failure carrying an issue, turned into a result at the public boundary. */
export class SyntaxFailure extends Error {
  readonly issue: ParseIssue;
  constructor(message: string, offset: number) {
    super(message);
    this.issue = { message, offset };
  }
}

// Character classes of ASCII, looked up instead of compared: the scanner is the parser's hot loop.
const C_LOWER = 1;
const C_UPPER = 2;
const C_DIGIT = 4; // digits and '_'
const C_WORD = C_LOWER | C_UPPER | C_DIGIT;
const C_SPACE = 8;
const CLASS = new Uint8Array(128);
for (let c = 97; c <= 122; c++) CLASS[c] = C_LOWER;
for (let c = 65; c <= 90; c++) CLASS[c] = C_UPPER;
for (let c = 48; c <= 57; c++) CLASS[c] = C_DIGIT;
CLASS[95] = C_DIGIT;
for (const c of [32, 9, 10, 13]) CLASS[c] = C_SPACE;

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** True for the whitespace both syntaxes allow: space, tab, line feed, carriage return. */
export function isPlainSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Describes a character that is not in the alphabet, for error messages. Invisible and non-ASCII
 * letters get a specific message, since they are the usual way look-alike text sneaks in.
 */
export function describeBadChar(text: string, offset: number): string {
  const cp = text.codePointAt(offset) ?? 0;
  const hex = "U+" + cp.toString(16).toUpperCase().padStart(4, "0");
  if (isInvisible(cp)) return `invisible or non-standard space character ${hex} is not allowed`;
  if (cp > 127) {
    const ch = String.fromCodePoint(cp);
    if (/^\p{L}$/u.test(ch)) return `non-ASCII letter '${ch}' (${hex}); names use ASCII letters only`;
    return `unexpected character '${ch}' (${hex})`;
  }
  if (cp < 32 || cp === 127) return `control character ${hex} is not allowed`;
  return `unexpected character '${String.fromCharCode(cp)}'`;
}

function isInvisible(cp: number): boolean {
  return (
    cp === 0x00a0 ||
    cp === 0x00ad ||
    cp === 0x034f ||
    cp === 0x061c ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x180e ||
    (cp >= 0x2000 && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202f) ||
    (cp >= 0x205f && cp <= 0x206f) ||
    cp === 0x3000 ||
    cp === 0x3164 ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff ||
    cp === 0xffa0 ||
    (cp >= 0xe0000 && cp <= 0xe007f)
  );
}

// Token kinds (plain numbers: the style forbids `enum`).
const T_EOF = 0;
const T_LPAREN = 1;
const T_RPAREN = 2;
const T_COMMA = 3;
const T_AND = 4;
const T_OR = 5;
const T_IMPLIES = 6;
const T_NOT = 7;
const T_FORALL = 8;
const T_FALSUM = 9;
const T_PRED = 10;
const T_NAME = 11;
const T_FVAR = 12;
const T_DOT = 13;
const T_COLON = 14;

const TOKEN_TEXT: readonly string[] = [
  "end of input",
  "'('",
  "')'",
  "','",
  "'∧'",
  "'∨'",
  "'→'",
  "'¬'",
  "'∀'",
  "'⊥'",
  "predicate",
  "name",
  "free variable",
  "'.'",
  "':'",
];

/** The symbolic parser; one instance per input. */
class SymbolicParser {
  private readonly src: string;
  private pos = 0;
  private tok = T_EOF;
  private tokStart = 0;
  private tokText = "";
  private depth = 0;
  // Names of the enclosing binders, outermost first.
  private readonly bound: string[] = [];

  constructor(src: string) {
    this.src = src;
    this.next();
  }

  parseAll(): Formula {
    const f = this.formula();
    if (!this.at(T_EOF)) this.fail(`expected end of input but found ${this.describe()}`);
    return f;
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
    if (this.at(T_PRED) || this.at(T_NAME)) return `${TOKEN_TEXT[this.tok]} '${this.tokText}'`;
    if (this.at(T_FVAR)) return `free variable '?${this.tokText}'`;
    return TOKEN_TEXT[this.tok] ?? "token";
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING) this.fail(`formula nested deeper than ${MAX_NESTING} levels`);
  }

  /** Reads the next token into `tok`, `tokStart`, `tokText`. */
  private next(): void {
    const s = this.src;
    let i = this.pos;
    const n = s.length;
    let c = 0;
    while (i < n) {
      c = s.charCodeAt(i);
      if (c >= 128 || CLASS[c] !== C_SPACE) break;
      i++;
    }
    this.tokStart = i;
    if (i >= n) {
      this.tok = T_EOF;
      this.pos = i;
      return;
    }
    const cls = c < 128 ? (CLASS[c] ?? 0) : 0;
    if ((cls & C_WORD) !== 0) {
      let j = i + 1;
      let seen = 0;
      while (j < n) {
        const d = s.charCodeAt(j);
        const k = d < 128 ? (CLASS[d] ?? 0) : 0;
        if ((k & C_WORD) === 0) break;
        seen |= k;
        j++;
      }
      const w = s.slice(i, j);
      this.pos = j;
      this.tokText = w;
      if (cls === C_LOWER) {
        if (w === "forall" || w === "all") this.tok = T_FORALL;
        else if (w === "not") this.tok = T_NOT;
        else if ((seen & C_UPPER) !== 0) this.fail(`predicate '${w}' must be lowercase ([a-z][a-z0-9_]*)`, i);
        else this.tok = T_PRED;
      } else if (cls === C_UPPER) this.tok = T_NAME;
      else this.fail(`a name must start with a letter, found '${w}'`, i);
      return;
    }
    this.pos = i + 1;
    switch (c) {
      case 40:
        this.tok = T_LPAREN;
        return;
      case 41:
        this.tok = T_RPAREN;
        return;
      case 44:
        this.tok = T_COMMA;
        return;
      case 46:
        this.tok = T_DOT;
        return;
      case 58:
        this.tok = T_COLON;
        return;
      case 38: // & or &&
        if (s.charCodeAt(i + 1) === 38) this.pos = i + 2;
        this.tok = T_AND;
        return;
      case 124: // | or ||
        if (s.charCodeAt(i + 1) === 124) this.pos = i + 2;
        this.tok = T_OR;
        return;
      case 126: // ~
        this.tok = T_NOT;
        return;
      case 45: // - or ->
        if (s.charCodeAt(i + 1) === 62) {
          this.pos = i + 2;
          this.tok = T_IMPLIES;
        } else this.tok = T_NOT;
        return;
      case 61: // =>
        if (s.charCodeAt(i + 1) === 62) {
          this.pos = i + 2;
          this.tok = T_IMPLIES;
          return;
        }
        break;
      case 47: // /\
        if (s.charCodeAt(i + 1) === 92) {
          this.pos = i + 2;
          this.tok = T_AND;
          return;
        }
        break;
      case 92: // \/
        if (s.charCodeAt(i + 1) === 47) {
          this.pos = i + 2;
          this.tok = T_OR;
          return;
        }
        break;
      case 36: // $false
        if (s.startsWith("$false", i) && !(i + 6 < n && isWordChar(s.charCodeAt(i + 6)))) {
          this.pos = i + 6;
          this.tok = T_FALSUM;
          return;
        }
        break;
      case 63: {
        // ?Name: a free variable
        let j = i + 1;
        const d = s.charCodeAt(j);
        if (d >= 65 && d <= 90) {
          j++;
          while (j < n && isWordChar(s.charCodeAt(j))) j++;
          this.pos = j;
          this.tokText = s.slice(i + 1, j);
          this.tok = T_FVAR;
          return;
        }
        this.fail("'?' must be followed by a capitalised variable name", i);
        break;
      }
      case 0x00ac:
        this.tok = T_NOT;
        return;
      case 0x2227:
        this.tok = T_AND;
        return;
      case 0x2228:
        this.tok = T_OR;
        return;
      case 0x2192:
      case 0x21d2:
        this.tok = T_IMPLIES;
        return;
      case 0x2200:
        this.tok = T_FORALL;
        return;
      case 0x22a5:
        this.tok = T_FALSUM;
        return;
      default:
        break;
    }
    this.fail(describeBadChar(s, i), i);
  }

  /** formula := disj ('→' disj)*, folded to the right. */
  private formula(): Formula {
    const first = this.disjunction();
    if (!this.at(T_IMPLIES)) return first;
    const parts: Formula[] = [first];
    const saved = this.depth;
    while (this.at(T_IMPLIES)) {
      this.next();
      // Each further operand sits one level deeper in the right-nested result.
      this.enter();
      parts.push(this.disjunction());
    }
    this.depth = saved;
    let acc = parts[parts.length - 1] as Formula;
    for (let k = parts.length - 2; k >= 0; k--) acc = implies(parts[k] as Formula, acc);
    return acc;
  }

  private disjunction(): Formula {
    const first = this.conjunction();
    if (!this.at(T_OR)) return first;
    this.enter();
    const items: Formula[] = [first];
    while (this.at(T_OR)) {
      this.next();
      items.push(this.conjunction());
    }
    this.depth--;
    return or(items);
  }

  private conjunction(): Formula {
    const first = this.unary();
    if (!this.at(T_AND)) return first;
    this.enter();
    const items: Formula[] = [first];
    while (this.at(T_AND)) {
      this.next();
      items.push(this.unary());
    }
    this.depth--;
    return and(items);
  }

  private unary(): Formula {
    switch (this.tok) {
      case T_NOT: {
        this.enter();
        this.next();
        const body = this.unary();
        this.depth--;
        return not(body);
      }
      case T_FORALL: {
        this.enter();
        this.next();
        if (!this.at(T_NAME)) {
          if (this.at(T_PRED)) this.fail(`bound variable '${this.tokText}' must be capitalised`);
          this.fail(`expected a variable name after '∀' but found ${this.describe()}`);
        }
        const name = this.tokText;
        this.next();
        if (this.at(T_DOT) || this.at(T_COLON)) this.next();
        this.bound.push(name);
        // The quantifier scopes as far to the right as possible.
        const body = this.formula();
        this.bound.pop();
        this.depth--;
        return forallRaw(name, body);
      }
      default:
        return this.primary();
    }
  }

  private primary(): Formula {
    switch (this.tok) {
      case T_LPAREN: {
        const open = this.tokStart;
        this.enter();
        this.next();
        const f = this.formula();
        if (!this.at(T_RPAREN)) {
          this.fail(`expected ')' to close the '(' at offset ${open} but found ${this.describe()}`);
        }
        this.next();
        this.depth--;
        return f;
      }
      case T_FALSUM:
        this.next();
        return falsum;
      case T_PRED: {
        const pred = this.tokText;
        this.next();
        if (!this.at(T_LPAREN)) return atom(pred, []);
        this.next();
        const args: Term[] = [this.term()];
        while (this.at(T_COMMA)) {
          this.next();
          args.push(this.term());
        }
        if (!this.at(T_RPAREN)) this.fail(`expected ',' or ')' in the arguments of '${pred}'`);
        this.next();
        return atom(pred, args);
      }
      case T_NAME:
        this.fail(
          `expected a formula but found name '${this.tokText}' (capitalised names are people or variables; predicates are lowercase)`,
        );
        break;
      default:
        break;
    }
    this.fail(`expected a formula but found ${this.describe()}`);
  }

  private term(): Term {
    if (this.at(T_NAME)) {
      const name = this.tokText;
      this.next();
      const b = this.bound;
      for (let k = b.length - 1; k >= 0; k--) if (b[k] === name) return bvar(b.length - 1 - k);
      return constant(name);
    }
    if (this.at(T_FVAR)) {
      const name = this.tokText;
      this.next();
      return fvar(name);
    }
    if (this.at(T_PRED)) {
      this.fail(`argument '${this.tokText}' must be a capitalised name (a person or a bound variable)`);
    }
    if (this.at(T_RPAREN)) this.fail("empty argument list: write a 0-ary predicate without '()'");
    this.fail(`expected an argument but found ${this.describe()}`);
  }
}

/**
 * Fast path for the shape almost every proof line has: one literal `[¬|~]pred(Name)`, or a flat list
 * of them joined by one of `∧ & ∨ |`. It accepts only text the full parser reads to the same tree
 * and returns undefined for anything else (so every error still comes from the full parser).
 */
function quickSymbolic(s: string): Formula | undefined {
  const n = s.length;
  let i = 0;
  let conn = 0; // 0: none yet, else the connective's code unit
  let items: Formula[] | undefined;
  let first: Formula | undefined;
  for (;;) {
    while (i < n && isPlainSpace(s.charCodeAt(i))) i++;
    let c = s.charCodeAt(i);
    const negated = c === 0x00ac || c === 126;
    if (negated) {
      i++;
      while (i < n && isPlainSpace(s.charCodeAt(i))) i++;
      c = s.charCodeAt(i);
    }
    if (!(c >= 97 && c <= 122)) return undefined;
    const p0 = i;
    i++;
    for (; i < n; i++) {
      const d = s.charCodeAt(i);
      if (!((d >= 97 && d <= 122) || (d >= 48 && d <= 57) || d === 95)) break;
    }
    // An uppercase letter or other word character glued to the predicate is the full parser's case.
    if (i < n && isWordChar(s.charCodeAt(i))) return undefined;
    const pred = s.slice(p0, i);
    if (pred === "forall" || pred === "all" || pred === "not") return undefined;
    while (i < n && isPlainSpace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 40) return undefined;
    i++;
    while (i < n && isPlainSpace(s.charCodeAt(i))) i++;
    c = s.charCodeAt(i);
    if (!(c >= 65 && c <= 90)) return undefined;
    const t0 = i;
    i++;
    while (i < n && isWordChar(s.charCodeAt(i))) i++;
    const name = s.slice(t0, i);
    while (i < n && isPlainSpace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 41) return undefined;
    i++;
    const a = atom(pred, [constant(name)]);
    const lit = negated ? not(a) : a;
    if (first === undefined) first = lit;
    else (items ??= [first]).push(lit);
    while (i < n && isPlainSpace(s.charCodeAt(i))) i++;
    if (i >= n) break;
    c = s.charCodeAt(i);
    // Doubled ASCII connectives (`&&`, `||`) are left to the full parser.
    if (c !== 0x2227 && c !== 0x2228 && c !== 38 && c !== 124) return undefined;
    if (s.charCodeAt(i + 1) === c) return undefined;
    const kind = c === 0x2227 || c === 38 ? 38 : 124;
    if (conn !== 0 && conn !== kind) return undefined;
    conn = kind;
    i++;
  }
  if (items === undefined) return first;
  return conn === 38 ? and(items) : or(items);
}

/** Parses a formula in the symbolic syntax (Unicode or ASCII); never throws on bad input. */
export function parseSymbolic(text: string): ParseResult<Formula> {
  return parseResult(quickSymbolic(text), () => new SymbolicParser(text).parseAll());
}

/** Throwing twin of `parseSymbolic`: returns the formula or throws a `ParseError`. */
export function parseSymbolicOrThrow(text: string): Formula {
  return valueOrThrow(parseSymbolic(text));
}

/** Printer options for `printSymbolic`. */
export interface SymbolicOptions {
  /** Use the ASCII spellings (`forall`, `~`, `&`, `|`, `->`, `$false`) instead of Unicode. */
  readonly ascii?: boolean;
}

interface Spelling {
  readonly forall: string;
  readonly not: string;
  readonly and: string;
  readonly or: string;
  readonly implies: string;
  readonly falsum: string;
}
const UNICODE: Spelling = { forall: "∀", not: "¬", and: " ∧ ", or: " ∨ ", implies: " → ", falsum: "⊥" };
const ASCII: Spelling = {
  forall: "forall ",
  not: "~",
  and: " & ",
  or: " | ",
  implies: " -> ",
  falsum: "$false",
};

// Binding strength, loosest first; an operand printed where a tighter level is required gets
// parentheses.
const P_IMPLIES = 1;
const P_OR = 2;
const P_AND = 3;
const P_UNARY = 4;

/**
 * The binder names the printers use, in order: `X, Y, Z, X1, Y1, Z1, X2, …`. The `i`-th name is
 * returned for `i ≥ 0`.
 */
export function binderName(i: number): string {
  const base = ["X", "Y", "Z"][i % 3] as string;
  const round = Math.floor(i / 3);
  return round === 0 ? base : base + round;
}

/**
 * Chooses a display name for a binder: its hint when that is a valid, unused name, otherwise the
 * first free name of `X, Y, Z, X1, …`. `taken` holds names that would clash (constants of the
 * formula, binders in scope).
 */
export function chooseBinderName(
  hint: string,
  taken: ReadonlySet<string>,
  inScope: readonly string[],
): string {
  if (isTermName(hint) && !taken.has(hint) && !inScope.includes(hint)) return hint;
  for (let i = 0; ; i++) {
    const cand = binderName(i);
    if (!taken.has(cand) && !inScope.includes(cand)) return cand;
  }
}

/** Prints a formula in the symbolic syntax with minimal parentheses; parsing the result gives it back. */
export function printSymbolic(f: Formula, opts: SymbolicOptions = {}): string {
  const sp = opts.ascii === true ? ASCII : UNICODE;
  let taken: Set<string> | undefined;
  const scope: string[] = [];

  const term = (t: Term): string => {
    switch (t.kind) {
      case "const":
        return t.name;
      case "fvar":
        return "?" + t.name;
      case "bvar": {
        const name = scope[scope.length - 1 - t.index];
        // A dangling index has no name to print; `#k` keeps it visible (and unparseable).
        return name ?? "#" + t.index;
      }
      default:
        return assertNever(t);
    }
  };

  // `edge` is true when nothing follows this subformula before the enclosing ')' or the end, the
  // only place where a quantifier (which scopes as far right as possible) may appear bare.
  const go = (g: Formula, min: number, edge: boolean): string => {
    switch (g.kind) {
      case "atom": {
        if (g.args.length === 0) return g.pred;
        let s = g.pred + "(" + term(g.args[0] as Term);
        for (let i = 1; i < g.args.length; i++) s += ", " + term(g.args[i] as Term);
        return s + ")";
      }
      case "falsum":
        return sp.falsum;
      case "not":
        return sp.not + go(g.body, P_UNARY, edge);
      case "and":
      case "or": {
        const level = g.kind === "and" ? P_AND : P_OR;
        const wrap = level < min;
        const inner = wrap || edge;
        const sep = g.kind === "and" ? sp.and : sp.or;
        const last = g.items.length - 1;
        let s = "";
        for (let i = 0; i <= last; i++) {
          if (i > 0) s += sep;
          s += go(g.items[i] as Formula, level + 1, i === last && inner);
        }
        return wrap ? "(" + s + ")" : s;
      }
      case "implies": {
        const wrap = P_IMPLIES < min;
        const s = go(g.left, P_OR, false) + sp.implies + go(g.right, P_IMPLIES, wrap || edge);
        return wrap ? "(" + s + ")" : s;
      }
      case "forall": {
        if (taken === undefined) taken = new Set(constantsOf(f));
        const name = chooseBinderName(g.name, taken, scope);
        scope.push(name);
        const b = g.body;
        // The body is bracketed when binary, for readability only: the scope rule alone would do.
        const body =
          b.kind === "and" || b.kind === "or" || b.kind === "implies"
            ? " (" + go(b, 0, true) + ")"
            : " " + go(b, 0, true);
        scope.pop();
        const s = sp.forall + name + body;
        return edge ? s : "(" + s + ")";
      }
      default:
        return assertNever(g);
    }
  };
  return go(f, 0, true);
}
