// The reader's in-place fast paths (claims read by `quickClaim` and justifications read without
// cutting them out of the block) must give exactly what reading the cut-out strings gives. A read
// cache that has been entered once makes `readProof` take the string paths (`parseClaim` and
// `readJustification` on slices), so each text is read both ways and the results compared whole:
// proof, line numbers, issues. Texts are built from lines that sit on the fast paths' edges (case,
// separators, fillers, `with` lists, citations of nothing, leading zeros, look-alike characters).
// Seeds print; pin with FC_SEED.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseClaim } from "../../src/logic/english.js";
import { DEFAULT_CHECK_OPTIONS } from "../../src/prover/check.js";
import {
  ReadCache,
  readJustification,
  readProof,
  type ReadLimits,
  type ReadResult,
} from "../../src/prover/reader.js";
import { propertySeed } from "../logic/arbitrary.js";

const runs = { seed: propertySeed("inplace.test.ts"), numRuns: 2000 };

function readBothWays(text: string, limits: ReadLimits = DEFAULT_CHECK_OPTIONS): [ReadResult, ReadResult] {
  const block = { text, firstLine: 1 };
  const inPlace = readProof(block, parseClaim, limits);
  const cache = new ReadCache(parseClaim, 4);
  cache.enter();
  const sliced = readProof(block, parseClaim, limits, cache);
  return [inPlace, sliced];
}

const ruleWord = fc.constantFrom(
  "premise",
  "PREMISE",
  "Apply",
  "apply",
  "elim",
  "and-intro",
  "AND-Elim",
  "or-intro",
  "ex-falso",
  "ex",
  "falso",
  "and",
  "intro",
  "cases",
  "contradiction",
  "reductio",
  "assume",
  "applyy",
  "app",
  "",
);
const citation = fc.constantFrom(
  "1",
  "2",
  "07",
  "0",
  "000",
  "12",
  "L3",
  "l3",
  "F1",
  "f2",
  "R3",
  "r10",
  "F0",
  "R00",
  "R0012",
  "F1234567890",
  "4096",
  "4097",
  "999999999",
  "1234567890",
  "L",
  "F",
  "R",
  "X1",
  "3a",
);
const filler = fc.constantFrom(
  "on",
  "ON",
  "from",
  "and",
  "to",
  "using",
  "of",
  "line",
  "Lines",
  "with",
  "With",
);
const person = fc.constantFrom("Bob", "Ann", "Al_b", "X", "F", "F1", "L2", "R3", "bob", "B0b", "Bob1");
const sep = fc.constantFrom(" ", ", ", ",", "; ", "\t", "  ", " , ");
const token = fc.oneof(
  citation,
  citation,
  filler,
  person,
  ruleWord,
  fc.constantFrom("K", "\u212a", "é", "]"),
);
const justification = fc
  .tuple(ruleWord, fc.array(fc.tuple(sep, token), { maxLength: 7 }), fc.constantFrom("", " ", ","))
  .map(([r, rest, end]) => r + rest.map(([s, t]) => s + t).join("") + end);

const claim = fc.constantFrom(
  "Bob is mirok",
  "Bob is not mirok",
  "Bob  is\tnot tazel",
  "Ann is mirok or Bob is tazel",
  "Ann is mirok and Ann is not tazel and Bob is q1",
  "Ann is mirok or Bob is tazel and Ann is x",
  "If is mirok",
  "Bob is not",
  "Bob is",
  "Bob is forall",
  "Bob is Mirok",
  "Bob iss mirok",
  "mirok(Bob)",
  "~mirok(Bob) | tazel(Ann)",
  "Contradiction",
  "false",
  "Bob",
  "",
);
const label = fc.constantFrom("", "1. ", "2) ", "(3) ", "4: ", "007. ", "4096. ", "12.5 ", "1234567890. ");
const line = fc.oneof(
  fc
    .tuple(label, claim, fc.constantFrom(".", "", " ."), justification)
    .map(([l, c, p, j]) => `${l}${c}${p} [${j}]`),
  fc.tuple(label, claim, fc.constantFrom(".", "")).map(([l, c, p]) => `${l}${c}${p}`),
  fc.tuple(fc.constantFrom("case ", "assume "), claim).map(([k, c]) => `${k}${c}:`),
  fc.constantFrom("end case", "end assume", "end cases."),
);
const proofText = fc.array(line, { minLength: 1, maxLength: 8 }).map((ls) => ls.join("\n"));

describe("in-place reading agrees with reading cut-out strings", () => {
  it("on generated lines", () => {
    fc.assert(
      fc.property(proofText, (text) => {
        const [a, b] = readBothWays(text);
        expect(a).toEqual(b);
      }),
      runs,
    );
  });

  it("on a justification alone", () => {
    fc.assert(
      fc.property(justification, (j) => {
        const [a, b] = readBothWays(`Bob is mirok. [${j}]`);
        expect(a).toEqual(b);
        // The reading of the one line is readJustification's.
        const want = readJustification(j);
        if (typeof want === "string") expect(a.ok ? "" : a.issues[0].message).toBe(want);
        else expect(a.ok ? a.proof.items[0] : undefined).toMatchObject({ justification: want });
      }),
      runs,
    );
  });

  it("at the claim size limit", () => {
    const lists = fc
      .array(fc.constantFrom("A is p", "A is not p", "Ann is mirok", "A is q1"), {
        minLength: 1,
        maxLength: 6,
      })
      .chain((ls) => fc.constantFrom(ls.join(" or "), ls.join(" and "), ls.join("  or  ")));
    fc.assert(
      fc.property(lists, fc.integer({ min: 1, max: 24 }), (claim, max) => {
        const limits = { ...DEFAULT_CHECK_OPTIONS, maxFormulaSize: max };
        const [a, b] = readBothWays(`1. ${claim}. [premise F1]`, limits);
        expect(a).toEqual(b);
      }),
      runs,
    );
  });

  it("on the common shapes", () => {
    for (const text of [
      "1. Bob is mirok. [premise F1]\n2. Bob is tazel. [apply R2 on 1]",
      "1. Bob is mirok. [apply R2 with Bob on 1, F3]",
      "3. Bob is mirok or Bob is q. [apply R2 with Bob Ann on 1 and 2]",
      "case Bob is mirok:\n5. Bob is q. [apply R4 on 4]\nend case",
    ]) {
      const [a, b] = readBothWays(text);
      expect(a.ok).toBe(true);
      expect(a).toEqual(b);
    }
  });
});
