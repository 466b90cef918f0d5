// Generator exactness laws: for random (level, depth, seed) the gold proof is accepted in strict
// mode at height D, the minimum depth computed independently by the prover is exactly D, the
// decision procedure labels exactly the answer as entailed, certificates verify, and generation is
// a pure function of (config, seed, index). Seeds are printed; pin one with FC_SEED=<n>.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseEnglish, printEnglish } from "../../src/logic/english.js";
import { formulaEquals, type Formula } from "../../src/logic/formula.js";
import { problemFromJson, problemToJson } from "../../src/logic/serialize.js";
import { check } from "../../src/prover/check.js";
import { decideCandidates, unpackModel, verifyModel, literalTrue } from "../../src/prover/decide.js";
import { minDepth, unpackDepthCertificate, verifyDepthCertificate } from "../../src/prover/depth.js";
import { ground, literalCode } from "../../src/prover/ground.js";
import { defaultConfig, LEVELS, type GenConfig, type Level } from "../../src/generator/config.js";
import { generateItem, generateItems, type Item } from "../../src/generator/index.js";
import { goldProof, goldText } from "../../src/generator/gold.js";
import { assemble } from "../../src/generator/problem.js";
import { candidateTexts, factText, ruleText, Texts, wireForm } from "../../src/generator/prompt.js";
import { makeRng } from "../../src/generator/random.js";
import { axiomsOf, buildDraft, type Deriv, type Lit } from "../../src/generator/tree.js";
import { renderProof } from "../../src/prover/render.js";

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;
console.log(`generator property tests: FC_SEED=${seed}`);
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed, numRuns });

/** Every law an emitted item must satisfy, checked from its JSON form with the prover alone. */
function audit(item: Item): void {
  const parsed = problemFromJson(item.problem);
  expect(parsed.ok).toBe(true);
  if (!parsed.ok) return;
  const problem = parsed.value;
  const candidates = problem.candidates ?? [];
  const answer = problem.answer ?? -1;
  expect(candidates.length).toBe(item.config.candidates);
  expect(formulaEquals(candidates[answer] as Formula, problem.goal)).toBe(true);

  // (a) gold proof accepted in strict mode with height exactly D.
  const verdict = check(problem, `<proof>\n${item.goldProof}\n</proof>`, { mode: "strict" });
  expect(verdict.ok).toBe(true);
  if (verdict.ok) expect(verdict.height).toBe(item.depth);

  // (b) minimum depth, computed from scratch, is exactly D.
  const gr = ground(problem.theory, candidates);
  expect(gr.ok).toBe(true);
  if (!gr.ok) return;
  const g = gr.grounded;
  const codes = candidates.map((c) => literalCode(g, c));
  const goal = codes[answer] as number;
  expect(minDepth(g, goal, item.depth + 1)).toBe(item.depth);

  // (c)+(d) consistent, exactly the answer entailed.
  const d = decideCandidates(g, codes);
  expect(d.consistency.consistent).toBe(true);
  expect(d.verdicts.map((v) => v.entailed)).toEqual(codes.map((_, i) => i === answer));

  // Stored certificates verify against the problem.
  const c = item.certificates;
  const model = unpackModel(c.model, g.atomCount);
  expect(model !== null && verifyModel(g, model)).toBe(true);
  c.countermodels.forEach((packed, i) => {
    if (i === answer) {
      expect(packed).toBeNull();
      return;
    }
    const m = packed === null ? null : unpackModel(packed, g.atomCount);
    expect(m !== null && verifyModel(g, m) && !literalTrue(m, codes[i] as number)).toBe(true);
  });
  const below = unpackDepthCertificate(c.minDepth.below);
  expect(below !== null && verifyDepthCertificate(g, goal, item.depth, below)).toBe(true);

  // Predicates distinct words of five lowercase letters; the answer is the gold candidate's text.
  expect(item.answer).toBe(item.config.task === "proof" ? item.answer : item.candidates[answer]);
  for (const f of [...problem.theory.facts, ...problem.theory.rules]) {
    const s = JSON.stringify(f);
    for (const m of s.matchAll(/"pred":"([^"]*)"/g)) expect(m[1]).toMatch(/^[a-z]{5}$/);
  }
}

const levelArb = fc.constantFrom<Level>(...LEVELS);

