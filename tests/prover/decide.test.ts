import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  and,
  assertNever,
  bvar,
  constant,
  falsum,
  forallRaw,
  formulaKey,
  implies,
  literal,
  not,
  or,
  atom,
  type Formula,
  type Term,
} from "../../src/logic/formula.js";
import type { Theory } from "../../src/logic/theory.js";
import {
  ground,
  groundGeneral,
  groundOrThrow,
  literalCode,
  literalFormula,
  type Grounded,
} from "../../src/prover/ground.js";
import {
  consistent,
  countermodel,
  decideCandidates,
  entails,
  literalTrue,
  packModel,
  unpackModel,
  verifyModel,
} from "../../src/prover/decide.js";

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;
console.log(`decide.test.ts: fast-check seed ${seed} (pin with FC_SEED=${seed})`);

const people = ["Alice", "Bob"];
const preds = ["abcde", "fghij", "klmno"];

// Literal templates: about a named person, or about the bound variable (inside one ∀).
const litArb = (quantified: boolean): fc.Arbitrary<Formula> =>
  fc
    .record({
      p: fc.constantFrom(...preds),
      who: quantified ? fc.constantFrom("X", "X", ...people) : fc.constantFrom(...people),
      pos: fc.boolean(),
    })
    .map(({ p, who, pos }) => {
      const t: Term = who === "X" ? bvar(0) : constant(who);
      const a = atom(p, [t]);
      return pos ? a : not(a);
    });

const ruleArb: fc.Arbitrary<Formula> = fc.boolean().chain((q) =>
  fc
    .record({
      prem: fc.array(litArb(q), { minLength: 1, maxLength: 2 }),
      conc: fc.array(litArb(q), { minLength: 1, maxLength: 2 }),
    })
    .map(({ prem, conc }) => {
      const body = implies(and(prem), or(conc));
      return q ? forallRaw("X", body) : body;
    }),
);

// Shapes outside the rule fragment: nested implications, ⊥, quantifiers under negation.
const oddArb: fc.Arbitrary<Formula> = fc.oneof(
  fc.tuple(litArb(false), litArb(false), litArb(false)).map(([a, b, c]) => implies(a, implies(b, c))),
  litArb(false).map((a) => implies(a, falsum)),
  litArb(true).map((a) => not(forallRaw("X", a))),
  fc.tuple(litArb(false), litArb(false)).map(([a, b]) => not(and([a, b]))),
);

const theoryArb = (odd: boolean): fc.Arbitrary<{ theory: Theory; goal: Formula }> =>
  fc.record({
    theory: fc.record({
      facts: fc.array(litArb(false), { minLength: 0, maxLength: 4 }),
      rules: fc
        .tuple(
          fc.array(ruleArb, { maxLength: 6 }),
          odd ? fc.array(oddArb, { maxLength: 2 }) : fc.constant([]),
        )
        .map(([a, b]) => [...a, ...b]),
    }),
    goal: litArb(false),
  });

/** Direct evaluation of a closed formula over the Herbrand domain, atoms read from `truth`. */
function evaluate(f: Formula, truth: (key: string) => boolean, env: readonly string[] = []): boolean {
  switch (f.kind) {
    case "atom": {
      const args = f.args.map((t) =>
        t.kind === "bvar" ? constant(env[env.length - 1 - t.index] as string) : t,
      );
      return truth(formulaKey(atom(f.pred, args)));
    }
    case "not":
      return !evaluate(f.body, truth, env);
    case "and":
      return f.items.every((g) => evaluate(g, truth, env));
    case "or":
      return f.items.some((g) => evaluate(g, truth, env));
    case "implies":
      return !evaluate(f.left, truth, env) || evaluate(f.right, truth, env);
    case "forall":
      return people.every((c) => evaluate(f.body, truth, [...env, c]));
    case "falsum":
      return false;
    default:
      return assertNever(f);
  }
}

function truthOf(g: Grounded, model: Uint8Array): (key: string) => boolean {
  const index = new Map<string, number>();
  for (let a = 0; a < g.atomCount; a++) index.set(formulaKey(literalFormula(g, 2 * a)), a);
  return (key) => {
    const a = index.get(key);
    return a !== undefined && model[a] === 1;
  };
}

const holds = (g: Grounded, t: Theory, m: Uint8Array): boolean =>
  [...t.facts, ...t.rules].every((f) => evaluate(f, truthOf(g, m)));

