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
import type { Deriv, Lit } from "./tree.js";

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
 * The same proof as `renderProof(goldProof(a), { tags: false })`, written straight to text: the
 * generator stores only the text, so building the AST and printing its formulas back is skipped,
 * and literal texts come from the item's shared memo. The tests compare the two for every level.
 */
export function goldText(a: Assembled, texts: Texts = new Texts(a)): string {
  const root = a.draft.roots[0];
  if (root === undefined) throw new Error("draft has no gold tree");
  const out: string[] = [];
  const labels = new Map<Deriv, number>();
  let next = 1;
  const draft = a.draft;
  const ruleRef = (draftRule: number): string => {
    const index = a.rulePos[draftRule] ?? -1;
    if (index < 0) throw new Error(`gold proof cites rule #${draftRule}, which is not in the theory`);
    return "R" + (index + 1);
  };
  const withPerson = (draftRule: number, person: number): string => {
    const r = draft.rules[draftRule];
    return r === undefined || !r.value.universal ? "" : " with " + (draft.people[person] ?? "?");
  };
  const conclusions = (draftRule: number, person: number): Lit[] => {
    const r = draft.rules[draftRule];
    if (r === undefined) throw new Error(`unknown rule #${draftRule}`);
    const u = r.value.universal;
    return r.value.conclusions.map((c) => (u ? { pred: c.pred, person, pos: c.pos } : c));
  };
  const line = (d: Deriv): number => {
    const l = labels.get(d);
    if (l === undefined) throw new Error("derivation cited before it was written");
    return l;
  };
  const lines = (ds: readonly Deriv[]): string => {
    let s = "";
    for (let i = 0; i < ds.length; i++) s += (i === 0 ? "" : ", ") + line(ds[i] as Deriv);
    return s;
  };
  const apply = (label: number, claim: string, rule: number, person: number, premises: string): string =>
    `${label}. ${claim}. [apply ${ruleRef(rule)}${withPerson(rule, person)}${premises === "" ? "" : " on " + premises}]`;
  const write = (d: Deriv): void => {
    if (labels.has(d)) return;
    let label: number;
    switch (d.kind) {
      case "fact": {
        const index = a.factPos[d.fact] ?? -1;
        if (index < 0) throw new Error(`gold proof cites fact #${d.fact}, which is not in the theory`);
        label = next++;
        out.push(`${label}. ${texts.english(d.lit)}. [premise F${index + 1}]`);
        break;
      }
      case "apply": {
        for (const p of d.premises) write(p);
        label = next++;
        out.push(apply(label, texts.english(d.lit), d.rule, d.person, lines(d.premises)));
        break;
      }
      case "elim": {
        for (const p of d.premises) write(p);
        for (const p of d.refutations) write(p);
        const disj = next++;
        out.push(
          apply(disj, texts.disjunction(conclusions(d.rule, d.person)), d.rule, d.person, lines(d.premises)),
        );
        label = next++;
        out.push(`${label}. ${texts.english(d.lit)}. [elim ${disj}, ${lines(d.refutations)}]`);
        break;
      }
      case "cases": {
        for (const p of d.premises) write(p);
        for (const b of d.branches) for (const p of b.premises) if (p.kind !== "assumption") write(p);
        const disjuncts = conclusions(d.rule, d.person);
        const split = next++;
        out.push(apply(split, texts.disjunction(disjuncts), d.rule, d.person, lines(d.premises)));
        const goal = texts.english(d.lit);
        d.branches.forEach((b, i) => {
          const caseLabel = next++;
          let refs = "";
          b.premises.forEach((p, j) => {
            refs += (j === 0 ? "" : ", ") + (p.kind === "assumption" ? caseLabel : line(p));
          });
          out.push(`${caseLabel}. case ${texts.english(disjuncts[i] as Lit)}:`);
          out.push(apply(next++, goal, b.rule, b.person, refs));
          out.push("end case");
        });
        label = next++;
        out.push(`${label}. ${goal}. [cases ${split}]`);
        break;
      }
    }
    labels.set(d, label);
  };
  write(root);
  return out.join("\n");
}
