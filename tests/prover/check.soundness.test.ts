// Soundness: random theories with random (mostly invalid) proofs, and mutations of valid proofs.
// Every accepted proof is confirmed by an independent oracle (Herbrand grounding + truth tables,
// below); a single false accept fails the test. Seeds print and can be pinned with FC_SEED.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  atom,
  constant,
  constantsOf,
  forall,
  formulaKey,
  fvar,
  implies,
  instantiate,
  not,
  and,
  or,
  printEnglish,
  type Formula,
  type Problem,
} from "../../src/logic/index.js";
import { check } from "../../src/prover/check.js";

const seed = process.env["FC_SEED"] === undefined ? Date.now() % 2 ** 31 : Number(process.env["FC_SEED"]);
console.log(`soundness property tests: FC_SEED=${seed}`);

// An independent semantic oracle for the prover tests: Herbrand grounding over the named
// constants plus truth-table enumeration. Slow but obviously right, and shares no code with the
// kernel or the decision procedures.

function groundAll(f: Formula, consts: readonly string[]): Formula[] {
  if (f.kind !== "forall") return [f];
  return consts.flatMap((c) => groundAll(instantiate(f, constant(c)), consts));
}

function atomsOf(f: Formula, out: Map<string, number>): void {
  switch (f.kind) {
    case "atom":
      if (!out.has(formulaKey(f))) out.set(formulaKey(f), out.size);
      return;
    case "not":
      return atomsOf(f.body, out);
    case "and":
    case "or":
      for (const g of f.items) atomsOf(g, out);
      return;
    case "implies":
      atomsOf(f.left, out);
      atomsOf(f.right, out);
      return;
    case "forall":
      throw new Error("oracle: quantifier left after grounding");
    case "falsum":
      return;
  }
}

function evaluate(f: Formula, atoms: Map<string, number>, v: number): boolean {
  switch (f.kind) {
    case "atom":
      return ((v >> (atoms.get(formulaKey(f)) ?? 0)) & 1) === 1;
    case "not":
      return !evaluate(f.body, atoms, v);
    case "and":
      return f.items.every((g) => evaluate(g, atoms, v));
    case "or":
      return f.items.some((g) => evaluate(g, atoms, v));
    case "implies":
      return !evaluate(f.left, atoms, v) || evaluate(f.right, atoms, v);
    case "forall":
      throw new Error("oracle: quantifier left after grounding");
    case "falsum":
      return false;
  }
}

/** True when premises ∪ hyps classically entail goal (all formulas closed, ∀ only as a prefix). */
function entails(premises: readonly Formula[], hyps: readonly Formula[], goal: Formula): boolean {
  const consts: string[] = [];
  for (const f of [...premises, ...hyps, goal]) constantsOf(f, consts);
  if (consts.length === 0) consts.push("Nobody");
  const ground = [...premises, ...hyps].flatMap((f) => groundAll(f, consts));
  const goals = groundAll(goal, consts);
  const atoms = new Map<string, number>();
  for (const f of [...ground, ...goals]) atomsOf(f, atoms);
  if (atoms.size > 20) throw new Error(`oracle: too many atoms (${atoms.size})`);
  for (let v = 0; v < 1 << atoms.size; v++) {
    if (ground.every((f) => evaluate(f, atoms, v)) && !goals.every((g) => evaluate(g, atoms, v)))
      return false;
  }
  return true;
}

const PREDS = ["pa", "pb", "pc", "pd"];
const PEOPLE = ["Alice", "Bob"];

function lit(p: string, c: string, pos: boolean): Formula {
  const a = atom(p, [constant(c)]);
  return pos ? a : not(a);
}
const litArb = fc
  .tuple(fc.constantFrom(...PREDS), fc.constantFrom(...PEOPLE), fc.boolean())
  .map(([p, c, s]) => lit(p, c, s));
const varLit = fc
  .tuple(fc.constantFrom(...PREDS), fc.boolean())
  .map(([p, s]) => (s ? atom(p, [fvar("X")]) : not(atom(p, [fvar("X")]))));