function bruteModels(g: Grounded, t: Theory): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let bits = 0; bits < 2 ** g.atomCount; bits++) {
    const m = new Uint8Array(g.atomCount);
    for (let a = 0; a < g.atomCount; a++) m[a] = (bits >> a) & 1;
    if (holds(g, t, m)) out.push(m);
  }
  return out;
}

// Both people always appear, so the Herbrand domain matches the evaluator's.
const withPeople = (goal: Formula): Formula[] => [
  goal,
  ...people.map((p) => literal("abcde", constant(p), true)),
];

describe("entailment and consistency", () => {
  for (const odd of [false, true]) {
    it(`agree with brute-force model enumeration (${odd ? "with formulas outside the fragment" : "rule fragment"})`, () => {
      let entailedSeen = 0;
      let inconsistentSeen = 0;
      fc.assert(
        fc.property(theoryArb(odd), ({ theory, goal }) => {
          const g = groundOrThrow(theory, withPeople(goal));
          if (g.atomCount > 12) return true;
          const models = bruteModels(g, theory);
          const lit = literalCode(g, goal);
          const c = consistent(g);
          if (c.consistent !== models.length > 0) return false;
          if (c.consistent && !(verifyModel(g, c.model) && holds(g, theory, c.model))) return false;
          if (models.length === 0) inconsistentSeen++;
          const expected = models.every((m) => literalTrue(m, lit));
          if (expected) entailedSeen++;
          if (entails(g, lit) !== expected) return false;
          const cm = countermodel(g, lit);
          if (expected) return cm === null;
          return cm !== null && verifyModel(g, cm) && holds(g, theory, cm) && !literalTrue(cm, lit);
        }),
        { seed, numRuns: 400 },
      );
      expect(entailedSeen).toBeGreaterThan(10);
      expect(inconsistentSeen).toBeGreaterThan(0);
    });
  }

  it("verifyModel is exactly 'every formula holds' (checked on random assignments)", () => {
    fc.assert(
      fc.property(
        theoryArb(true),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        ({ theory, goal }, bits) => {
          const g = groundOrThrow(theory, withPeople(goal));
          const m = Uint8Array.from(bits.slice(0, g.atomCount).map((b) => (b ? 1 : 0)));
          return verifyModel(g, m) === holds(g, theory, m);
        },
      ),
      { seed, numRuns: 400 },
    );
  });

  it("decideCandidates labels one entailed candidate and returns countermodels for the others", () => {
    const A = constant("Alice");
    const lit = (p: string, pos = true): Formula => literal(p, A, pos);
    const theory: Theory = {
      facts: [lit("a"), lit("s", false)],
      rules: [implies(lit("a"), or([lit("g"), lit("s")])), implies(lit("b"), lit("h"))],
    };
    const candidates = [lit("g"), lit("h"), lit("g", false), lit("s")];
    const g = groundOrThrow(theory, candidates);
    const d = decideCandidates(
      g,
      candidates.map((c) => literalCode(g, c)),
    );
    expect(d.consistency.consistent).toBe(true);
    expect(d.verdicts.map((v) => v.entailed)).toEqual([true, false, false, false]);
    for (const [i, v] of d.verdicts.entries())
      if (!v.entailed) {
        expect(verifyModel(g, v.countermodel)).toBe(true);
        expect(literalTrue(v.countermodel, literalCode(g, candidates[i] as Formula))).toBe(false);
      }
    const tampered = d.consistency.consistent ? d.consistency.model.slice() : new Uint8Array();
    tampered[literalCode(g, lit("a")) >> 1] = 0;
    expect(verifyModel(g, tampered)).toBe(false);
    expect(verifyModel(g, new Uint8Array(g.atomCount + 1))).toBe(false);
    const two = new Uint8Array(g.atomCount).fill(2);
    expect(verifyModel(g, two)).toBe(false);
    if (d.consistency.consistent) {
      const packed = packModel(d.consistency.model);
      expect(unpackModel(packed, g.atomCount)).toEqual(d.consistency.model);
      expect(unpackModel(packed, g.atomCount + 9)).toBeNull();
    }
  });
});