describe("generator exactness", () => {
  it("random (level, depth, seed): gold accepted at D, min depth D, labels right, certificates verify", () => {
    fc.assert(
      fc.property(
        levelArb,
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 1e6 }),
        (level, depth, s) => {
          audit(generateItem(defaultConfig({ level, depth }), s, s % 7));
        },
      ),
      params(40),
    );
  });

  it("random knobs (candidates, distractors, people, arity caps, tasks, uniform mix)", () => {
    const arb = fc.record({
      level: levelArb,
      depth: fc.integer({ min: 1, max: 12 }),
      candidates: fc.integer({ min: 1, max: 6 }),
      // At least one distractor (up to 8): with one candidate and none, some levels have a single
      // structure, which only one split can own (that case is tested in config.test.ts).
      dmax: fc.integer({ min: 2, max: 8 }),
      people: fc.integer({ min: 2, max: 4 }),
      maxPremises: fc.integer({ min: 2, max: 4 }),
      maxDisjuncts: fc.integer({ min: 2, max: 4 }),
      task: fc.constantFrom("choice", "proof", "choice+proof" as const),
      mix: fc.constantFrom("exact", "uniform" as const),
      s: fc.integer({ min: 0, max: 1e6 }),
    });
    fc.assert(
      fc.property(arb, (r) => {
        const rank = LEVELS.indexOf(r.level);
        const config = defaultConfig({
          level: r.level,
          depth: r.depth,
          candidates: r.candidates,
          distractors: [1, r.dmax],
          people: r.level === "quantification" ? r.people : 1,
          maxPremises: rank >= 1 ? r.maxPremises : 1,
          maxDisjuncts: rank >= 3 ? r.maxDisjuncts : 1,
          task: r.task,
          mix: r.mix,
        });
        const item = generateItem(config, r.s, 0);
        if (r.mix === "exact") expect(item.depth).toBe(r.depth);
        else expect(item.depth).toBeGreaterThanOrEqual(1);
        expect(item.depth).toBeLessThanOrEqual(r.depth);
        audit(item);
      }),
      params(30),
    );
  });

  it.each(LEVELS.map((l) => [l]))("%s reaches depth 64 (and 1, 2)", (level) => {
    for (const depth of [1, 2, 64]) audit(generateItem(defaultConfig({ level, depth }), 64, depth));
  });
});

describe("prompts", () => {
  it("choice prompt has the paper's structure and every sentence parses back to the theory", () => {
    const item = generateItem(defaultConfig({ level: "quantification", depth: 5 }), 3, 1);
    const p = item.prompt;
    expect(p.startsWith("Suppose we have the following facts: ")).toBe(true);
    expect(p).toContain("\n\nHere are some candidate statements:\n" + item.candidates.join("\n") + "\n\n");
    expect(
      p.endsWith(
        "Exactly one of the above statements can be logically derived from the given facts.\n" +
          "Identify that statement and return it within <answer> </answer> tags. Example: <answer> Alice is abcde </answer>.\n",
      ),
    ).toBe(true);
    const body = p.slice("Suppose we have the following facts: ".length, p.indexOf("\n\n"));
    const sentences = body.split(/(?<=\.) (?=[A-Z])/);
    const parsed = problemFromJson(item.problem);
    if (!parsed.ok) throw new Error("bad problem");
    const all = [...parsed.value.theory.facts, ...parsed.value.theory.rules];
    expect(sentences.length).toBe(all.length);
    for (const s of sentences) {
      const f = parseEnglish(s);
      expect(f.ok).toBe(true);
      if (f.ok) expect(all.some((g) => formulaEquals(g, f.value))).toBe(true);
    }
  });

  it("proof prompt numbers facts and rules in the problem's order, and its example proof checks", () => {
    const item = generateItem(defaultConfig({ level: "disjunction", depth: 4, task: "proof" }), 5, 0);
    const parsed = problemFromJson(item.problem);
    if (!parsed.ok) throw new Error("bad problem");
    const { facts, rules } = parsed.value.theory;
    const lines = item.prompt.split("\n");
    facts.forEach((f, i) => {
      const line = lines.find((l) => l.startsWith(`F${i + 1}. `)) ?? "";
      const r = parseEnglish(line.slice(`F${i + 1}. `.length));
      expect(r.ok && formulaEquals(r.value, f)).toBe(true);
    });
    rules.forEach((f, i) => {
      const line = lines.find((l) => l.startsWith(`R${i + 1}. `)) ?? "";
      const r = parseEnglish(line.slice(`R${i + 1}. `.length));
      expect(r.ok && formulaEquals(r.value, f)).toBe(true);
    });
    expect(item.prompt).toContain(`Goal: ${item.answer}.`);
    expect(item.candidates).toEqual([]);
    // The worked example in the instructions is itself a valid strict proof.
    const ex = item.prompt.slice(item.prompt.lastIndexOf("<proof>"), item.prompt.lastIndexOf("</proof>") + 8);
    const exProblem = problemFromJson({
      v: 1,
      facts: ["abcde(Alice)"],
      rules: [
        "abcde(Alice) -> fghij(Alice) | klmno(Alice)",
        "fghij(Alice) -> pqrst(Alice)",
        "klmno(Alice) -> pqrst(Alice)",
      ],
      goal: "pqrst(Alice)",
    });
    if (!exProblem.ok) throw new Error("bad example problem");
    expect(check(exProblem.value, ex, { mode: "strict" }).ok).toBe(true);
  });

  it("choice+proof prompt has numbered theory, candidates and both instructions", () => {
    const item = generateItem(defaultConfig({ level: "negation", depth: 3, task: "choice+proof" }), 9, 2);
    expect(item.prompt).toContain("F1. ");
    expect(item.prompt).toContain("R1. ");
    expect(item.prompt).toContain("<answer> </answer>");
    expect(item.prompt).toContain("<proof>");
    expect(item.candidates).toContain(item.answer);
  });
});