const ruleArb: fc.Arbitrary<Formula> = fc.oneof(
  fc
    .tuple(fc.array(litArb, { minLength: 1, maxLength: 2 }), fc.array(litArb, { minLength: 1, maxLength: 2 }))
    .map(([ps, cs]) => implies(and(ps), or(cs))),
  fc
    .tuple(fc.array(varLit, { minLength: 1, maxLength: 2 }), fc.array(varLit, { minLength: 1, maxLength: 2 }))
    .map(([ps, cs]) => forall("X", implies(and(ps), or(cs)))),
);

const problemArb: fc.Arbitrary<Problem> = fc
  .tuple(
    fc.array(litArb, { minLength: 1, maxLength: 3 }),
    fc.array(ruleArb, { minLength: 1, maxLength: 5 }),
    litArb,
  )
  .map(([facts, rules, goal]) => ({ theory: { facts, rules }, goal }));

function say(f: Formula): string {
  return printEnglish(f, { period: false }) ?? "Contradiction";
}

const RULES = [
  "premise",
  "apply",
  "elim",
  "and-intro",
  "and-elim",
  "or-intro",
  "contradiction",
  "ex-falso",
  "cases",
  "reductio",
];
const cite = fc.oneof(
  fc.integer({ min: 1, max: 12 }).map(String),
  fc.integer({ min: 1, max: 4 }).map((n) => `F${n}`),
  fc.integer({ min: 1, max: 6 }).map((n) => `R${n}`),
);
const justArb = fc.option(
  fc
    .tuple(
      fc.constantFrom(...RULES),
      fc.array(cite, { minLength: 1, maxLength: 3 }),
      fc.option(fc.constantFrom(...PEOPLE)),
    )
    .map(([r, cs, p]) =>
      r === "apply" && p !== null
        ? ` [apply ${cs[0]} with ${p} on ${cs.slice(1).join(", ")}]`
        : ` [${r} ${cs.join(", ")}]`,
    ),
  { nil: "" },
);
const claimArb = fc.oneof(
  { weight: 6, arbitrary: litArb },
  { weight: 2, arbitrary: fc.array(litArb, { minLength: 2, maxLength: 2 }).map((ls) => or(ls)) },
  { weight: 1, arbitrary: fc.constant<Formula>({ kind: "falsum" }) },
);

type Line =
  | { kind: "claim"; f: Formula; j: string }
  | { kind: "open"; block: "case" | "assume"; f: Formula }
  | { kind: "end" };
const lineArb: fc.Arbitrary<Line> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(claimArb, justArb).map(([f, j]): Line => ({ kind: "claim", f, j })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("case" as const, "assume" as const), litArb)
      .map(([block, f]): Line => ({ kind: "open", block, f })),
  },
  { weight: 1, arbitrary: fc.constant<Line>({ kind: "end" }) },
);

function renderLines(lines: readonly Line[], goal: Formula | null): string {
  const out: string[] = [];
  const stack: string[] = [];
  let n = 0;
  for (const l of lines) {
    if (l.kind === "claim") out.push(`${++n}. ${say(l.f)}.${l.j}`);
    else if (l.kind === "open") {
      out.push(`${++n}. ${l.block} ${say(l.f)}:`);
      stack.push(l.block);
    } else {
      const b = stack.pop();
      if (b !== undefined) out.push(`end ${b}`);
    }
  }
  while (stack.length > 0) out.push(`end ${stack.pop() ?? ""}`);
  if (goal !== null) out.push(`${n + 1}. ${say(goal)}.`);
  return `<proof>\n${out.join("\n")}\n</proof>`;
}

const allFormulas = (p: Problem): Formula[] => [...p.theory.facts, ...p.theory.rules];

