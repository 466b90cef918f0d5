/**
 * The proof-language reader: finds the one `<proof> … </proof>` block in a completion and reads it
 * into a `Proof` AST (grammar in docs/proof-language.md). Untrusted: it never decides validity,
 * only structure, and every scan is a single linear pass (no regular expressions on the text).
 */
import { parseClaim as standardParser, quickClaim } from "../logic/english.js";
import { falsum, formulaSize, type Formula } from "../logic/formula.js";
import { RULE_NAMES, type RuleName } from "./kernel.js";
import { issue, type Issue, type Issues } from "./issue.js";
import {
  MAX_LABEL_DIGITS,
  type BlockItem,
  type ClaimItem,
  type Item,
  type Justification,
  type Proof,
  type Ref,
} from "./proof.js";

/** Parses one claim (English or symbolic); supplied by the logic layer. */
export type ClaimParser = (
  text: string,
) =>
  | { readonly ok: true; readonly value: Formula }
  | { readonly ok: false; readonly error: { readonly message: string } };

/** Limits the reader enforces; exceeding one is a `size-limit` issue. */
export interface ReadLimits {
  /** Largest proof block in UTF-8 bytes. */
  readonly maxBytes: number;
  /** Largest completion (in UTF-16 units) that is scanned for a block at all. */
  readonly maxCompletionChars: number;
  /** Most non-blank lines in the block. */
  readonly maxLines: number;
  /** Largest claim, in formula nodes (`formulaSize`). */
  readonly maxFormulaSize: number;
  /** Deepest nesting of sub-proofs. */
  readonly maxNesting: number;
}

/** The located proof block: its text and the completion line its first character is on. */
export interface Block {
  readonly text: string;
  readonly firstLine: number;
}

/** Result of reading: the AST and the number of non-blank lines, or the first issue. */
export type ReadResult =
  | { readonly ok: true; readonly proof: Proof; readonly lines: number }
  | { readonly ok: false; readonly issues: Issues; readonly lines: number };

const OPEN = "<proof>";
const CLOSE = "</proof>";

function countLines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf("\n", from); i >= 0 && i < to; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

