/**
 * The gold proof of an item as a proof-language AST (src/prover/proof.ts), in strict form: every
 * line cites its rule and inputs. Shared derivations (DAG reuse) are written once and cited again.
 * Everything a case branch needs besides its assumption is derived before the case split opens,
 * so no line proved inside a branch is ever cited outside it.
 */
import { or, type Formula } from "../logic/formula.js";
import type { ClaimItem, Item, Proof, Ref } from "../prover/proof.js";
import type { RuleName } from "../prover/kernel.js";
import type { Assembled } from "./problem.js";
import { Texts } from "./prompt.js";
import type { Branch, BranchPremise, Deriv, Lit } from "./tree.js";

class Writer {
  private next = 1;
  private readonly labels = new Map<Deriv, string>();

  constructor(private readonly a: Assembled) {}

  private lit(l: Lit): Formula {
    return this.a.lits.of(l);
  }

  private claim(out: Item[], formula: Formula, rule: RuleName, refs: Ref[], terms: string[] = []): string {
    const label = String(this.next++);
    const item: ClaimItem = { kind: "claim", line: 0, label, formula, justification: { rule, refs, terms } };
    out.push(item);
    return label;
  }

  private ruleRef(draftRule: number): Ref {
    const index = this.a.rulePos[draftRule] ?? -1;
    if (index < 0) throw new Error(`gold proof cites rule #${draftRule}, which is not in the theory`);
    return { kind: "rule", index };
  }

  private terms(draftRule: number, person: number): string[] {
    const r = this.a.draft.rules[draftRule];
    if (r === undefined || !r.value.universal) return [];
    return [this.a.draft.people[person] ?? "?"];
  }

  /** Instantiated conclusions of a rule as a formula list (for disjunction lines). */
  private conclusions(draftRule: number, person: number): Formula[] {
    const r = this.a.draft.rules[draftRule];
    if (r === undefined) throw new Error(`unknown rule #${draftRule}`);
    return r.value.conclusions.map((c) => this.lit(r.value.universal ? { ...c, person } : c));
  }

  private line(d: Deriv): Ref {
    const label = this.labels.get(d);
    if (label === undefined) throw new Error("derivation cited before it was written");
    return { kind: "line", label };
  }

  write(d: Deriv, out: Item[]): void {
    if (this.labels.has(d)) return;
    let label: string;
    switch (d.kind) {
      case "fact": {
        const index = this.a.factPos[d.fact] ?? -1;
        if (index < 0) throw new Error(`gold proof cites fact #${d.fact}, which is not in the theory`);
        label = this.claim(out, this.lit(d.lit), "premise", [{ kind: "fact", index }]);
        break;
      }
      case "apply": {
        for (const p of d.premises) this.write(p, out);
        label = this.claim(
          out,
          this.lit(d.lit),
          "apply",
          [this.ruleRef(d.rule), ...d.premises.map((p) => this.line(p))],
          this.terms(d.rule, d.person),
        );
        break;
      }
      case "elim": {
        for (const p of d.premises) this.write(p, out);
        for (const p of d.refutations) this.write(p, out);
        const disj = this.claim(
          out,
          or(this.conclusions(d.rule, d.person)),
          "apply",
          [this.ruleRef(d.rule), ...d.premises.map((p) => this.line(p))],
          this.terms(d.rule, d.person),
        );
        // One elim line removes every refuted disjunct, in the rule's order, leaving the literal.
        label = this.claim(out, this.lit(d.lit), "elim", [
          { kind: "line", label: disj },
          ...d.refutations.map((r) => this.line(r)),
        ]);
        break;
      }
      case "cases": {
        for (const p of d.premises) this.write(p, out);
        for (const b of d.branches)
          for (const p of b.premises) if (p.kind !== "assumption") this.write(p, out);
        const disjuncts = this.conclusions(d.rule, d.person);
        const split = this.claim(
          out,
          or(disjuncts),
          "apply",
          [this.ruleRef(d.rule), ...d.premises.map((p) => this.line(p))],
          this.terms(d.rule, d.person),
        );
        const goal = this.lit(d.lit);
        d.branches.forEach((b, i) => {
          const caseLabel = String(this.next++);
          const body: Item[] = [];
          const refs: Ref[] = [this.ruleRef(b.rule)];
          for (const p of b.premises) {
            refs.push(p.kind === "assumption" ? { kind: "line", label: caseLabel } : this.line(p));
          }
          this.claim(body, goal, "apply", refs, this.terms(b.rule, b.person));
          out.push({
            kind: "case",
            line: 0,
            endLine: 0,
            label: caseLabel,
            assumption: disjuncts[i] as Formula,
            body,
          });
        });
        label = this.claim(out, goal, "cases", [{ kind: "line", label: split }]);
        break;
      }
    }
    this.labels.set(d, label);
  }
}

