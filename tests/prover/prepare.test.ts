// The speed work on preparing and keying must not change anything observable: formula keys are
// the same strings as the memoized definition gives, the theory constants keep their order, the
// lazily built index is the one `indexTheory` builds, and strict and lenient verdicts on generated
// gold proofs (and on their mutations) do not depend on whether or when the index was built or on
// the read cache starting to remember. Seeds print; pin with FC_SEED.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { constantsOf, formulaKey, formulaKeyOnce, type Formula, type Term } from "../../src/logic/formula.js";
import { problemFromJsonOrThrow } from "../../src/logic/serialize.js";
import type { Problem } from "../../src/logic/theory.js";
import { check, prepare } from "../../src/prover/check.js";
import { indexTheory, keyOf, theoryConstants } from "../../src/prover/search.js";
import { defaultConfig, generateItem, type Level } from "../../src/generator/index.js";
import { arbFormula, arbProblem, propertySeed } from "../logic/arbitrary.js";

const seed = propertySeed("prepare.test.ts");
const runs = { seed, numRuns: 300 };

/** The key as first defined (one recursive definition, no fast paths): the oracle. */
function referenceKey(f: Formula): string {
  const term = (t: Term): string =>
    t.kind === "const" ? t.name : t.kind === "fvar" ? "?" + t.name : "#" + t.index;
  switch (f.kind) {
    case "atom":
      return f.pred + "(" + f.args.map(term).join(",") + ")";
    case "not":
      return "~" + referenceKey(f.body);
    case "and":
      return "&(" + f.items.map(referenceKey).join(";") + ")";
    case "or":
      return "|(" + f.items.map(referenceKey).join(";") + ")";
    case "implies":
      return ">(" + referenceKey(f.left) + ";" + referenceKey(f.right) + ")";
    case "forall":
      return "A(" + referenceKey(f.body) + ")";
    case "falsum":
      return "_|_";
  }
}

/** Theory constants as the index collected them before: goal, facts, rules, first occurrence. */
function referenceConstants(p: Problem): string[] {
  const out = new Set<string>(constantsOf(p.goal));
  for (const f of p.theory.facts) for (const c of constantsOf(f)) out.add(c);
  for (const r of p.theory.rules) for (const c of constantsOf(r)) out.add(c);
  return [...out];
}

describe("formula keys", () => {
  it("formulaKey, formulaKeyOnce and keyOf give the reference string, also when asked twice", () => {
    fc.assert(
      fc.property(arbFormula({ freeVars: true, maxArity: 3 }), (f) => {
        const want = referenceKey(f);
        expect(formulaKeyOnce(f)).toBe(want);
        expect(formulaKey(f)).toBe(want);
        expect(formulaKey(f)).toBe(want);
        expect(keyOf(f)).toBe(want);
      }),
      runs,
    );
  });

  it("equal keys exactly for alpha-equivalent formulas, memoized or not", () => {
    fc.assert(
      fc.property(arbFormula({ maxDepth: 2 }), arbFormula({ maxDepth: 2 }), (a, b) => {
        formulaKey(a);
        expect(formulaKey(a) === formulaKeyOnce(b)).toBe(referenceKey(a) === referenceKey(b));
      }),
      runs,
    );
  });
});

describe("theory constants and the index", () => {
  it("theoryConstants keeps the index's order, and the index built from it is the same", () => {
    fc.assert(
      fc.property(arbProblem(), (p) => {
        expect([...theoryConstants(p)]).toEqual(referenceConstants(p));
        const idx = indexTheory(p);
        expect([...idx.constants]).toEqual(referenceConstants(p));
        expect(indexTheory(p, theoryConstants(p))).toEqual(idx);
      }),
      runs,
    );
  });
});

const LEVELS: readonly Level[] = ["implication", "conjunction", "negation", "disjunction", "quantification"];

describe("lazy index and the read cache on generated gold proofs", () => {
  const items = LEVELS.flatMap((level) =>
    [2, 5].map((depth) => ({ level, depth, item: generateItem(defaultConfig({ level, depth }), 77, depth) })),
  );

  it("the prepared index is built once and equals indexTheory", () => {
    for (const { item } of items) {
      const p = problemFromJsonOrThrow(item.problem);
      const pp = prepare(p);
      expect(pp.index).toBe(pp.index);
      expect(pp.index).toEqual(indexTheory(p));
    }
  });

  it("verdicts do not depend on the index being built first or on the cache's first read", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...items),
        fc.nat(),
        fc.constantFrom("strict", "lenient"),
        ({ item, depth }, cut, mode) => {
          const lines = item.goldProof.split("\n");
          // Dropping one line (or none) makes a mix of accepted and rejected proofs.
          const k = cut % (lines.length + 1);
          const text = `<proof>\n${lines.filter((_, i) => i !== k).join("\n")}\n</proof>`;
          const p = problemFromJsonOrThrow(item.problem);
          const lazy = prepare(p);
          const eager = prepare(p);
          void eager.index;
          const off = prepare(p, { readCacheSize: 0 });
          const opt = { mode } as const;
          const first = check(lazy, text, opt);
          expect(check(eager, text, opt)).toEqual(first);
          expect(check(off, text, opt)).toEqual(first);
          // Second and third reads through the same cache: remembered, then reused.
          expect(check(lazy, text, opt)).toEqual(first);
          expect(check(lazy, text, opt)).toEqual(first);
          if (k === lines.length) expect(first).toMatchObject({ ok: true, reward: 1 });
          if (k === lines.length && mode === "strict") expect(first).toMatchObject({ height: depth });
        },
      ),
      { seed, numRuns: 200 },
    );
  });

  it("the read cache stores nothing on a problem's first read and remembers from the second", () => {
    const { item } = items[0] as (typeof items)[number];
    const pp = prepare(problemFromJsonOrThrow(item.problem));
    const text = `<proof>\n${item.goldProof}\n</proof>`;
    check(pp, text, { mode: "strict" });
    expect(pp.readCache?.claims.size).toBe(0);
    check(pp, text, { mode: "strict" });
    expect(pp.readCache?.claims.size).toBeGreaterThan(0);
    expect(pp.readCache?.justifications.size).toBeGreaterThan(0);
  });
});