/** UTF-8 length of a string without allocating. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Locates the single proof block of a completion, or says why there is not exactly one. */
export function findBlock(completion: string, limits: ReadLimits): Block | Issue {
  if (completion.length > limits.maxCompletionChars)
    return issue("size-limit", `the completion is longer than ${limits.maxCompletionChars} characters`);
  const start = completion.indexOf(OPEN);
  if (start < 0) return issue("no-proof-block", `no ${OPEN} … ${CLOSE} block found`);
  const bodyStart = start + OPEN.length;
  const end = completion.indexOf(CLOSE, bodyStart);
  const firstLine = 1 + countLines(completion, 0, bodyStart);
  if (end < 0) return issue("no-proof-block", `${OPEN} is never closed by ${CLOSE}`, firstLine);
  const again = completion.indexOf(OPEN, bodyStart);
  if (again >= 0) {
    const line = 1 + countLines(completion, 0, again);
    return issue(
      "multiple-proof-blocks",
      `more than one ${OPEN} block (another starts on line ${line})`,
      line,
    );
  }
  const chars = end - bodyStart;
  // UTF-8 needs at most 3 bytes per UTF-16 unit, so the exact count is only needed near the limit.
  if (
    chars > limits.maxBytes ||
    (chars * 3 > limits.maxBytes && utf8Length(completion.slice(bodyStart, end)) > limits.maxBytes)
  )
    return issue("size-limit", `the proof block is larger than ${limits.maxBytes} bytes`, firstLine);
  return { text: completion.slice(bodyStart, end), firstLine };
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function lower(s: string): string {
  return s.toLowerCase();
}

/**
 * True when `s[a, b)` equals `word` ignoring ASCII case. `word` is lowercase ASCII; no other
 * character lowercases to a lone ASCII letter of the words compared here, so this agrees with
 * comparing `toLowerCase()` results.
 */
function equalsWord(s: string, a: number, b: number, word: string): boolean {
  if (b - a !== word.length) return false;
  for (let k = 0; k < word.length; k++) {
    const w = word.charCodeAt(k);
    const c = s.charCodeAt(a + k);
    if (w >= 97 && w <= 122 ? (c | 32) !== w : c !== w) return false;
  }
  return true;
}

/** Index after trailing blanks are dropped from `s[a, b)`. */
function trimEnd(s: string, a: number, b: number): number {
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return b;
}

/** Index after one trailing period (and the blanks before it) is dropped from trimmed `s[a, b)`. */
function stripPeriodEnd(s: string, a: number, b: number): number {
  return b > a && s.charCodeAt(b - 1) === 46 ? trimEnd(s, a, b - 1) : b;
}

const FALSUM_WORDS = new Set(["contradiction", "false", "falsum", "bottom", "⊥", "$false"]);
/** Longer texts cannot lowercase to a falsum word (lowercasing never shortens a string). */
const FALSUM_MAX = 40;

const RULE_SET: ReadonlySet<string> = new Set(RULE_NAMES);

/** Index of the first significant digit of `s[a, b)` (all digits): leading zeros are skipped, one zero kept. */
function significant(s: string, a: number, b: number): number {
  while (a < b - 1 && s.charCodeAt(a) === 48) a++;
  return a;
}

function readRef(tok: string): Ref | null {
  const c = tok.charCodeAt(0);
  const d0 = isDigit(c) ? 0 : 1;
  if (tok.length === d0) return null;
  for (let i = d0; i < tok.length; i++) if (!isDigit(tok.charCodeAt(i))) return null;
  const kind: "line" | "fact" | "rule" | null =
    d0 === 0 || c === 76 || c === 108
      ? "line"
      : c === 70 || c === 102
        ? "fact"
        : c === 82 || c === 114
          ? "rule"
          : null;
  if (kind === null) return null;
  const s0 = significant(tok, d0, tok.length);
  // Past the limit no fact, rule or line can have this number; it is still a citation (of nothing).
  if (tok.length - s0 > MAX_LABEL_DIGITS) return { kind: "nothing", text: tok };
  // A line label is the number's decimal form ("007" cites line 7).
  const digits = s0 === d0 ? (d0 === 0 ? tok : tok.slice(1)) : tok.slice(s0);
  if (kind === "line") return { kind, label: digits };
  const n = Number(digits);
  return n >= 1 ? { kind, index: n - 1 } : { kind: "nothing", text: tok };
}

function isName(tok: string): boolean {
  const c0 = tok.charCodeAt(0);
  if (!(c0 >= 65 && c0 <= 90)) return false;
  for (let i = 1; i < tok.length; i++) {
    const c = tok.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 95)) return false;
  }
  return true;
}

const FILLER = new Set(["on", "from", "and", "to", "using", "of", "line", "lines", "with"]);

