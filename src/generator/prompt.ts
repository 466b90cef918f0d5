/**
 * Prompt rendering in the problems' controlled English.
 *
 * `choice` follows the paper's released prompt word for word (facts and rules interleaved and
 * shuffled, one candidate per line, the answer-tag instruction with its example). `proof` numbers
 * the facts F1… and rules R1… in the problem's own order so citations in a proof line up with the
 * theory the checker holds. `choice+proof` asks for both.
 */
import type { ProblemJson } from "../logic/serialize.js";
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

/**
 * Per-item memo of rendered text: every literal's English and symbolic form and every sentence is
 * built once and then shared by the prompt, the wire form and the gold proof (the same literal
 * occurs in a fact or rule, in the proof and in the candidates, and sentences in two prompts).
 * The symbolic form is exactly what `printSymbolic(…, { ascii: true })` prints for these shapes;
 * the tests compare the two.
 */
export class Texts {
  /** English and symbolic text by literal key (pred, person, polarity), filled on first use. */
  private readonly en: (string | undefined)[];
  private readonly sym: (string | undefined)[];
  private readonly width: number;
  private factSentences: string[] | undefined;
  private factSymbols: string[] | undefined;
  private ruleSentences: string[] | undefined;
  private ruleSymbols: string[] | undefined;
  /**
   * Per person (index person + 1, `VAR` first) the English prefixes `Alice is ` and `Alice is not `
   * (at 2i + 1 and 2i) and the symbolic suffix `(Alice)` (at 2 · width + i), each made once, so a
   * literal's text is one concatenation (two for a negative symbolic one).
   */
  private readonly pieces: (string | undefined)[];

  constructor(readonly a: Assembled) {
    this.width = a.draft.people.length + 1;
    this.pieces = new Array<string | undefined>(3 * this.width).fill(undefined);
    // Holey arrays (a hole reads as undefined): filling them cost more than the holes do.
    const keys = 2 * this.width * a.draft.preds.length;
    this.en = new Array<string | undefined>(keys);
    this.sym = new Array<string | undefined>(keys);
  }

  private who(person: number): string {
    return person === VAR ? "X" : (this.a.draft.people[person] ?? "?");
  }

  /** `Alice is not abcde` (no period). */
  english(l: Lit): string {
    return this.englishOf(l.pred, l.person, l.pos);
  }

  /** `english` of the literal with predicate, person and polarity given apart. */
  englishOf(pred: number, person: number, pos: boolean): string {
    const k = (pred * this.width + person + 1) * 2 + (pos ? 1 : 0);
    let s = this.en[k];
    if (s === undefined) {
      const i = (person + 1) * 2 + (pos ? 1 : 0);
      let prefix = this.pieces[i];
      if (prefix === undefined) {
        prefix = this.who(person) + (pos ? " is " : " is not ");
        this.pieces[i] = prefix;
      }
      s = prefix + (this.a.draft.preds[pred] ?? "?");
      this.en[k] = s;
    }
    return s;
  }

  /** `~abcde(Alice)`, `abcde(X)` inside a universal rule. */
  symbolic(l: Lit): string {
    const k = (l.pred * this.width + l.person + 1) * 2 + (l.pos ? 1 : 0);
    let s = this.sym[k];
    if (s === undefined) {
      const i = 2 * this.width + l.person + 1;
      let suffix = this.pieces[i];
      if (suffix === undefined) {
        suffix = "(" + this.who(l.person) + ")";
        this.pieces[i] = suffix;
      }
      const word = this.a.draft.preds[l.pred] ?? "?";
      s = l.pos ? word + suffix : "~" + word + suffix;
      this.sym[k] = s;
    }
    return s;
  }

  /** English disjunction of literals: `Alice is abcde or Alice is not fghij`. */
  disjunction(ls: readonly Lit[]): string {
    if (ls.length === 0) return "";
    let s = this.english(ls[0] as Lit);
    for (let i = 1; i < ls.length; i++) s += " or " + this.english(ls[i] as Lit);
    return s;
  }

  /** `disjunction` with every literal about `person` instead (its own person when `person` < 0). */
  disjunctionAt(ls: readonly Lit[], person: number): string {
    if (person < 0) return this.disjunction(ls);
    let s = "";
    for (let i = 0; i < ls.length; i++) {
      const l = ls[i] as Lit;
      s += (i === 0 ? "" : " or ") + this.englishOf(l.pred, person, l.pos);
    }
    return s;
  }

  /** Fact sentences in F order, each ending with a period. */
  facts(): readonly string[] {
    if (this.factSentences === undefined) this.renderFacts();
    return this.factSentences as string[];
  }

  /** Facts in ASCII symbolic syntax (`symbolic`) in F order. */
  factSymbolics(): readonly string[] {
    if (this.factSymbols === undefined) this.renderFacts();
    return this.factSymbols as string[];
  }

  /** Writes every fact's sentence and symbolic form in one pass (as `renderRules` for rules). */
  private renderFacts(): void {
    const fs = this.a.facts;
    const en: string[] = new Array<string>(fs.length);
    const sym: string[] = new Array<string>(fs.length);
    for (let i = 0; i < fs.length; i++) {
      const l = fs[i] as Lit;
      en[i] = this.english(l) + ".";
      sym[i] = this.symbolic(l);
    }
    this.factSentences = en;
    this.factSymbols = sym;
  }

