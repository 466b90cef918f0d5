// The read cache (claim and justification readings kept per prepared problem) must never change a
// verdict: checks with the cache off, at its default size and at a tiny size (emptied all the
// time) agree exactly on mutated gold proofs of generated items. The prepared problems live for
// the whole file, so later completions hit readings cached from earlier ones. Seeds print; pin
// with FC_SEED.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { problemFromJson } from "../../src/logic/serialize.js";
import { check, prepare, type PreparedProblem } from "../../src/prover/check.js";
import { defaultConfig, generateItem, type Level } from "../../src/generator/index.js";

const seed = process.env["FC_SEED"] === undefined ? Date.now() % 2 ** 31 : Number(process.env["FC_SEED"]);
console.log(`read-cache property tests: FC_SEED=${seed}`);

interface Subject {
  readonly lines: readonly string[];
  readonly people: readonly string[];
  readonly off: PreparedProblem;
  readonly tiny: PreparedProblem;
  readonly usual: PreparedProblem;
}

const LEVELS: readonly Level[] = ["implication", "conjunction", "negation", "disjunction", "quantification"];
const subjects: Subject[] = [];
for (const level of LEVELS)
  for (const depth of [1, 3, 6])
    for (let i = 0; i < 2; i++) {
      const item = generateItem(defaultConfig({ level, depth }), 20260, i);
      const p = problemFromJson(item.problem);
      if (!p.ok) throw new Error(`generated problem does not read back: ${p.issues[0].message}`);
      const people = [...new Set(item.goldProof.match(/\b[A-Z][a-z]+\b/g) ?? [])];
      subjects.push({
        lines: item.goldProof.split("\n"),
        people,
        off: prepare(p.value, { readCacheSize: 0 }),
        tiny: prepare(p.value, { readCacheSize: 2 }),
        usual: prepare(p.value),
      });
    }

type Mutation = readonly [kind: number, a: number, b: number];

/** One textual edit of a proof, of the kinds a model's near misses have. */
function mutate(lines: string[], [kind, a, b]: Mutation, people: readonly string[]): string[] {
  const n = lines.length;
  if (n === 0) return lines;
  const i = a % n;
  const j = b % n;
  const at = lines[i] as string;
  const other = lines[j] as string;
  const m = lines.slice();
  switch (kind) {
    case 0:
      m.splice(i, 1);
      break;
    case 1:
      [m[i], m[j]] = [other, at];
      break;
    case 2:
      m[i] = at.includes(" is not ") ? at.replace(" is not ", " is ") : at.replace(" is ", " is not ");
      break;
    case 3:
      m[i] = at.replace(/\s*\[[^\]]*\]\s*$/, "");
      break;
    case 4:
      m[i] = at.replace(
        /(\[[^\]]*?)(\d+)/,
        (_, pre: string, d: string) => pre + String(Number(d) + (b % 3) - 1),
      );
      break;
    case 5:
      m.splice(i, 0, at);
      break;
    case 6: {
      // this line's claim with another line's justification
      const just = /\[[^\]]*\]/.exec(other)?.[0] ?? "";
      m[i] = at.replace(/\[[^\]]*\]/, just);
      break;
    }
    case 7:
      m[i] = at.replace(/\.( \[|$)/, "$1");
      break;
    case 8: {
      const from = people[a % Math.max(1, people.length)];
      const to = people[b % Math.max(1, people.length)];
      if (from !== undefined && to !== undefined) m[i] = at.split(from).join(to);
      break;
    }
    case 9:
      m[i] = at.replace("[apply", "[Apply").replace(" on ", ", ");
      break;
    default:
      m[i] = at.replace(/^\d+\. /, "");
  }
  return m;
}

describe("read cache: verdicts do not depend on it", () => {
  it("off, tiny and default caches agree on mutated gold proofs, both modes", () => {
    let accepted = 0;
    let total = 0;
    fc.assert(
      fc.property(
        fc.nat(subjects.length - 1),
        fc.array(fc.tuple(fc.nat(10), fc.nat(), fc.nat()), { maxLength: 3 }),
        fc.constantFrom("strict" as const, "lenient" as const),
        (s, edits, mode) => {
          const subject = subjects[s] as Subject;
          let lines = subject.lines.slice();
          for (const e of edits) lines = mutate(lines, e, subject.people);
          const text = `Reasoning first.\n<proof>\n${lines.join("\n")}\n</proof>`;
          const off = check(subject.off, text, { mode });
          expect(check(subject.usual, text, { mode })).toEqual(off);
          expect(check(subject.tiny, text, { mode })).toEqual(off);
          total++;
          if (off.ok) accepted++;
        },
      ),
      { seed, numRuns: 1500 },
    );
    console.log(`read cache: ${total} completions, ${accepted} accepted`);
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(total);
  });

  it("the cache stays within its size", () => {
    for (const subject of subjects) {
      for (const p of [subject.tiny, subject.usual]) {
        const cache = p.readCache;
        expect(cache).toBeDefined();
        if (cache === undefined) continue;
        expect(cache.claims.size).toBeLessThanOrEqual(cache.capacity);
        expect(cache.justifications.size).toBeLessThanOrEqual(cache.capacity);
      }
      expect(subject.off.readCache).toBeUndefined();
    }
  });
});