describe("determinism and independence", () => {
  const config: GenConfig = defaultConfig({ level: "disjunction", depth: 6 });

  it("same (config, seed, index) gives the same bytes, alone or inside a run", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 50 }), (s, i) => {
        const a = JSON.stringify(generateItem(config, s, i));
        const b = JSON.stringify(generateItem(config, s, i));
        expect(a).toBe(b);
        const run = [...generateItems(config, s, Math.max(0, i - 2), 4)].map((x) => JSON.stringify(x));
        expect(run).toContain(a);
      }),
      params(10),
    );
  });

  it("different seeds and different splits share no dedup key", () => {
    const keys = new Map<string, string>();
    const add = (tag: string, item: Item): void => {
      const prev = keys.get(item.dedupKey);
      expect(prev === undefined || prev === tag, `key shared by ${prev} and ${tag}`).toBe(true);
      keys.set(item.dedupKey, tag);
    };
    // A tiny structure space, so the same structure keeps coming back within a split: the test
    // is only meaningful if duplicates are frequent, and then none may cross splits.
    const small: GenConfig = defaultConfig({
      level: "implication",
      depth: 1,
      candidates: 2,
      distractors: [0, 1],
    });
    let repeats = 0;
    for (const split of ["train", "test"]) {
      for (let i = 0; i < 40; i++) {
        const item = generateItem({ ...small, split }, 1, i);
        if (keys.get(item.dedupKey) === split) repeats++;
        add(split, item);
      }
    }
    expect(repeats).toBeGreaterThan(20);
    const seen = new Set<string>();
    for (const s of [1, 2]) {
      for (let i = 0; i < 10; i++) {
        const it = generateItem(defaultConfig({ level: "conjunction", depth: 4 }), s, i);
        expect(seen.has(it.dedupKey)).toBe(false);
        seen.add(it.dedupKey);
      }
    }
  });

  it("ids and configs round-trip: item i regenerates from its id", () => {
    const item = generateItem(config, 12, 3);
    const [, s, i] = item.id.split("/");
    expect(JSON.stringify(generateItem(item.config, Number(s), Number(i)))).toBe(JSON.stringify(item));
  });
});

/** Drawn draft settings for the structure properties below: any level, small depths, all knobs. */
interface DraftSettings {
  level: Level;
  depth: number;
  people: number;
  candidates: number;
  maxDisjuncts: number;
  maxPremises: number;
  /** Seed of the draft's random stream. */
  s: number;
}

const arb: fc.Arbitrary<DraftSettings> = fc.record({
  level: fc.constantFrom(...LEVELS),
  depth: fc.integer({ min: 1, max: 24 }),
  people: fc.integer({ min: 2, max: 5 }),
  candidates: fc.integer({ min: 1, max: 6 }),
  maxDisjuncts: fc.integer({ min: 2, max: 4 }),
  maxPremises: fc.integer({ min: 2, max: 4 }),
  s: fc.integer({ min: 0, max: 1_000_000 }),
});

