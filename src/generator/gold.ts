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
    const index = this.a.rulePos.get(draftRule);
    if (index === undefined)
      throw new Error(`gold proof cites rule #${draftRule}, which is not in the theory`);
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
        const index = this.a.factPos.get(d.fact);
        if (index === undefined)
          throw new Error(`gold proof cites fact #${d.fact}, which is not in the theory`);
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
