/**
 * Prompt rendering in the problems' controlled English.
 *
 * `choice` follows the paper's released prompt word for word (facts and rules interleaved and
 * shuffled, one candidate per line, the answer-tag instruction with its example). `proof` numbers
 * the facts F1… and rules R1… in the problem's own order so citations in a proof line up with the
 * theory the checker holds. `choice+proof` asks for both.
 */
import type { Task } from "./config.js";
import type { Assembled } from "./problem.js";
import { VAR, type Draft, type Lit, type RuleSpec } from "./tree.js";

/** The controlled-English text of a literal: `Alice is abcde`, `X is not abcde`. */
export function literalText(l: Lit, draft: Draft): string {
  const who = l.person === VAR ? "X" : (draft.people[l.person] ?? "?");
  return `${who} is ${l.pos ? "" : "not "}${draft.preds[l.pred] ?? "?"}`;
}

/** A fact sentence: `Alice is abcde.` */
export function factText(l: Lit, draft: Draft): string {
  return literalText(l, draft) + ".";
}

/** A rule sentence: `If … and …, then … or ….`, prefixed `For any person X, if …` when universal. */
export function ruleText(r: RuleSpec, draft: Draft): string {
  const prem = r.premises.map((l) => literalText(l, draft)).join(" and ");
  const concl = r.conclusions.map((l) => literalText(l, draft)).join(" or ");
  return r.universal ? `For any person X, if ${prem}, then ${concl}.` : `If ${prem}, then ${concl}.`;
}

/** The paper's closing instruction for the multiple-choice task (verbatim). */
export const CHOICE_INSTRUCTION =
  "Exactly one of the above statements can be logically derived from the given facts.\n" +
  "Identify that statement and return it within <answer> </answer> tags. Example: <answer> Alice is abcde </answer>.\n";

/** The proof-task instructions with a short worked example in the proof language. */
export const PROOF_INSTRUCTION = [
  "Write a proof of the goal inside <proof> </proof> tags, one step per line, in the proof language:",
  "- Each line is `<n>. <statement>. [<rule> <citations>]`: the statement in the same English as above,",
  "  the rule one of premise, apply, elim, cases, and-intro, and-elim, or-intro, contradiction,",
  "  ex-falso, reductio, and the citations facts (F1), rules (R1) and earlier line numbers.",
  "- `[premise F2]` states a fact; `[apply R3 on 1, 2]` uses rule R3 with lines 1 and 2 as its",
  "  premises (`[apply R3 with Bob on 1]` for a `For any person X` rule used for Bob); `[elim 4, 5]`",
  "  removes from the disjunction on line 4 the disjunct that line 5 contradicts.",
  "- Proof by cases: after the line with the disjunction, open one block per disjunct with",
  "  `<n>. case <disjunct>:`, prove the common statement inside it, close it with `end case`, then",
  "  state the common statement again with `[cases <line of the disjunction>]`.",
  "- The last line must be exactly the goal.",
  "Example, with F1 `Alice is abcde.`, R1 `If Alice is abcde, then Alice is fghij or Alice is klmno.`,",
  "R2 `If Alice is fghij, then Alice is pqrst.` and R3 `If Alice is klmno, then Alice is pqrst.`:",
  "<proof>",
  "1. Alice is abcde. [premise F1]",
  "2. Alice is fghij or Alice is klmno. [apply R1 on 1]",
  "3. case Alice is fghij:",
  "4. Alice is pqrst. [apply R2 on 3]",
  "end case",
  "5. case Alice is klmno:",
  "6. Alice is pqrst. [apply R3 on 5]",
  "end case",
  "7. Alice is pqrst. [cases 2]",
  "</proof>",
].join("\n");

/** The sentences of the theory interleaved as in the paper (unnumbered prompt). */
export function shuffledSentences(a: Assembled): string[] {
  return a.order.map(([kind, i]) =>
    kind === "F" ? factText(a.facts[i] as Lit, a.draft) : ruleText(a.rules[i] as RuleSpec, a.draft),
  );
}

/** The numbered theory: `F1. Alice is abcde.` lines, then `R1. If …` lines. */
export function numberedTheory(a: Assembled): string {
  const lines: string[] = ["Facts:"];
  a.facts.forEach((f, i) => lines.push(`F${i + 1}. ${factText(f, a.draft)}`));
  lines.push("", "Rules:");
  a.rules.forEach((r, i) => lines.push(`R${i + 1}. ${ruleText(r, a.draft)}`));
  return lines.join("\n");
}

/** The candidate lines as the paper renders them (no period). */
export function candidateTexts(a: Assembled): string[] {
  return a.candidates.map((l) => literalText(l, a.draft));
}

/** The full user prompt for a task. */
export function renderPrompt(a: Assembled, task: Task): string {
  const candidates = candidateTexts(a).join("\n");
  const goal = literalText(a.candidates[a.answer] as Lit, a.draft);
  switch (task) {
    case "choice":
      return (
        "Suppose we have the following facts: " +
        shuffledSentences(a).join(" ") +
        "\n\nHere are some candidate statements:\n" +
        candidates +
        "\n\n" +
        CHOICE_INSTRUCTION
      );
    case "proof":
      return (
        "Suppose we have the following facts and rules.\n\n" +
        numberedTheory(a) +
        `\n\nGoal: ${goal}.\n\n` +
        PROOF_INSTRUCTION +
        "\n"
      );
    case "choice+proof":
      return (
        "Suppose we have the following facts and rules.\n\n" +
        numberedTheory(a) +
        "\n\nHere are some candidate statements:\n" +
        candidates +
        "\n\n" +
        CHOICE_INSTRUCTION +
        "Then prove the statement you chose.\n" +
        PROOF_INSTRUCTION +
        "\n"
      );
  }
}
