// The dedup key is invariant under renaming predicates and people and reordering sentences,
// premises and disjuncts, and it separates structures that differ. Pin the seed with FC_SEED=<n>.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { dedupKey, draftKey, splitOwns, type KeyInput } from "../../src/generator/dedup.js";
import { defaultConfig, LEVELS } from "../../src/generator/config.js";
import { buildDraft, VAR, type Draft, type Lit, type RuleSpec } from "../../src/generator/tree.js";
import { makeRng } from "../../src/generator/random.js";

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;
console.log(`dedup property tests: FC_SEED=${seed}`);

function inputOf(level: "disjunction" | "quantification", s: number): KeyInput {
  return keyInputOf(buildDraft(defaultConfig({ level, depth: 5, distractors: [2, 4] }), 5, makeRng(`t${s}`)));
}

/** The key input of a draft as the generator saw it: live facts and rules, roots as candidates, gold first. */
function keyInputOf(d: Draft): KeyInput {
  return {
    facts: d.facts.filter((f) => f.alive).map((f) => f.value),
    rules: d.rules.filter((r) => r.alive).map((r) => r.value),
    candidates: d.roots.map((r) => r.lit),
    answer: 0,
    predCount: d.preds.length,
    peopleCount: d.people.length,
  };
}

function permutation(n: number, rnd: () => number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [p[i], p[j]] = [p[j] as number, p[i] as number];
  }
  return p;
}

function renamed(k: KeyInput, salt: number): KeyInput {
  let x = salt + 1;
  const rnd = (): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  const pp = permutation(k.predCount, rnd);
  const qp = permutation(k.peopleCount, rnd);
  const lit = (l: Lit): Lit => ({
    pred: pp[l.pred] as number,
    person: l.person === VAR ? VAR : (qp[l.person] as number),
    pos: l.pos,
  });
  const shuffle = <T>(xs: T[]): T[] => {
    const p = permutation(xs.length, rnd);
    return p.map((i) => xs[i] as T);
  };
  const rule = (r: RuleSpec): RuleSpec => ({
    universal: r.universal,
    premises: shuffle(r.premises.map(lit)),
    conclusions: shuffle(r.conclusions.map(lit)),
  });
  const cp = permutation(k.candidates.length, rnd);
  return {
    facts: shuffle(k.facts.map(lit)),
    rules: shuffle(k.rules.map(rule)),
    candidates: cp.map((i) => lit(k.candidates[i] as Lit)),
    answer: cp.indexOf(k.answer),
    predCount: k.predCount,
    peopleCount: k.peopleCount,
  };
}

describe("dedup key", () => {
  it("is invariant under renaming and reordering", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("disjunction", "quantification" as const),
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 0, max: 1e6 }),
        (level, s, salt) => {
          const k = inputOf(level, s);
          expect(dedupKey(renamed(k, salt))).toBe(dedupKey(k));
        },
      ),
      { seed, numRuns: 100 },
    );
  });

  it("changes when the structure changes (polarity flip, dropped sentence, other answer)", () => {
    const k = inputOf("quantification", 1);
    const base = dedupKey(k);
    const f0 = k.facts[0] as Lit;
    expect(dedupKey({ ...k, facts: [{ ...f0, pos: !f0.pos }, ...k.facts.slice(1)] })).not.toBe(base);
    expect(dedupKey({ ...k, rules: k.rules.slice(1) })).not.toBe(base);
    expect(dedupKey({ ...k, answer: 1 })).not.toBe(base);
    const keys = new Set(Array.from({ length: 200 }, (_, i) => dedupKey(inputOf("disjunction", i))));
    expect(keys.size).toBe(200);
  });

  it("tells apart long chains broken at different places (beyond the refinement radius)", () => {
    const chain = (broken: number): KeyInput => {
      const rules: RuleSpec[] = [];
      for (let i = 0; i < 30; i++) {
        if (i === broken) continue;
        rules.push({
          universal: false,
          premises: [{ pred: i, person: 0, pos: true }],
          conclusions: [{ pred: i + 1, person: 0, pos: true }],
        });
      }
      const root = { pred: 30, person: 0, pos: true };
      return {
        facts: [{ pred: 0, person: 0, pos: true }],
        rules,
        candidates: [root],
        answer: 0,
        predCount: 31,
        peopleCount: 1,
      };
    };
    expect(dedupKey(chain(10))).not.toBe(dedupKey(chain(20)));
    expect(dedupKey(chain(10))).toBe(dedupKey(chain(10)));
  });

  it("draftKey is dedupKey of the draft's live facts and rules and its roots (gold first)", () => {
    // Drafts of every level and of varied sizes, interleaved, so reused buffers of a larger key
    // cannot leak into a smaller one.
    let checked = 0;
    for (let i = 0; i < 60; i++) {
      const level = LEVELS[i % LEVELS.length] ?? "implication";
      const depth = [1, 3, 12, 40][i % 4] ?? 1;
      const config = defaultConfig({
        level,
        depth,
        candidates: 2 + (i % 4),
        distractors: [i % 3, 6],
        ...(level === "quantification" ? { people: 2 + (i % 3) } : {}),
        ...(level === "implication" ? {} : { maxPremises: 2 + (i % 2) }),
      });
      const d = buildDraft(config, depth, makeRng(`dk${i}`));
      expect(draftKey(d)).toBe(dedupKey(keyInputOf(d)));
      if (d.facts.some((f) => !f.alive) || d.rules.some((r) => !r.alive)) checked++;
    }
    // Most drafts have dropped sentences (the corruption of trees 1 … B−1), which must be skipped.
    expect(checked).toBeGreaterThan(20);
  });

  it("assigns every key to exactly one of train, test, validation and the custom bucket", () => {
    for (let b = 0; b < 256; b++) {
      const key = b.toString(16).padStart(2, "0") + "00";
      const owners = ["train", "test", "validation", "mysplit"].filter((s) => splitOwns(s, key));
      expect(owners.length).toBe(1);
    }
  });
});