/** Reads the inside of `[ … ]`; returns a message on malformed text. */
export function readJustification(inner: string): Justification | string {
  const toks: string[] = [];
  let from = 0;
  for (let i = 0; i <= inner.length; i++) {
    const c = i === inner.length ? 32 : inner.charCodeAt(i);
    if (c === 32 || c === 44 || c === 9 || c === 59) {
      if (i > from) toks.push(inner.slice(from, i));
      from = i + 1;
    }
  }
  const t0 = toks[0];
  if (t0 === undefined) return "empty justification []";
  let head = lower(t0);
  let at = 1;
  if (!RULE_SET.has(head) && toks.length > 1) {
    const two = head + "-" + lower(toks[1] as string);
    if (RULE_SET.has(two)) {
      head = two;
      at = 2;
    }
  }
  if (!RULE_SET.has(head)) return `unknown rule name "${t0}" (rules: ${RULE_NAMES.join(", ")})`;
  const rule = head as RuleName;
  const refs: Ref[] = [];
  const terms: string[] = [];
  for (let i = at; i < toks.length; i++) {
    const tok = toks[i] as string;
    // Citations start with a digit or F/R/L; only other tokens can be filler words.
    const r = readRef(tok);
    if (r !== null) {
      refs.push(r);
      continue;
    }
    const low = lower(tok);
    if (low === "with") {
      let j = i + 1;
      for (; j < toks.length; j++) {
        const t = toks[j] as string;
        if (!isName(t) || readRef(t) !== null) break;
        terms.push(t);
      }
      if (j === i + 1) return `"with" must be followed by a person's name`;
      i = j - 1;
      continue;
    }
    if (FILLER.has(low)) continue;
    return `cannot read "${tok}" as a citation (write a line number, Fi or Rj)`;
  }
  return { rule, refs, terms };
}

/**
 * Decimal strings of small numbers, made once: line labels and cited line numbers are mostly small,
 * and a shared string is cheaper than cutting the same digits out of every line.
 */
const NUMERALS: string[] = [];
const SMALL = 4096;

/** `String(n)` for 0 ≤ n < 1e9, shared when small. */
function numeral(n: number): string {
  if (n >= SMALL) return String(n);
  return (NUMERALS[n] ??= String(n));
}

/** Citations of small numbers, shared (refs are immutable values). */
const LINE_REFS: Ref[] = [];
const FACT_REFS: Ref[] = [];
const RULE_REFS: Ref[] = [];
const NO_TERMS: readonly string[] = Object.freeze([]);

/** The value of the digits `s[a, b)` (at most `MAX_LABEL_DIGITS` of them, so exact). */
function digitsValue(s: string, a: number, b: number): number {
  let n = 0;
  for (let i = a; i < b; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
}

/**
 * `readRef(s.slice(a, b))` for the citations it reads to a line, fact or rule: the ref, or null
 * when the token is not such a citation (`readRef` would give null or a citation of nothing).
 */
function refAt(s: string, a: number, b: number): Ref | null {
  const c = s.charCodeAt(a);
  const d0 = isDigit(c) ? a : a + 1;
  if (b === d0) return null;
  for (let i = d0; i < b; i++) if (!isDigit(s.charCodeAt(i))) return null;
  const s0 = significant(s, d0, b);
  if (b - s0 > MAX_LABEL_DIGITS) return null;
  const n = digitsValue(s, s0, b);
  if (d0 === a || c === 76 || c === 108) {
    if (n >= SMALL) return { kind: "line", label: String(n) };
    return (LINE_REFS[n] ??= { kind: "line", label: numeral(n) });
  }
  const kind = c === 70 || c === 102 ? "fact" : c === 82 || c === 114 ? "rule" : null;
  if (kind === null || n < 1) return null;
  if (n > SMALL) return { kind, index: n - 1 };
  const table = kind === "fact" ? FACT_REFS : RULE_REFS;
  return (table[n - 1] ??= { kind, index: n - 1 });
}

/** `isName(s.slice(a, b)) && readRef(s.slice(a, b)) === null`: a token a `with` list takes. */
function isTermAt(s: string, a: number, b: number): boolean {
  const c0 = s.charCodeAt(a);
  if (!(c0 >= 65 && c0 <= 90)) return false;
  let digits = b > a + 1;
  for (let i = a + 1; i < b; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) continue;
    digits = false;
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95)) return false;
  }
  // An F, R or L followed by digits only is a citation, which ends the list.
  return !(digits && (c0 === 70 || c0 === 82 || c0 === 76));
}

/** Rule names by length, for matching a token in place. */
const RULES_BY_LENGTH: RuleName[][] = [];
for (const r of RULE_NAMES) (RULES_BY_LENGTH[r.length] ??= []).push(r);

