/**
 * OpenRLHF's remote-reward protocol: the trainer posts `{query, prompts, labels}` and expects
 * `{rewards, scores, extra_logs}`. `query` is the whole decoded sequence, so the response is
 * recovered here by removing the prompt; `labels` carries the ground truth.
 *
 * Prompt removal, in order:
 * 1. `query` starts with the prompt: the response is what follows it.
 * 2. The prompt occurs inside `query` (special tokens such as a BOS or chat-template markers were
 *    kept around it): the response is what follows its first occurrence.
 *    After 1 or 2, a chat-template end-of-turn and assistant header right after the prompt (only
 *    special tokens and whitespace before the header) are dropped too.
 * 3. Otherwise, if a chat-template assistant header (`<|im_start|>assistant`,
 *    `<|start_header_id|>assistant<|end_header_id|>`, `<start_of_turn>model`) occurs, the response
 *    is what follows the last one. Failing that, the whole query is scored, except when the given
 *    prompt itself holds a reward tag (`<proof>`, `<answer>` or their closing tags): its example
 *    could then be scored as the response, so the response is taken to be empty (reward 0).
 *    Without any prompt the whole query is scored; the engine's own prompts mention both tags in
 *    their instructions, so their text then fails the gates (two blocks) rather than earning reward.
 * Trailing end-of-sequence and padding tokens (`<|im_end|>`, `<|endoftext|>`, `<|eot_id|>`,
 * `</s>`, `<eos>`, `<pad>`, `<end_of_turn>`, any `<|…|>`) are removed from the response.
 */

const HEADERS = [
  "<|im_start|>assistant",
  "<|start_header_id|>assistant<|end_header_id|>",
  "<start_of_turn>model",
];
const TAILS = ["</s>", "<eos>", "<pad>", "<end_of_turn>"];
const REWARD_TAGS = ["<proof>", "</proof>", "<answer>", "</answer>"];

/** Removes trailing special tokens and the whitespace around them. */
function stripTail(s: string): string {
  let out = s;
  for (;;) {
    const t = out.trimEnd();
    let cut = -1;
    for (const tok of TAILS) if (t.endsWith(tok)) cut = t.length - tok.length;
    if (cut === -1 && t.endsWith("|>")) {
      const open = t.lastIndexOf("<|");
      // Only a short token-like run: never eat real text.
      if (open !== -1 && t.length - open <= 40 && !t.slice(open + 2, -2).includes("<")) cut = open;
    }
    if (cut === -1) return out;
    out = t.slice(0, cut);
  }
}

/**
 * When the prompt was given without its chat template, what follows it starts with the template's
 * end-of-turn and assistant header; those (and only special tokens and whitespace before the
 * header) are dropped.
 */
function skipHeader(rest: string): string {
  for (const h of HEADERS) {
    const at = rest.indexOf(h);
    if (at === -1 || at > 200) continue;
    const before = rest.slice(0, at).replace(/<\|[^<>|]{0,40}\|>|<\/s>|<end_of_turn>|<eos>|\s/g, "");
    if (before === "") return rest.slice(at + h.length).replace(/^[ \t]*\r?\n/, "");
  }
  return rest;
}

/** The response part of an OpenRLHF `query`, following the rule in the module comment. */
export function responseOf(query: string, prompt: string | undefined): string {
  if (prompt !== undefined && prompt.length > 0) {
    if (query.startsWith(prompt)) return stripTail(skipHeader(query.slice(prompt.length)));
    const at = query.indexOf(prompt);
    if (at !== -1) return stripTail(skipHeader(query.slice(at + prompt.length)));
  }
  let best = -1;
  let bestLen = 0;
  for (const h of HEADERS) {
    const at = query.lastIndexOf(h);
    if (at > best) {
      best = at;
      bestLen = h.length;
    }
  }
  if (best !== -1) return stripTail(query.slice(best + bestLen).replace(/^[ \t]*\r?\n/, ""));
  // The prompt is somewhere in the query but cannot be located: a tag of its own (a worked example
  // proof, say) would be scored as if the model had written it.
  if (prompt !== undefined && REWARD_TAGS.some((t) => prompt.includes(t))) return "";
  return stripTail(query);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * Turns one label into ground-truth fields of a score request:
 * an object is taken as the fields (`answer`, `problem`, `id`+`config`, `task`, `mode`…);
 * a string holding a JSON object is parsed as such; a JSON list of strings is the paper's
 * `ground_truth` (accepted answers); any other string is the gold answer text.
 */
export function truthOfLabel(label: unknown): Record<string, unknown> | undefined {
  if (isRecord(label)) return label;
  if (Array.isArray(label))
    return label.every((x) => typeof x === "string") && label.length > 0 ? { answer: label } : undefined;
  if (typeof label !== "string") return undefined;
  const t = label.trimStart();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return truthOfLabel(JSON.parse(label) as unknown);
    } catch {
      return { answer: label };
    }
  }
  return { answer: label };
}
