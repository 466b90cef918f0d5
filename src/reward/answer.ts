/**
 * Answer-only scoring for the `choice` task, at parity with the paper's released reward.
 *
 * Format gate: no `<think>` or `</think>` tag anywhere, exactly one `<answer>` and exactly one
 * `</answer>`, the opening tag first. The text between them, trimmed, must equal the gold candidate
 * exactly (so a trailing period fails). A lenient match (collapse whitespace, ignore case, drop one
 * trailing period) is available and off by default.
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
    answer: completion.slice(open + OPEN.length, close).trim(),
    open,
    end: close + CLOSE.length,
  };
}

/**
 * Normalises an answer for the lenient match: whitespace runs become one space, letters are
 * lowercased, and one trailing period (after trimming) is dropped.
 */
export function normalizeLenient(s: string): string {
  let out = "";
  let pendingSpace = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x3000 || c === 0xfeff) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) {
      out += " ";
      pendingSpace = false;
    }
    out += s[i];
  }
  out = out.toLowerCase();
  if (out.endsWith(".")) out = out.slice(0, -1).trimEnd();
  return out;
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
