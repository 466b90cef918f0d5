/**
 * The proof-language reader: finds the one `<proof> … </proof>` block in a completion and reads it
 * into a `Proof` AST (grammar in docs/proof-language.md). Untrusted: it never decides validity,
 * only structure, and every scan is a single linear pass (no regular expressions on the text).
 */
import { falsum, formulaSize, type Formula } from "../logic/formula.js";
import { RULE_NAMES, type RuleName } from "./kernel.js";
import { issue, type Issue, type Issues } from "./issue.js";
import type { BlockItem, ClaimItem, Item, Justification, Proof, Ref } from "./proof.js";

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

function trim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Splits an optional leading label (`12.`, `12)`, `(12)`, `12:`) off a line. */
function splitLabel(s: string): { label: string | undefined; rest: string } {
  let i = 0;
  const paren = s.charCodeAt(0) === 40;
  if (paren) i = 1;
  const d0 = i;
  while (i < s.length && i - d0 <= 9 && isDigit(s.charCodeAt(i))) i++;
  if (i === d0) return { label: undefined, rest: s };
  const c = s.charCodeAt(i);
  const ok = paren ? c === 41 : c === 46 || c === 41 || c === 58;
  // "12.5" is not a label; the label must be followed by a space or the end.
  const next = s.charCodeAt(i + 1);
  if (!ok || !(Number.isNaN(next) || isSpace(next))) return { label: undefined, rest: s };
  return { label: String(Number(s.slice(d0, i))), rest: trim(s.slice(i + 1)) };
}

function stripPeriod(s: string): string {
  return s.endsWith(".") ? trim(s.slice(0, -1)) : s;
}

function lower(s: string): string {
  return s.toLowerCase();
}

const FALSUM_WORDS = new Set(["contradiction", "false", "falsum", "bottom", "⊥", "$false"]);

function startsWord(s: string, word: string): boolean {
  return (
    lower(s.slice(0, word.length)) === word &&
    (s.length === word.length || isSpace(s.charCodeAt(word.length)))
  );
}

type Marker =
  { kind: "end"; block: "case" | "assume" } | { kind: "open"; block: "case" | "assume"; rest: string };

function readMarker(s: string): Marker | null {
  // Only lines starting with a/c/e (either case) can be markers; skip the rest cheaply.
  const c0 = s.charCodeAt(0) | 32;
  if (c0 !== 97 && c0 !== 99 && c0 !== 101) return null;
  if (s.length > 20 && c0 === 101) return null;
  const t = c0 === 101 ? lower(stripPeriod(s.endsWith(":") ? s.slice(0, -1) : s)) : "";
  if (t === "end case" || t === "end cases") return { kind: "end", block: "case" };
  if (t === "end assume" || t === "end assumption") return { kind: "end", block: "assume" };
  if (startsWord(s, "case")) return { kind: "open", block: "case", rest: trim(s.slice(4)) };
  if (startsWord(s, "assume")) return { kind: "open", block: "assume", rest: trim(s.slice(6)) };
  return null;
}