  /** Rule sentences in R order. */
  rules(): readonly string[] {
    if (this.ruleSentences === undefined) this.renderRules();
    return this.ruleSentences as string[];
  }

  /**
   * Rules in ASCII symbolic syntax in R order: `a(X) & b(X) -> c(X) | d(X)`, wrapped in
   * `forall X (…)` when universal.
   */
  ruleSymbolics(): readonly string[] {
    if (this.ruleSymbols === undefined) this.renderRules();
    return this.ruleSymbols as string[];
  }

  /**
   * Writes every rule's sentence and symbolic form in one pass over the rules (each item needs
   * both: the prompt the one, the wire form the other).
   */
  private renderRules(): void {
    const rs = this.a.rules;
    const en: string[] = new Array<string>(rs.length);
    const sym: string[] = new Array<string>(rs.length);
    for (let k = 0; k < rs.length; k++) {
      const r = rs[k] as RuleSpec;
      const ps = r.premises;
      const cs = r.conclusions;
      // Rules have at least one premise and one conclusion; starting from the first of each saves
      // the concatenations with an empty string.
      let l = ps[0] as Lit;
      let e = (r.universal ? "For any person X, if " : "If ") + this.english(l);
      let y = r.universal ? "forall X (" + this.symbolic(l) : this.symbolic(l);
      for (let i = 1; i < ps.length; i++) {
        l = ps[i] as Lit;
        e += " and " + this.english(l);
        y += " & " + this.symbolic(l);
      }
      l = cs[0] as Lit;
      e += ", then " + this.english(l);
      y += " -> " + this.symbolic(l);
      for (let i = 1; i < cs.length; i++) {
        l = cs[i] as Lit;
        e += " or " + this.english(l);
        y += " | " + this.symbolic(l);
      }
      en[k] = e + ".";
      sym[k] = r.universal ? y + ")" : y;
    }
    this.ruleSentences = en;
    this.ruleSymbols = sym;
  }
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
export function shuffledSentences(a: Assembled, texts: Texts = new Texts(a)): string[] {
  const facts = texts.facts();
  const rules = texts.rules();
  const nF = facts.length;
  return a.order.map((v) => (v < nF ? facts[v] : rules[v - nF]) as string);
}

/** The numbered theory: `F1. Alice is abcde.` lines, then `R1. If …` lines. */
export function numberedTheory(a: Assembled, texts: Texts = new Texts(a)): string {
  const facts = texts.facts();
  const rules = texts.rules();
  let s = "Facts:";
  for (let i = 0; i < facts.length; i++) s += "\nF" + (i + 1) + ". " + facts[i];
  s += "\n\nRules:";
  for (let i = 0; i < rules.length; i++) s += "\nR" + (i + 1) + ". " + rules[i];
  return s;
}

/** The candidate lines as the paper renders them (no period). */
export function candidateTexts(a: Assembled, texts: Texts = new Texts(a)): string[] {
  const out: string[] = new Array<string>(a.candidates.length);
  for (let i = 0; i < out.length; i++) out[i] = texts.english(a.candidates[i] as Lit);
  return out;
}

/** The full user prompt for a task. */
export function renderPrompt(a: Assembled, task: Task, texts: Texts = new Texts(a)): string {
  let candidates = "";
  for (let i = 0; i < a.candidates.length; i++)
    candidates += (i === 0 ? "" : "\n") + texts.english(a.candidates[i] as Lit);
  switch (task) {
    case "choice": {
      // The interleaved sentences written straight into one string (no array to join).
      const facts = texts.facts();
      const rules = texts.rules();
      const nF = facts.length;
      let body = "";
      for (let i = 0; i < a.order.length; i++) {
        const v = a.order[i] as number;
        body += (i === 0 ? "" : " ") + (v < nF ? facts[v] : rules[v - nF]);
      }
      return (
        "Suppose we have the following facts: " +
        body +
        "\n\nHere are some candidate statements:\n" +
        candidates +
        "\n\n" +
        CHOICE_INSTRUCTION
      );
    }
    case "proof":
      return (
        "Suppose we have the following facts and rules.\n\n" +
        numberedTheory(a, texts) +
        `\n\nGoal: ${texts.english(a.candidates[a.answer] as Lit)}.\n\n` +
        PROOF_INSTRUCTION +
        "\n"
      );
    case "choice+proof":
      return (
        "Suppose we have the following facts and rules.\n\n" +
        numberedTheory(a, texts) +
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

/** The wire form (src/logic/serialize.ts) of the assembled problem, equal to `problemToJson(a.problem)`. */
export function wireForm(a: Assembled, texts: Texts = new Texts(a)): ProblemJson {
  const candidates: string[] = new Array<string>(a.candidates.length);
  for (let i = 0; i < candidates.length; i++) candidates[i] = texts.symbolic(a.candidates[i] as Lit);
  // Copies: the memo's arrays are not handed out to be kept (and possibly changed) by a caller.
  const facts = texts.factSymbolics().slice();
  const rules = texts.ruleSymbolics().slice();
  return {
    v: 1,
    facts,
    rules,
    goal: candidates[a.answer] as string,
    candidates,
    answer: a.answer,
  };
}