const FILLER_WORDS: readonly string[] = ["on", "from", "and", "to", "using", "of", "line", "lines"];

const SCRATCH_REFS: Ref[] = [];

/** Token boundaries of the justification being read (start, end pairs); reused, never shared. */
const TOKENS = new Int32Array(128);

/**
 * `readJustification(s.slice(a, b))` read in place, for justifications it accepts without
 * surprises: a one-word rule name and citations of lines, facts and rules, filler words and `with`
 * lists. Anything else (errors, two-word rule names, citations of nothing, very long lists) gives
 * undefined, and the caller asks `readJustification`, so every message still comes from there.
 * Token boundaries, case-insensitive words and citations follow `readJustification` exactly; the
 * words compared are lowercase ASCII without a `k`, so ASCII case folding agrees with
 * `toLowerCase` on them (see `equalsWord`).
 */
function justificationAt(s: string, a: number, b: number): Justification | undefined {
  let count = 0;
  let from = a;
  for (let i = a; i <= b; i++) {
    const c = i === b ? 32 : s.charCodeAt(i);
    if (c === 32 || c === 44 || c === 9 || c === 59) {
      if (i > from) {
        if (count === TOKENS.length) return undefined;
        TOKENS[count++] = from;
        TOKENS[count++] = i;
      }
      from = i + 1;
    }
  }
  if (count === 0) return undefined;
  const names = RULES_BY_LENGTH[(TOKENS[1] as number) - (TOKENS[0] as number)];
  let rule: RuleName | undefined;
  if (names !== undefined)
    for (const r of names) if (equalsWord(s, TOKENS[0] as number, TOKENS[1] as number, r)) rule = r;
  if (rule === undefined) return undefined;
  // Citations are gathered in a shared scratch list (never shortened, which would drop its
  // storage) and copied out at their exact length.
  const refs = SCRATCH_REFS;
  let k = 0;
  let terms: string[] | undefined;
  for (let t = 2; t < count; t += 2) {
    const ta = TOKENS[t] as number;
    const tb = TOKENS[t + 1] as number;
    const r = refAt(s, ta, tb);
    if (r !== null) {
      refs[k++] = r;
      continue;
    }
    if (equalsWord(s, ta, tb, "with")) {
      let u = t + 2;
      for (; u < count && isTermAt(s, TOKENS[u] as number, TOKENS[u + 1] as number); u += 2)
        (terms ??= []).push(s.slice(TOKENS[u], TOKENS[u + 1]));
      if (u === t + 2) return undefined;
      t = u - 2;
      continue;
    }
    let filler = false;
    for (const w of FILLER_WORDS) if (equalsWord(s, ta, tb, w)) filler = true;
    if (!filler) return undefined;
  }
  // Short lists (almost all) as literals, which allocate inline.
  const cited =
    k === 1
      ? [refs[0] as Ref]
      : k === 2
        ? [refs[0] as Ref, refs[1] as Ref]
        : k === 3
          ? [refs[0] as Ref, refs[1] as Ref, refs[2] as Ref]
          : refs.slice(0, k);
  return { rule, refs: cited, terms: terms ?? NO_TERMS };
}

/**
 * Readings of claim and justification texts kept across the checks of one problem, so the lines
 * that many completions share are parsed once. Reading is a pure function of the text, so a hit
 * gives exactly what parsing would. Bounded: when a table is full it is emptied. Readings are
 * remembered from the second read on: a problem checked once (a generated item's gold proof) has
 * nothing to reuse them for, and storing them would cost it about a fifth of its check time.
 */
export class ReadCache {
  #claims: Map<string, Formula> | undefined;
  #justifications: Map<string, Justification> | undefined;
  /** The claim parser the cached formulas came from; another parser bypasses the cache. */
  readonly parser: ClaimParser;
  /** Most entries per table. */
  readonly capacity: number;

  /** Reads made through this cache so far. */
  #reads = 0;