describe("soundness against the oracle", () => {
  it("random theories and random proofs: every accepted proof proves an entailed goal", () => {
    let accepted = 0;
    let tried = 0;
    fc.assert(
      fc.property(
        problemArb,
        fc.array(lineArb, { maxLength: 14 }),
        fc.boolean(),
        fc.constantFrom("strict" as const, "lenient" as const),
        (p, lines, endWithGoal, mode) => {
          tried++;
          const r = check(p, renderLines(lines, endWithGoal ? p.goal : null), { mode });
          if (r.ok) {
            accepted++;
            expect(entails(allFormulas(p), [], p.goal)).toBe(true);
          }
        },
      ),
      { seed, numRuns: 3000 },
    );
    console.log(`soundness: ${accepted} of ${tried} random proofs accepted, all confirmed by the oracle`);
    expect(accepted).toBeGreaterThan(0);
  });

  it("lenient search cannot be tricked: the goal alone, or any claim list, is accepted only when entailed", () => {
    fc.assert(
      fc.property(problemArb, fc.array(claimArb, { maxLength: 8 }), (p, claims) => {
        const text = `<proof>\n${[...claims, p.goal].map((f) => say(f) + ".").join("\n")}\n</proof>`;
        const r = check(p, text);
        if (r.ok) expect(entails(allFormulas(p), [], p.goal)).toBe(true);
      }),
      { seed, numRuns: 2000 },
    );
  });
});

/** A valid strict proof built by forward chaining (apply and elim), ending at its last literal. */
interface Built {
  problem: Problem;
  lines: { f: Formula; j: string }[];
}

function forwardProof(p: Problem): Built | null {
  const known = new Map<string, string>();
  p.theory.facts.forEach((f, i) => known.set(formulaKey(f), `F${i + 1}`));
  const lines: { f: Formula; j: string }[] = [];
  const add = (f: Formula, j: string): void => {
    if (known.has(formulaKey(f))) return;
    lines.push({ f, j });
    known.set(formulaKey(f), String(lines.length));
  };
  for (let round = 0; round < 6; round++) {
    p.theory.rules.forEach((r, ri) => {
      const insts: [Formula, string][] =
        r.kind === "forall" ? PEOPLE.map((c) => [instantiate(r, constant(c)), ` with ${c}`]) : [[r, ""]];
      for (const [g, w] of insts) {
        if (g.kind !== "implies") continue;
        const prem = g.left.kind === "and" ? g.left.items : [g.left];
        const refs = prem.map((q) => known.get(formulaKey(q)));
        if (refs.some((x) => x === undefined)) continue;
        add(g.right, `[apply R${ri + 1}${w} on ${refs.join(", ")}]`);
        const c = g.right;
        if (c.kind === "or" && known.has(formulaKey(c))) {
          c.items.forEach((d, i) => {
            const neg = d.kind === "not" ? d.body : not(d);
            const nref = known.get(formulaKey(neg));
            const rest = c.items.filter((_, k) => k !== i);
            if (nref !== undefined && rest.length === 1 && rest[0] !== undefined)
              add(rest[0], `[elim ${known.get(formulaKey(c)) ?? ""}, ${nref}]`);
          });
        }
      }
    });
  }
  let last = lines.length - 1;
  while (last >= 0 && lines[last]?.f.kind === "or") last--;
  const goalLine = lines[last];
  if (goalLine === undefined) return null;
  return { problem: { theory: p.theory, goal: goalLine.f }, lines: lines.slice(0, last + 1) };
}

function textOf(lines: readonly { f: Formula; j: string; label?: string }[]): string {
  return `<proof>\n${lines.map((l, i) => `${l.label ?? i + 1}. ${say(l.f)}. ${l.j}`).join("\n")}\n</proof>`;
}

const flip = (f: Formula): Formula => (f.kind === "not" ? f.body : f.kind === "atom" ? not(f) : f);

