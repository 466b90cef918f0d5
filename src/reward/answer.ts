/**
 * Answer-only scoring for the `choice` task, at parity with the paper's released reward.
 *
 * Format gate: no `<think>` or `</think>` tag anywhere, exactly one `<answer>` and exactly one
 * `</answer>`, the opening tag first. The text between them, trimmed, must equal the gold candidate
 * exactly (so a trailing period fails). A lenient match (collapse whitespace, ignore case, drop
 * one trailing period) is available and off by default.
 *
 * This runs on every completion of an RL batch, so it is one forward `indexOf("<")` scan with
 * fixed-string tag tests: no regular expressions, no allocation besides the extracted answer, and
 * completions above a size bound are refused before any scan.
 */

/** Default bound on a completion's length in UTF-16 code units; longer ones get `size-limit`. */
export const DEFAULT_MAX_COMPLETION_CHARS = 1_000_000;

/** Options of answer-only scoring. */
export interface AnswerOptions {
  /** Compare after collapsing whitespace, lowercasing and dropping one trailing period. */
  readonly lenient?: boolean;
  /** Completions longer than this (UTF-16 code units) score 0 with `size-limit`. */
  readonly maxChars?: number;
}

/** Stable outcome codes of answer-only scoring. */
export type AnswerCode = "ok" | "format" | "wrong-answer" | "size-limit";

/** The verdict on one completion. */
export interface AnswerResult {
  readonly reward: 0 | 1;
  readonly code: AnswerCode;
  /** Why the format gate failed, for logs. */
  readonly message?: string;
  /** The extracted answer (trimmed), when the format gate passed. */
  readonly answer?: string;
}

/** Where the single answer block sits in a completion that passed the format gate. */
export interface AnswerSpan {
  readonly ok: true;
  /** The trimmed text between the tags. */
  readonly answer: string;
  /** Index of `<answer>`. */
  readonly open: number;
  /** Index just past `</answer>`. */
  readonly end: number;
}

/** Why a completion failed the format gate. */
export interface FormatFailure {
  readonly ok: false;
  readonly message: string;
}

const OPEN = "<answer>";
const CLOSE = "</answer>";

/**
 * Applies the paper's format gate and extracts the answer. A `<think>` tag, a missing or repeated
 * answer tag, or a closing tag before the opening one all fail.
 */
export function extractAnswer(completion: string): AnswerSpan | FormatFailure {
  let open = -1;
  let close = -1;
  let opens = 0;
  let closes = 0;
  let i = completion.indexOf("<");
  while (i !== -1) {
    // Fixed-string probes at each "<"; startsWith does not allocate.
    if (completion.startsWith(OPEN, i)) {
      opens++;
      if (opens > 1) return { ok: false, message: "more than one <answer> tag" };
      open = i;
      i += OPEN.length;
    } else if (completion.startsWith(CLOSE, i)) {
      closes++;
      if (closes > 1) return { ok: false, message: "more than one </answer> tag" };
      close = i;
      i += CLOSE.length;
    } else if (completion.startsWith("<think>", i) || completion.startsWith("</think>", i)) {
      return { ok: false, message: "think tags are not allowed" };
    } else {
      i += 1;
    }
    i = completion.indexOf("<", i);
  }
  if (opens === 0) return { ok: false, message: "no <answer> tag" };
  if (closes === 0) return { ok: false, message: "no </answer> tag" };
  if (close < open) return { ok: false, message: "</answer> comes before <answer>" };
  return {
    ok: true,
    answer: pythonStrip(completion.slice(open + OPEN.length, close)),
    open,
    end: close + CLOSE.length,
  };
}

/**
 * True for the characters Python's `str.isspace()` accepts. The paper's reward strips the answer
 * with Python's `str.strip()`, which differs from JavaScript's `trim()`: it keeps U+FEFF (BOM) and
 * strips U+001C–U+001F and U+0085, so an invisible BOM around an answer still fails, as there.
 */
function isPythonSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    (c >= 0x1c && c <= 0x20) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Python's `str.strip()` with no arguments (see `isPythonSpace`). */
export function pythonStrip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isPythonSpace(s.charCodeAt(a))) a++;
  while (b > a && isPythonSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/**
 * Normalises an answer for the lenient match: whitespace runs become one space, ASCII letters
 * are lowercased (only ASCII, so look-alikes such as the Kelvin sign never fold onto `k`), and
 * one trailing period is dropped unless another period precedes it. Idempotent.
 */
export function normalizeLenient(s: string): string {
  let out = "";
  let pendingSpace = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Every character either JavaScript's trim or Python's strip treats as whitespace.
    if (isPythonSpace(c) || c === 0xfeff) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) {
      out += " ";
      pendingSpace = false;
    }
    // Lowercase ASCII only: Unicode case folding would map look-alike letters onto ASCII ones.
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s[i];
  }
  // Drop one trailing period (and the space before it). Only when what is left does not end in a
  // period too, so "abc.." stays a different answer and normalising twice changes nothing.
  if (out.charCodeAt(out.length - 1) !== 46) return out;
  let end = out.length - 1;
  if (end > 0 && out.charCodeAt(end - 1) === 32) end--;
  return end > 0 && out.charCodeAt(end - 1) !== 46 ? out.slice(0, end) : out;
}

function matches(answer: string, gold: string | readonly string[], lenient: boolean): boolean {
  if (typeof gold === "string") {
    return lenient ? normalizeLenient(answer) === normalizeLenient(gold) : answer === gold;
  }
  for (const g of gold) if (matches(answer, g, lenient)) return true;
  return false;
}

/**
 * Scores one completion against the gold candidate text (or a list of accepted texts, as in the
 * paper's `ground_truth: [answer]`). Never throws.
 */
export function scoreAnswer(
  completion: string,
  gold: string | readonly string[],
  options: AnswerOptions = {},
): AnswerResult {
  const maxChars = options.maxChars ?? DEFAULT_MAX_COMPLETION_CHARS;
  if (completion.length > maxChars) {
    return { reward: 0, code: "size-limit", message: `completion longer than ${maxChars} characters` };
  }
  const span = extractAnswer(completion);
  if (!span.ok) return { reward: 0, code: "format", message: span.message };
  const ok = matches(span.answer, gold, options.lenient === true);
  return ok
    ? { reward: 1, code: "ok", answer: span.answer }
    : { reward: 0, code: "wrong-answer", answer: span.answer };
}