  constructor(parser: ClaimParser, capacity = 256) {
    this.parser = parser;
    this.capacity = capacity;
  }

  /** Claim text (after its period is dropped) to formula; only successful parses. */
  get claims(): Map<string, Formula> {
    // The tables are made on first use: a problem read once never needs them.
    return (this.#claims ??= new Map());
  }

  /** Inside of `[ … ]` to justification; only successful reads. */
  get justifications(): Map<string, Justification> {
    return (this.#justifications ??= new Map());
  }

  /** Counts one read; true when it should use the tables (every read but the first). */
  enter(): boolean {
    return this.#reads++ > 0;
  }
}

/**
 * A copy of `s` that does not point into the (possibly large) completion it was cut from, so a
 * cache key does not keep the whole completion alive.
 */
function detach(s: string): string {
  return s.length < 13 ? s : (" " + s).slice(1);
}

/** Marks of the small labels taken, by read: label n is taken in the read stamped s when `STAMPS[n] === s`. */
const STAMPS = new Int32Array(SMALL);
let lastStamp = 0;

/**
 * The labels one read has taken. Small ones are marked in the shared `STAMPS` table under a stamp
 * of this read's own (no set to build and hash into); that needs no other read to start before
 * this one ends, which holds when the standard claim parser is the only code the read calls.
 */
class Labels {
  readonly #stamp: number;
  #others: Set<number> | undefined;

  constructor(shared: boolean) {
    if (shared && lastStamp === 0x7fffffff) {
      STAMPS.fill(0);
      lastStamp = 0;
    }
    this.#stamp = shared ? ++lastStamp : 0;
  }

  /** Takes label `n`; false when it was taken before. */
  add(n: number): boolean {
    if (this.#stamp !== 0 && n < SMALL) {
      if (STAMPS[n] === this.#stamp) return false;
      STAMPS[n] = this.#stamp;
      return true;
    }
    const others = (this.#others ??= new Set());
    if (others.has(n)) return false;
    others.add(n);
    return true;
  }
}

/**
 * The last element of `xs`, if any. Spelled out because `xs[xs.length - 1]` on an empty list reads
 * the property "-1", a slow lookup through the prototype chain (it was a quarter of the reader's
 * time, once per line, at the top level where the stack is empty).
 */
function lastOf<T>(xs: readonly T[]): T | undefined {
  return xs.length === 0 ? undefined : xs[xs.length - 1];
}

interface Frame {
  readonly kind: "case" | "assume";
  readonly line: number;
  readonly label: string | undefined;
  readonly assumption: Formula;
  readonly body: Item[];
}

/**
 * Reads the text of a proof block into a `Proof`, or reports the first problem. One pass over the
 * text with indices: a line's pieces (label, marker, claim, justification) are located in place.
 * Claims and justifications are read in place too when no cache table is consulted (the standard
 * claim parser's fast path, `justificationAt`); otherwise, and for anything those fast paths leave,
 * they are cut out as strings and read by the parser and `readJustification`. `cache` (optional)
 * remembers readings across calls; it is used only with the parser it was made for.
 */
export function readProof(
  block: Block,
  parseClaim: ClaimParser,
  limits: ReadLimits,
  cache?: ReadCache,
): ReadResult {
  const text = block.text;
  const n = text.length;
  const top: Item[] = [];
  const stack: Frame[] = [];
  const labels = new Labels(parseClaim === standardParser);
  const memo = cache !== undefined && cache.parser === parseClaim && cache.enter() ? cache : undefined;
  // Without a memo to key, the standard parser's fast path and the justification fast path read
  // each line in place (no strings cut out of the block for them).
  const inPlace = memo === undefined;
  const quick = inPlace && parseClaim === standardParser;
  let lines = 0;
  let pos = 0;
  let lineNo = block.firstLine - 1;
  const bad = (i: Issue): ReadResult => ({ ok: false, issues: [i], lines });

  /** The claim in `text[a, b)` (trimmed); a trailing period is dropped. */
  const claimOf = (a: number, b: number, line: number): Formula | Issue => {
    b = stripPeriodEnd(text, a, b);
    if (a === b) return issue("parse", "missing claim", line);
    if (quick) {
      const q = quickClaim(text, a, b);
      if (q !== undefined) {
        // What the fast path reads has fewer formula nodes than characters (a literal `N is p`
        // has 2 or 3 nodes in 6 or more characters, a list one more node and 4 or more characters
        // per joint), so only texts longer than the limit need counting.
        if (b - a > limits.maxFormulaSize && formulaSize(q) > limits.maxFormulaSize)
          return issue("size-limit", `claim is larger than ${limits.maxFormulaSize} formula nodes`, line);
        return q;
      }
    }
    const s = text.slice(a, b);
    let f = memo?.claims.get(s);
    if (f === undefined) {
      if (s.length <= FALSUM_MAX && FALSUM_WORDS.has(lower(s))) return falsum;
      const r = parseClaim(s);
      if (!r.ok) return issue("parse", `cannot read claim "${clip(s)}": ${r.error.message}`, line);
      f = r.value;
      if (memo !== undefined) {
        if (memo.claims.size >= memo.capacity) memo.claims.clear();
        memo.claims.set(detach(s), f);
      }
    }
    if (formulaSize(f) > limits.maxFormulaSize)
      return issue("size-limit", `claim is larger than ${limits.maxFormulaSize} formula nodes`, line);
    return f;
  };

  /** The justification inside the brackets `text[a, b)`, or a message. */
  const justificationOf = (a: number, b: number): Justification | string => {
    if (inPlace) {
      const fast = justificationAt(text, a, b);
      if (fast !== undefined) return fast;
    }
    const inner = text.slice(a, b);
    const hit = memo?.justifications.get(inner);
    if (hit !== undefined) return hit;
    const j = readJustification(inner);
    if (memo !== undefined && typeof j !== "string") {
      if (memo.justifications.size >= memo.capacity) memo.justifications.clear();
      memo.justifications.set(detach(inner), j);
    }
    return j;
  };

  while (pos <= n) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = n;
    let a = pos;
    let b = nl;
    pos = nl + 1;
    lineNo++;
    while (a < b && isSpace(text.charCodeAt(a))) a++;
    b = trimEnd(text, a, b);
    if (a === b) continue;
    if (++lines > limits.maxLines)
      return bad(issue("size-limit", `more than ${limits.maxLines} proof lines`, lineNo));
    const here = lastOf(stack);
    const sink = here === undefined ? top : here.body;

    // An optional leading label: `12.`, `12)`, `(12)`, `12:`, followed by a blank or the end
    // ("12.5" is not a label).
    let label: string | undefined;
    let labelValue = 0;
    {
      const paren = text.charCodeAt(a) === 40;
      let i = paren ? a + 1 : a;
      const d0 = i;
      while (i < b && isDigit(text.charCodeAt(i))) i++;
      if (i > d0 && i < b) {
        const c = text.charCodeAt(i);
        const ok = paren ? c === 41 : c === 46 || c === 41 || c === 58;
        if (ok && (i + 1 === b || isSpace(text.charCodeAt(i + 1)))) {
          // Leading zeros are dropped: "007." is label 7.
          const s0 = significant(text, d0, i);
          if (i - s0 > MAX_LABEL_DIGITS)
            return bad(issue("parse", `a label has at most ${MAX_LABEL_DIGITS} digits`, lineNo));
          labelValue = digitsValue(text, s0, i);
          label = numeral(labelValue);
          a = i + 1;
          while (a < b && isSpace(text.charCodeAt(a))) a++;
        }
      }
    }
    if (label !== undefined) {
      if (!labels.add(labelValue))
        return bad(issue("duplicate-label", `label ${label} is used twice`, lineNo));
    }

    // Sub-proof markers: only lines starting with a/c/e (either case) can be one.
    const c0 = a < b ? text.charCodeAt(a) | 32 : 32;
    if (c0 === 101 && b - a <= 20) {
      // `end case` / `end assume` (and plurals), any case, optionally followed by ":" and/or ".".
      let e = b;
      if (text.charCodeAt(e - 1) === 58) e--;
      e = stripPeriodEnd(text, a, e);
      const closes: "case" | "assume" | null =
        equalsWord(text, a, e, "end case") || equalsWord(text, a, e, "end cases")
          ? "case"
          : equalsWord(text, a, e, "end assume") || equalsWord(text, a, e, "end assumption")
            ? "assume"
            : null;
      if (closes !== null) {
        if (here === undefined)
          return bad(issue("structure", `"end ${closes}" without an open block`, lineNo));
        if (here.kind !== closes)
          return bad(issue("structure", `"end ${closes}" closes a ${here.kind} block`, lineNo));
        if (label !== undefined) return bad(issue("parse", "an end marker cannot carry a label", lineNo));
        stack.pop();
        const node: BlockItem = {
          kind: here.kind,
          line: here.line,
          endLine: lineNo,
          label: here.label,
          assumption: here.assumption,
          body: here.body,
        };
        const outer = lastOf(stack);
        (outer === undefined ? top : outer.body).push(node);
        continue;
      }
    }
    const opens: "case" | "assume" | null =
      c0 === 99 &&
      (b - a === 4 || (b - a > 4 && isSpace(text.charCodeAt(a + 4)))) &&
      equalsWord(text, a, a + 4, "case")
        ? "case"
        : c0 === 97 &&
            (b - a === 6 || (b - a > 6 && isSpace(text.charCodeAt(a + 6)))) &&
            equalsWord(text, a, a + 6, "assume")
          ? "assume"
          : null;
    if (opens !== null) {
      let r = a + opens.length;
      while (r < b && isSpace(text.charCodeAt(r))) r++;
      let e = b;
      if (e > r && text.charCodeAt(e - 1) === 58) e = trimEnd(text, r, e - 1);
      if (e > r && text.charCodeAt(e - 1) === 93)
        return bad(issue("parse", `a ${opens} line takes no justification`, lineNo));
      const f = claimOf(r, e, lineNo);
      if ("code" in f) return bad(f);
      if (stack.length >= limits.maxNesting)
        return bad(issue("size-limit", `sub-proofs nested deeper than ${limits.maxNesting}`, lineNo));
      stack.push({ kind: opens, line: lineNo, label, assumption: f, body: [] });
      continue;
    }

    let e = stripPeriodEnd(text, a, b);
    let justification: Justification | undefined;
    if (e > a && text.charCodeAt(e - 1) === 93) {
      // The last "[" before the "]", scanning back no further than the line start.
      let open = e - 2;
      while (open >= a && text.charCodeAt(open) !== 91) open--;
      if (open < a) return bad(issue("parse", `"]" without "["`, lineNo));
      const j = justificationOf(open + 1, e - 1);
      if (typeof j === "string") return bad(issue("parse", j, lineNo));
      justification = j;
      e = trimEnd(text, a, open);
    }
    const f = claimOf(a, e, lineNo);
    if ("code" in f) return bad(f);
    const item: ClaimItem = {
      kind: "claim",
      line: lineNo,
      label,
      formula: f,
      justification,
    };
    sink.push(item);
  }
  const open = lastOf(stack);
  if (open !== undefined)
    return bad(
      issue("open-subproof", `the ${open.kind} block opened on line ${open.line} is never closed`, open.line),
    );
  if (top.length === 0) return bad(issue("empty-proof", "the proof block has no lines", block.firstLine));
  return { ok: true, proof: { items: top }, lines };
}

function clip(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + "…" : s;
}