describe("mutations of valid proofs", () => {
  it("are rejected unless every line is still entailed (oracle)", () => {
    let built = 0;
    let mutants = 0;
    let survived = 0;
    fc.assert(
      fc.property(problemArb, fc.nat(), fc.nat(), fc.nat(7), (p0, a, b, kind) => {
        const base = forwardProof(p0);
        if (base === null) return;
        built++;
        const { problem } = base;
        const lines = base.lines.map((l) => ({ ...l }));
        expect(check(problem, textOf(lines), { mode: "strict" })).toMatchObject({ ok: true });
        expect(check(problem, textOf(lines.map((l) => ({ ...l, j: "" }))))).toMatchObject({ ok: true });
        const n = lines.length;
        const i = a % n;
        const j = b % n;
        let m: { f: Formula; j: string; label?: string }[] = lines.map((l, k) => ({
          ...l,
          label: String(k + 1),
        }));
        switch (kind) {
          case 0: // drop a line
            m.splice(i, 1);
            break;
          case 1: // swap two lines (labels travel with them)
            [m[i], m[j]] = [m[j] as (typeof m)[number], m[i] as (typeof m)[number]];
            break;
          case 2: // flip a polarity
            m[i] = { ...(m[i] as (typeof m)[number]), f: flip((m[i] as (typeof m)[number]).f) };
            break;
          case 3: // cite the wrong rule
            m[i] = {
              ...(m[i] as (typeof m)[number]),
              j: (m[i] as (typeof m)[number]).j.replace(
                /R(\d+)/,
                (_, d: string) => `R${(Number(d) % 6) + 1}`,
              ),
            };
            break;
          case 4: // cite a wrong line
            m[i] = {
              ...(m[i] as (typeof m)[number]),
              j: (m[i] as (typeof m)[number]).j.replace(/on (\d+|F\d+)/, `on ${j + 1}`),
            };
            break;
          case 5: // claim the goal early with the last line's justification
            m = [{ f: problem.goal, j: (m[n - 1] as (typeof m)[number]).j, label: "0" }, ...m];
            break;
          case 6: // move lines into a closed case block and cite them afterwards
            m = [...m.slice(0, i), ...m.slice(i)];
            break;
          default: // drop every citation in strict mode
            m = m.map((l) => ({ ...l, j: "" }));
        }
        let text = textOf(m);
        if (kind === 6 && i > 0) {
          const ls = text.split("\n");
          ls.splice(1, 0, `100. case ${say(m[0]?.f ?? problem.goal)}:`);
          ls.splice(i + 2, 0, "end case");
          text = ls.join("\n");
        }
        mutants++;
        const r = check(problem, text, { mode: "strict" });
        if (r.ok) {
          survived++;
          for (const l of m) expect(entails(allFormulas(problem), [], l.f)).toBe(true);
        }
      }),
      { seed, numRuns: 1500 },
    );
    console.log(
      `mutations: ${built} valid proofs built, ${mutants} mutants, ${survived} accepted and confirmed valid`,
    );
    expect(built).toBeGreaterThan(0);
  });
});

describe("noisy near-valid proofs", () => {
  it("valid chains with inserted claims, dropped citations and swapped goals: accepted only when entailed", () => {
    let accepted = 0;
    let wrongGoal = 0;
    fc.assert(
      fc.property(
        problemArb,
        fc.array(fc.tuple(fc.nat(), claimArb), { maxLength: 3 }),
        fc.boolean(),
        litArb,
        fc.constantFrom("strict" as const, "lenient" as const),
        (p0, noise, swapGoal, other, mode) => {
          const base = forwardProof(p0);
          if (base === null) return;
          const lines: { f: Formula; j: string }[] = base.lines.map((l) => ({
            f: l.f,
            j: mode === "lenient" ? "" : l.j,
          }));
          for (const [at, f] of noise) lines.splice(at % (lines.length + 1), 0, { f, j: "" });
          const goal = swapGoal ? other : base.problem.goal;
          if (swapGoal) lines.push({ f: goal, j: "" });
          const problem: Problem = { theory: base.problem.theory, goal };
          const r = check(problem, textOf(lines), { mode });
          if (r.ok) {
            accepted++;
            if (swapGoal) wrongGoal++;
            for (const l of lines) expect(entails(allFormulas(problem), [], l.f)).toBe(true);
          }
        },
      ),
      { seed, numRuns: 1500 },
    );
    console.log(
      `noisy: ${accepted} accepted (${wrongGoal} with a swapped goal), all lines confirmed by the oracle`,
    );
    expect(accepted).toBeGreaterThan(0);
  });
});

void constantsOf;
