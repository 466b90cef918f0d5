// Synthetic chain problems for reward and service tests: Alice is p0; p0 → p1 → … → pN; goal pN.
// Built with the logic constructors and sent in the wire form, with a gold proof in the proof
// language (strict citations) and the paper-style candidate texts.
import { constant, implies, literal, or } from "../../dist/src/logic/formula.js";
import { problemToJson } from "../../dist/src/logic/serialize.js";

/** Predicate names: five lowercase letters, distinct for distinct (i, salt) with i < 10,000. */
export function pred(i: number, salt = 0): string {
  let n = salt * 10_007 + i + 1_000_000;
  let s = "";
  for (let k = 0; k < 5; k++) {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  }
  return s;
}

export interface Chain {
  readonly wire: ReturnType<typeof problemToJson>;
  readonly goldText: string;
  readonly wrongText: string;
  /** Proof lines without the tags. */
  readonly lines: readonly string[];
  readonly proof: string;
}

/** A chain of `depth` rules with two distractor rules and two candidates (gold first). */
export function chain(depth: number, salt = 0, person = "Alice"): Chain {
  const A = constant(person);
  const p = Array.from({ length: depth + 1 }, (_, i) => pred(i, salt));
  const facts = [literal(p[0] as string, A, true)];
  const rules = [];
  for (let i = 0; i < depth; i++) {
    rules.push(implies(literal(p[i] as string, A, true), literal(p[i + 1] as string, A, true)));
  }
  const stray = pred(9999, salt);
  rules.push(implies(literal(stray, A, true), literal(pred(9998, salt), A, true)));
  rules.push(
    implies(
      literal(p[0] as string, A, true),
      or([literal(stray, A, true), literal(pred(9997, salt), A, true)]),
    ),
  );
  const goal = literal(p[depth] as string, A, true);
  const wrong = literal(pred(9998, salt), A, true);
  const wire = problemToJson({ theory: { facts, rules }, goal, candidates: [goal, wrong], answer: 0 });
  const lines = [`1. ${person} is ${p[0]}. [premise F1]`];
  for (let i = 1; i <= depth; i++) lines.push(`${i + 1}. ${person} is ${p[i]}. [apply R${i} ${i}]`);
  return {
    wire,
    goldText: `${person} is ${p[depth]}`,
    wrongText: `${person} is ${pred(9998, salt)}`,
    lines,
    proof: "<proof>\n" + lines.join("\n") + "\n</proof>",
  };
}

/** Reads FC_SEED (or draws one), logs it, and returns fast-check parameters. */
export function fcParams(numRuns: number): { seed: number; numRuns: number } {
  const env = process.env.FC_SEED;
  const seed = env !== undefined && env !== "" ? Number(env) : Math.floor(Math.random() * 2 ** 31);
  console.log(`fast-check seed ${seed} (replay with FC_SEED=${seed})`);
  return { seed, numRuns };
}
