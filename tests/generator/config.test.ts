// Configuration validation (issues name the field, never throw) and clear errors for settings the
// generator cannot meet.
import { describe, expect, it } from "vitest";
import {
  configHash,
  ConfigError,
  defaultConfig,
  LEVELS,
  parseConfig,
  PRESET_DEPTH,
  validateConfig,
} from "../../src/generator/config.js";
import { GenerationError, generateItem } from "../../src/generator/index.js";

describe("validateConfig", () => {
  it("fills defaults per level", () => {
    for (const level of LEVELS) {
      const r = validateConfig({ level });
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.config.depth).toBe(PRESET_DEPTH[level]);
      expect(r.config.candidates).toBe(4);
      expect(r.config.distractors).toEqual([0, 5]);
      expect(r.config.people).toBe(level === "quantification" ? 2 : 1);
      expect(r.config.split).toBe("train");
    }
  });

  it.each([
    [null, "config"],
    [[], "config"],
    [{ level: "modal" }, "level"],
    [{ depth: 0 }, "depth"],
    [{ depth: 1.5 }, "depth"],
    [{ depth: 1000 }, "depth"],
    [{ mix: "gaussian" }, "mix"],
    [{ task: "essay" }, "task"],
    [{ candidates: 0 }, "candidates"],
    [{ distractors: [3, 1] }, "distractors"],
    [{ distractors: [0] }, "distractors"],
    [{ level: "quantification", people: 1 }, "people"],
    [{ level: "negation", people: 3 }, "people"],
    [{ level: "conjunction", maxPremises: 1 }, "maxPremises"],
    [{ level: "implication", maxPremises: 2 }, "maxPremises"],
    [{ level: "disjunction", maxDisjuncts: 1 }, "maxDisjuncts"],
    [{ level: "negation", maxDisjuncts: 2 }, "maxDisjuncts"],
    [{ split: "Train Set" }, "split"],
    [{ colour: "blue" }, "colour"],
  ])("rejects %j naming %s", (input, field) => {
    const r = validateConfig(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.some((i) => i.startsWith(field))).toBe(true);
    expect(() => parseConfig(input)).toThrow(ConfigError);
  });

  it("hashes canonically: key order does not matter, any field change does", () => {
    const a = defaultConfig({ level: "negation", depth: 7 });
    const b = parseConfig({ depth: 7, level: "negation" });
    expect(configHash(a)).toBe(configHash(b));
    expect(configHash(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(configHash({ ...a, split: "test" })).not.toBe(configHash(a));
    expect(configHash({ ...a, depth: 8 })).not.toBe(configHash(a));
  });
});

describe("infeasible settings", () => {
  it("an invalid config is a GenerationError naming the field", () => {
    expect(() => generateItem({ ...defaultConfig(), depth: 0 }, 1, 0)).toThrow(GenerationError);
    expect(() => generateItem({ ...defaultConfig(), depth: 0 }, 1, 0)).toThrow(/depth/);
  });

  it("bad seeds and indices are GenerationErrors naming them", () => {
    for (const [seed, index, what] of [
      [-1, 0, "seed"],
      [1.5, 0, "seed"],
      [Number.NaN, 0, "seed"],
      [1, -2, "index"],
      [1, 2 ** 60, "index"],
    ] as const) {
      expect(() => generateItem(defaultConfig(), seed, index)).toThrow(GenerationError);
      expect(() => generateItem(defaultConfig(), seed, index)).toThrow(new RegExp(what));
    }
  });

  it("a structure space too small to split gives a clear error instead of hanging", () => {
    // Depth 1, one candidate, no distractors: every draft has the same structure, so only the
    // split that owns that one key can be generated; the other must fail with a clear message.
    const base = defaultConfig({ level: "implication", depth: 1, candidates: 1, distractors: [0, 0] });
    const outcomes = ["train", "test"].map((split) => {
      try {
        generateItem({ ...base, split }, 1, 0);
        return "ok";
      } catch (e) {
        expect(e).toBeInstanceOf(GenerationError);
        expect((e as Error).message).toMatch(/split "(train|test)"/);
        expect((e as GenerationError).setting).toContain("depth=1");
        return "error";
      }
    });
    expect(outcomes.sort()).toEqual(["error", "ok"]);
  });
});