/** The strict gold proof of the assembled problem's goal (draft tree 0). */
export function goldProof(a: Assembled): Proof {
  const root = a.draft.roots[0];
  if (root === undefined) throw new Error("draft has no gold tree");
  const items: Item[] = [];
  new Writer(a).write(root, items);
  return { items };
}

/**
 * Line labels of the nodes written so far, by `Deriv.id` (0: not written yet), shared by every
 * `goldText` call (they run synchronously one at a time): a map per proof was measurable garbage.
 */
let labelsById = new Int32Array(1024);

/**
 * The strings `prefix + n + suffix` for n = 0, 1, …, each made once per process: every proof
 * writes the same small line numbers and F/R indices again, and a number's conversion and its
 * concatenation with the text around it cost more than one array read.
 */
class NumberTexts {
  private readonly texts: string[] = [];

  constructor(
    private readonly prefix: string,
    private readonly suffix: string,
  ) {}

  of(n: number): string {
    const t = this.texts;
    // Filled densely up to n (a packed array, never one with holes).
    while (t.length <= n) t.push(this.prefix + t.length + this.suffix);
    return t[n] as string;
  }
}

/**
 * `\n7. ` (a line's label), `\n7. case ` (a case's): a line starts with the newline that separates
 * it from the one before, so appending it is one concatenation (see `push`).
 */
const LABEL = new NumberTexts("\n", ". ");
const CASE = new NumberTexts("\n", ". case ");
/** Justifications, or their openings: `. [premise F7]`, `. [apply R7`, `. [elim 7`, `. [cases 7]`. */
const PREMISE = new NumberTexts(". [premise F", "]");
const APPLY = new NumberTexts(". [apply R", "");
const ELIM = new NumberTexts(". [elim ", "");
const CASES = new NumberTexts(". [cases ", "]");
/** A cited line: ` on 7` first, `, 7` after it. */
const ON = new NumberTexts(" on ", "");
const COMMA = new NumberTexts(", ", "");

/** Writes the strict gold proof as text, line by line (see `goldText`). */
class GoldText {
  /**
   * The text so far, appended line by line: an array joined at the end cost a copy that the
   * checker's reader (which flattens the text it is given) then made again.
   */
  private out = "";
  private next = 1;
  private readonly labels: Int32Array;

  constructor(
    private readonly a: Assembled,
    private readonly texts: Texts,
  ) {
    const n = a.draft.nodes;
    if (labelsById.length < n) labelsById = new Int32Array(Math.max(n, 2 * labelsById.length));
    labelsById.fill(0, 0, n);
    this.labels = labelsById;
  }

  text(): string {
    return this.out;
  }

  /**
   * Appends a line, which starts with a newline (lines are separated, not terminated, by one):
   * the first line's is dropped.
   */
  private push(line: string): void {
    this.out = this.out === "" ? line.slice(1) : this.out + line;
  }

  /** `. [apply R7` for the draft rule (its 1-based index in the theory). */
  private applyRef(draftRule: number): string {
    const index = this.a.rulePos[draftRule] ?? -1;
    if (index < 0) throw new Error(`gold proof cites rule #${draftRule}, which is not in the theory`);
    return APPLY.of(index + 1);
  }

  private withPerson(draftRule: number, person: number): string {
    const r = this.a.draft.rules[draftRule];
    return r === undefined || !r.value.universal ? "" : " with " + (this.a.draft.people[person] ?? "?");
  }

  /** The rule's conclusions (instantiated at `person` when universal) as an English disjunction. */
  private disjunction(draftRule: number, person: number): string {
    const r = this.a.draft.rules[draftRule];
    if (r === undefined) throw new Error(`unknown rule #${draftRule}`);
    return this.texts.disjunctionAt(r.value.conclusions, r.value.universal ? person : -1);
  }

