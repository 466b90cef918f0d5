import { describe, expect, it } from "vitest";
import { newBytes, newFloat64s, newInt32s, newInt8s, newRegion } from "../../src/prover/slab.js";

function regionBytes(n: number): Uint8Array {
  const { buffer, offset } = newRegion(n);
  return new Uint8Array(buffer, offset, n);
}

describe("slab allocation", () => {
  it("hands out zeroed, pairwise disjoint arrays, also across buffer boundaries", () => {
    // Enough requests of assorted sizes to fill several 32 KiB buffers.
    const arrays: { a: Uint8Array | Int8Array | Int32Array | Float64Array; mark: number }[] = [];
    for (let i = 0; i < 400; i++) {
      const n = 1 + ((i * 37) % 3000);
      const kind = i % 5;
      const a =
        kind === 0
          ? newBytes(n)
          : kind === 1
            ? newInt8s(n)
            : kind === 2
              ? newInt32s(n >> 2)
              : kind === 3
                ? newFloat64s(n >> 3)
                : regionBytes(n);
      expect(a.every((x) => x === 0)).toBe(true);
      const mark = (i % 100) + 1;
      a.fill(mark);
      arrays.push({ a, mark });
    }
    // Writing every array did not touch any other.
    for (const { a, mark } of arrays) expect(a.every((x) => x === mark)).toBe(true);
  });

  it("aligns every region for 8-byte elements", () => {
    for (let i = 0; i < 50; i++) {
      newBytes(65 + i);
      expect(newFloat64s(9).byteOffset % 8).toBe(0);
      expect(newRegion(3 + i).offset % 8).toBe(0);
    }
  });
});