function readRef(tok: string): Ref | null {
  const c = tok.charCodeAt(0);
  const digits = isDigit(c) ? tok : tok.slice(1);
  if (digits.length === 0 || digits.length > 9) return null;
  for (let i = 0; i < digits.length; i++) if (!isDigit(digits.charCodeAt(i))) return null;
  const n = Number(digits);
  if (isDigit(c)) return { kind: "line", label: String(n) };
  if (c === 70 || c === 102) return n >= 1 ? { kind: "fact", index: n - 1 } : null;
  if (c === 82 || c === 114) return n >= 1 ? { kind: "rule", index: n - 1 } : null;
  if (c === 76 || c === 108) return { kind: "line", label: String(n) };
  return null;
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
  if (toks.length === 0) return "empty justification []";
  let head = lower(toks[0] as string);
  let at = 1;
  const two = toks.length > 1 ? head + "-" + lower(toks[1] as string) : "";
  if (!RULE_NAMES.includes(head as RuleName) && RULE_NAMES.includes(two as RuleName)) {
    head = two;
    at = 2;
  }
  if (!RULE_NAMES.includes(head as RuleName))
    return `unknown rule name "${toks[0] ?? ""}" (rules: ${RULE_NAMES.join(", ")})`;
  const rule = head as RuleName;
  const refs: Ref[] = [];
  const terms: string[] = [];
  for (let i = at; i < toks.length; i++) {
    const tok = toks[i] as string;
    if (lower(tok) === "with") {
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
    if (FILLER.has(lower(tok))) continue;
    const r = readRef(tok);
    if (r === null) return `cannot read "${tok}" as a citation (write a line number, Fi or Rj)`;
    refs.push(r);
  }
  return { rule, refs, terms };
}

interface Frame {
  readonly kind: "case" | "assume";
  readonly line: number;
  readonly label: string | undefined;
  readonly assumption: Formula;
  readonly body: Item[];
}

/** Reads the text of a proof block into a `Proof`, or reports the first problem. */
export function readProof(block: Block, parseClaim: ClaimParser, limits: ReadLimits): ReadResult {
  const text = block.text;
  const top: Item[] = [];
  const stack: Frame[] = [];
  const labels = new Set<string>();
  let lines = 0;
  let pos = 0;
  let lineNo = block.firstLine - 1;
  const bad = (i: Issue): ReadResult => ({ ok: false, issues: [i], lines });

  const claimOf = (raw: string, line: number): Formula | Issue => {
    const s = stripPeriod(raw);
    if (s.length === 0) return issue("parse", "missing claim", line);
    if (FALSUM_WORDS.has(lower(s))) return falsum;
    const r = parseClaim(s);
    if (!r.ok) return issue("parse", `cannot read claim "${clip(s)}": ${r.error.message}`, line);
    if (formulaSize(r.value) > limits.maxFormulaSize)
      return issue("size-limit", `claim is larger than ${limits.maxFormulaSize} formula nodes`, line);
    return r.value;
  };

  while (pos <= text.length) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = text.length;
    const raw = trim(text.slice(pos, nl));
    pos = nl + 1;
    lineNo++;
    if (raw.length === 0) continue;
    if (++lines > limits.maxLines)
      return bad(issue("size-limit", `more than ${limits.maxLines} proof lines`, lineNo));
    const here = stack[stack.length - 1];
    const sink = here === undefined ? top : here.body;

    const { label, rest } = splitLabel(raw);
    if (label !== undefined) {
      if (labels.has(label)) return bad(issue("duplicate-label", `label ${label} is used twice`, lineNo));
      labels.add(label);
    }
    const marker = readMarker(rest);
    if (marker !== null && marker.kind === "end") {
      if (here === undefined)
        return bad(issue("structure", `"end ${marker.block}" without an open block`, lineNo));
      if (here.kind !== marker.block)
        return bad(issue("structure", `"end ${marker.block}" closes a ${here.kind} block`, lineNo));
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
      const outer = stack[stack.length - 1];
      (outer === undefined ? top : outer.body).push(node);
      continue;
    }
    if (marker !== null) {
      let r = marker.rest;
      if (r.endsWith(":")) r = trim(r.slice(0, -1));
      if (r.endsWith("]"))
        return bad(issue("parse", `a ${marker.block} line takes no justification`, lineNo));
      const f = claimOf(r, lineNo);
      if ("code" in f) return bad(f);
      if (stack.length >= limits.maxNesting)
        return bad(issue("size-limit", `sub-proofs nested deeper than ${limits.maxNesting}`, lineNo));
      stack.push({ kind: marker.block, line: lineNo, label, assumption: f, body: [] });
      continue;
    }

    let claimText = stripPeriod(rest);
    let justification: Justification | undefined;
    if (claimText.endsWith("]")) {
      const open = claimText.lastIndexOf("[");
      if (open < 0) return bad(issue("parse", `"]" without "["`, lineNo));
      const j = readJustification(claimText.slice(open + 1, -1));
      if (typeof j === "string") return bad(issue("parse", j, lineNo));
      justification = j;
      claimText = trim(claimText.slice(0, open));
    }
    const f = claimOf(claimText, lineNo);
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
  const open = stack[stack.length - 1];
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