  /** The i-th disjunct of that disjunction. */
  private disjunct(draftRule: number, person: number, i: number): string {
    const r = this.a.draft.rules[draftRule];
    if (r === undefined) throw new Error(`unknown rule #${draftRule}`);
    const c = r.value.conclusions[i] as Lit;
    return this.texts.englishOf(c.pred, r.value.universal ? person : c.person, c.pos);
  }

  private line(d: Deriv): number {
    const l = this.labels[d.id] as number;
    if (l === 0) throw new Error("derivation cited before it was written");
    return l;
  }

  /** The cited lines of `ds` after an opening that cites none yet: ` on 2, 3` (`, 2, 3` if `more`). */
  private lines(ds: readonly Deriv[], more: boolean): string {
    let s = "";
    for (let i = 0; i < ds.length; i++) {
      const l = this.line(ds[i] as Deriv);
      s += i === 0 && !more ? ON.of(l) : COMMA.of(l);
    }
    return s;
  }

  /** `label. claim. [apply R… (with …)` + `cited` + `]`, where `cited` is ` on 1, 2` or empty. */
  private apply(label: number, claim: string, rule: number, person: number, cited: string): string {
    return LABEL.of(label) + claim + this.applyRef(rule) + this.withPerson(rule, person) + cited + "]";
  }

  private writeAll(ds: readonly Deriv[]): void {
    for (let i = 0; i < ds.length; i++) this.write(ds[i] as Deriv);
  }

  write(d: Deriv): void {
    if (this.labels[d.id] !== 0) return;
    const texts = this.texts;
    let label: number;
    switch (d.kind) {
      case "fact": {
        const index = this.a.factPos[d.fact] ?? -1;
        if (index < 0) throw new Error(`gold proof cites fact #${d.fact}, which is not in the theory`);
        label = this.next++;
        this.push(LABEL.of(label) + texts.english(d.lit) + PREMISE.of(index + 1));
        break;
      }
      case "apply": {
        this.writeAll(d.premises);
        label = this.next++;
        this.push(this.apply(label, texts.english(d.lit), d.rule, d.person, this.lines(d.premises, false)));
        break;
      }
      case "elim": {
        this.writeAll(d.premises);
        this.writeAll(d.refutations);
        const disj = this.next++;
        this.push(
          this.apply(
            disj,
            this.disjunction(d.rule, d.person),
            d.rule,
            d.person,
            this.lines(d.premises, false),
          ),
        );
        label = this.next++;
        this.push(
          LABEL.of(label) + texts.english(d.lit) + ELIM.of(disj) + this.lines(d.refutations, true) + "]",
        );
        break;
      }
      case "cases": {
        this.writeAll(d.premises);
        for (let i = 0; i < d.branches.length; i++) {
          const ps = (d.branches[i] as Branch).premises;
          for (let j = 0; j < ps.length; j++) {
            const p = ps[j] as BranchPremise;
            if (p.kind !== "assumption") this.write(p);
          }
        }
        const split = this.next++;
        this.push(
          this.apply(
            split,
            this.disjunction(d.rule, d.person),
            d.rule,
            d.person,
            this.lines(d.premises, false),
          ),
        );
        const goal = texts.english(d.lit);
        for (let i = 0; i < d.branches.length; i++) {
          const b = d.branches[i] as Branch;
          const caseLabel = this.next++;
          let cited = "";
          for (let j = 0; j < b.premises.length; j++) {
            const p = b.premises[j] as BranchPremise;
            const l = p.kind === "assumption" ? caseLabel : this.line(p);
            cited += j === 0 ? ON.of(l) : COMMA.of(l);
          }
          this.push(CASE.of(caseLabel) + this.disjunct(d.rule, d.person, i) + ":");
          this.push(this.apply(this.next++, goal, b.rule, b.person, cited));
          this.push("\nend case");
        }
        label = this.next++;
        this.push(LABEL.of(label) + goal + CASES.of(split));
        break;
      }
    }
    this.labels[d.id] = label;
  }
}

/**
 * The same proof as `renderProof(goldProof(a), { tags: false })`, written straight to text: the
 * generator stores only the text, so building the AST and printing its formulas back is skipped,
 * and literal texts come from the item's shared memo. The tests compare the two for every level.
 */
export function goldText(a: Assembled, texts: Texts = new Texts(a)): string {
  const root = a.draft.roots[0];
  if (root === undefined) throw new Error("draft has no gold tree");
  const w = new GoldText(a, texts);
  w.write(root);
  return w.text();
}
