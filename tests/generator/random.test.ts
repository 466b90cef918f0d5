// makeRng is a thin layer over seedrandom's alea stream: every helper consumes exactly the draws its
// contract names, in order, so items stay reproducible across refactorings of the layer.
import { describe, expect, it } from "vitest";
import seedrandom from "seedrandom";
import { attemptSeed, itemSeed, makeRng } from "../../src/generator/random.js";

describe("makeRng", () => {
  it("follows the alea stream of its seed through every helper", () => {
    const seed = attemptSeed(itemSeed("cfg", 7, "train", 3), 2);
    const rng = makeRng(seed);
    const ref = seedrandom.alea(seed);
    for (let i = 0; i < 50; i++) {
      expect(rng.next()).toBe(ref());
      expect(rng.int(7)).toBe(Math.floor(ref() * 7));
      expect(rng.range(2, 5)).toBe(2 + Math.floor(ref() * 4));
      expect(rng.chance(0.3)).toBe(ref() < 0.3);
      const xs = ["a", "b", "c"];
      expect(rng.pick(xs)).toBe(xs[Math.floor(ref() * 3)]);
    }
    const shuffled = rng.shuffle([0, 1, 2, 3, 4, 5]);
    const expected = [0, 1, 2, 3, 4, 5];
    for (let i = expected.length - 1; i > 0; i--) {
      const j = Math.floor(ref() * (i + 1));
      [expected[i], expected[j]] = [expected[j] as number, expected[i] as number];
    }
    expect(shuffled).toEqual(expected);
    expect(rng.next()).toBe(ref());
  });

  it("rejects picking from an empty array without drawing", () => {
    const rng = makeRng("empty");
    const ref = seedrandom.alea("empty");
    expect(() => rng.pick([])).toThrow(RangeError);
    expect(rng.next()).toBe(ref());
  });
});