describe("grounding", () => {
  it("instantiates universal rules over every constant and numbers atoms densely", () => {
    const X = bvar(0);
    const theory: Theory = {
      facts: [literal("abcde", constant("Alice"), true)],
      rules: [
        forallRaw("X", implies(atom("abcde", [X]), atom("fghij", [X]))),
        implies(literal("fghij", constant("Bob"), true), literal("abcde", constant("Alice"), false)),
      ],
    };
    const g = groundOrThrow(theory);
    expect(g.constants).toEqual(["Alice", "Bob"]);
    expect(g.ruleCount).toBe(3);
    expect(g.fragment && g.horn).toBe(true);
    expect(g.atomCount).toBe(4);
    for (let l = 0; l < 2 * g.atomCount; l++) expect(literalCode(g, literalFormula(g, l))).toBe(l);
    expect(literalCode(g, literal("zzzzz", constant("Alice"), true))).toBe(-1);
    expect(literalCode(g, literal("abcde", constant("Carol"), true))).toBe(-1);
    expect(
      literalCode(
        g,
        and([literal("abcde", constant("Alice"), true), literal("abcde", constant("Bob"), true)]),
      ),
    ).toBe(-1);
  });

  it("reports open formulas and oversized clause forms as issues, not exceptions", () => {
    const open = ground({ facts: [atom("p", [{ kind: "fvar", name: "Y" }])], rules: [] });
    expect(open.ok).toBe(false);
    if (!open.ok) expect(open.issues[0].code).toBe("not-closed");
    const A = constant("Alice");
    const big = Array.from({ length: 18 }, (_, i) =>
      and([literal(`p${i}`, A, true), literal(`q${i}`, A, true)]),
    );
    const huge = ground({ facts: [], rules: [or(big)] });
    expect(huge.ok).toBe(false);
    if (!huge.ok) expect(huge.issues[0].code).toBe("too-large");
  });

  it("fast path numbers atoms and rules exactly as the general path (random theories)", () => {
    // Extra shapes the fast path handles: conjunctive conclusions, universal facts, constants
    // named only by the goal; odd formulas make it hand over to the general path.
    const extraArb = fc.oneof(
      fc
        .tuple(litArb(true), litArb(true), litArb(true))
        .map(([p, a, b]) => forallRaw("X", implies(p, and([a, b])))),
      litArb(true).map((l) => forallRaw("X", l)),
      fc.tuple(litArb(false), litArb(false)).map(([a, b]) => and([a, b])),
      fc.tuple(litArb(false), litArb(false)).map(([a, b]) => or([a, b])),
    );
    const goalArb = fc.oneof(litArb(false), fc.constantFrom(literal("abcde", constant("Carol"), false)));
    let compared = 0;
    fc.assert(
      fc.property(
        fc.boolean(),
        theoryArb(true),
        fc.array(extraArb, { maxLength: 3 }),
        goalArb,
        (odd, { theory }, more, goal) => {
          const t: Theory = odd
            ? theory
            : {
                facts: theory.facts,
                rules: [...theory.rules.filter((f) => f.kind === "forall" || f.kind === "implies"), ...more],
              };
          const a = ground(t, [goal]);
          const b = groundGeneral(t, [goal]);
          expect(a.ok).toBe(b.ok);
          if (!a.ok || !b.ok) return;
          const x = a.grounded;
          const y = b.grounded;
          expect([x.atomCount, x.ruleCount, x.fragment, x.horn]).toEqual([
            y.atomCount,
            y.ruleCount,
            y.fragment,
            y.horn,
          ]);
          expect(x.constants).toEqual(y.constants);
          for (const k of ["facts", "premStart", "prem", "concStart", "conc", "extraStart", "extra"] as const)
            expect([...x[k]]).toEqual([...y[k]]);
          for (let l = 0; l < 2 * x.atomCount; l++) {
            expect(formulaKey(literalFormula(x, l))).toBe(formulaKey(literalFormula(y, l)));
            expect(literalCode(x, literalFormula(y, l))).toBe(l);
          }
          expect(literalCode(x, goal)).toBe(literalCode(y, goal));
          compared++;
        },
      ),
      { seed, numRuns: 400 },
    );
    expect(compared).toBeGreaterThan(100);
  });

  it("gives quantified theories without constants a one-element domain", () => {
    const g = groundOrThrow({ facts: [], rules: [forallRaw("X", atom("p", [bvar(0)]))] });
    expect(g.constants).toHaveLength(1);
    expect(entails(g, 0)).toBe(true);
  });
});