/** The valid config nearest to drawn settings `r` (knobs a level does not have keep its default). */
function draftConfig(r: DraftSettings, distractors?: [number, number]): GenConfig {
  const base = defaultConfig({ level: r.level });
  return defaultConfig({
    level: r.level,
    depth: r.depth,
    candidates: r.candidates,
    ...(distractors === undefined ? {} : { distractors }),
    people: r.level === "quantification" ? r.people : base.people,
    maxPremises: r.level === "implication" ? 1 : r.maxPremises,
    maxDisjuncts: base.maxDisjuncts === 1 ? 1 : r.maxDisjuncts,
  });
}

describe("direct renderers agree with the generic printers", () => {
  // The generator writes the wire form, the prompt sentences and the gold proof text straight from
  // its draft; each must equal what the logic/prover printers make of the same formulas and AST.
  it("wire form, sentences, candidates and gold proof text", () => {
    fc.assert(
      fc.property(arb, (r) => {
        const config = draftConfig(r, [0, 8]);
        const rng = makeRng(`render-${r.s}`);
        const a = assemble(buildDraft(config, r.depth, rng), rng);
        const texts = new Texts(a);
        expect(wireForm(a, texts)).toEqual(problemToJson(a.problem));
        expect(goldText(a, texts)).toBe(renderProof(goldProof(a), { tags: false }));
        expect(texts.facts()).toEqual(a.facts.map((f) => factText(f, a.draft)));
        expect(texts.rules()).toEqual(a.rules.map((x) => ruleText(x, a.draft)));
        expect(candidateTexts(a, texts)).toEqual(
          a.problem.candidates?.map((c) => printEnglish(c, { period: false })),
        );
      }),
      params(150),
    );
  });
});

describe("draft structure", () => {
  // The corruption step counts a tree's axioms by what was made for it instead of listing them.
  it("each tree uses exactly the facts and rules made for it, and every node id is below nodes", () => {
    fc.assert(
      fc.property(arb, (r) => {
        const config = draftConfig(r);
        const d = buildDraft(config, r.depth, makeRng(`structure-${r.s}`));
        d.roots.forEach((root, t) => {
          const ax = axiomsOf(root);
          const facts = d.facts.flatMap((f, i) => (f.tree === t ? [i] : []));
          const rules = d.rules.flatMap((x, i) => (x.tree === t ? [i] : []));
          expect([...ax.facts].sort((x, y) => x - y)).toEqual(facts);
          expect([...ax.rules].sort((x, y) => x - y)).toEqual(rules);
        });
        const ids = new Set<number>();
        const visit = (n: Deriv): void => {
          expect(n.id).toBeLessThan(d.nodes);
          ids.add(n.id);
          const kids: Deriv[] = [...(n.kind === "fact" ? [] : n.premises)];
          if (n.kind === "elim") kids.push(...n.refutations);
          if (n.kind === "cases")
            for (const b of n.branches) for (const p of b.premises) if (p.kind !== "assumption") kids.push(p);
          kids.forEach(visit);
        };
        d.roots.forEach(visit);
        expect(ids.size).toBe(d.nodes);
      }),
      params(150),
    );
  });
});

describe("per-item memos", () => {
  it("texts and formulas of two problems rendered interleaved equal the separate renderings", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LEVELS),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (level, s1, s2) => {
          const config = defaultConfig({ level, depth: 6 });
          const make = (s: number) => {
            const rng = makeRng(`interleave-${s}`);
            return assemble(buildDraft(config, 6, rng), rng);
          };
          const a = make(s1);
          const b = make(s2);
          const ta = new Texts(a);
          const tb = new Texts(b);
          // Alternate between the two memos literal by literal, then compare with fresh renderings.
          const n = Math.max(a.facts.length, b.facts.length);
          for (let i = 0; i < n; i++) {
            const fa = a.facts[i];
            const fb = b.facts[i];
            if (fa !== undefined) expect(ta.english(fa)).toBe(factText(fa, a.draft).slice(0, -1));
            if (fb !== undefined) expect(tb.english(fb)).toBe(factText(fb, b.draft).slice(0, -1));
          }
          expect(wireForm(a, ta)).toEqual(problemToJson(make(s1).problem));
          expect(wireForm(b, tb)).toEqual(problemToJson(b.problem));
          expect(goldText(a, ta)).toBe(goldText(make(s1)));
          for (let i = 0; i < a.facts.length; i++) {
            expect(formulaEquals(a.lits.of(a.facts[i] as Lit), a.problem.theory.facts[i] as Formula)).toBe(
              true,
            );
          }
        },
      ),
      params(60),
    );
  });
});
