// The claim parsers' fast paths (quickEnglish, quickSymbolic) must accept only what the full
// parser reads to the same tree. Each test compares a text with a variant the fast path never
// takes — a trailing period (English) or enclosing parentheses (symbolic) — over literal lists
// built to sit on the fast path's edges and over random strings. Seeds print; pin with FC_SEED.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEnglish } from "../../src/logic/english.js";
import { formulaEquals } from "../../src/logic/formula.js";
import { parseSymbolic } from "../../src/logic/symbolic.js";

const seed = process.env["FC_SEED"] === undefined ? Date.now() % 2 ** 31 : Number(process.env["FC_SEED"]);
console.log(`fast-path property tests: FC_SEED=${seed}`);
const runs = { seed, numRuns: 1500 };

type Parse = typeof parseEnglish;

/** Same verdict and, when both read the text, the same formula. */
function agree(parse: Parse, text: string, forced: string): void {
  const a = parse(text);
  const b = parse(forced);
  expect(a.ok, JSON.stringify(text)).toBe(b.ok);
  if (a.ok && b.ok) expect(formulaEquals(a.value, b.value), JSON.stringify(text)).toBe(true);
}

// Names and predicates include reserved words, keywords, wrong case and underscores/digits.
const name = fc.constantFrom(
  "Ann",
  "Bob",
  "X",
  "Y1",
  "Al_b",
  "A",
  "If",
  "For",
  "Contradiction",
  "ann",
  "B0b",
);
const pred = fc.constantFrom(
  "mirok",
  "tazel",
  "q1",
  "p",
  "x_y",
  "is",
  "not",
  "and",
  "or",
  "forall",
  "all",
  "Mirok",
  "pQ",
);
const gap = fc.constantFrom(" ", " ", " ", "  ", "\t", " \t", "");
const conn = fc.constantFrom("and", "or", "And", "andor", "");

const englishList = fc
  .array(fc.tuple(name, gap, fc.boolean(), gap, pred, gap, conn, gap), { minLength: 1, maxLength: 5 })
  .chain((items) =>
    fc.tuple(fc.constant(items), gap, gap).map(([xs, lead, trail]) => {
      let s = lead;
      xs.forEach(([n, g1, negated, g2, p, g3, c, g4], i) => {
        s += `${n}${g1}is${g2}${negated ? "not" + g2 : ""}${p}`;
        if (i < xs.length - 1) s += `${g3}${c}${g4}`;
      });
      return s + trail;
    }),
  );

const neg = fc.constantFrom("", "", "~", "¬", "~ ", "¬ ", "~~", "!");
const op = fc.constantFrom("∧", "∨", "&", "|", "&&", "||", "->", ",", "");
const symbolicList = fc
  .array(fc.tuple(gap, neg, pred, gap, name, gap, gap, op), { minLength: 1, maxLength: 5 })
  .map((xs) =>
    xs
      .map(
        ([g1, n, p, g2, t, g3, g4, o], i) =>
          `${g1}${n}${p}${g2}(${g3}${t}${g4})${i < xs.length - 1 ? o : ""}`,
      )
      .join(""),
  );

const pieces = fc.constantFrom(
  "Ann",
  "Bob",
  " ",
  "\t",
  "is",
  "not",
  "and",
  "or",
  "mirok",
  "tazel",
  "X",
  "(",
  ")",
  "~",
  "¬",
  "&",
  "|",
  "∧",
  "∨",
  ",",
  ".",
  "_",
  "1",
  "If",
  "then",
  "forall",
  "$false",
  "→",
  "->",
);
const tokenSoup = fc.array(pieces, { maxLength: 14 }).map((xs) => xs.join(""));
const anyText = fc.string({ maxLength: 30 });

describe("parseEnglish fast path agrees with the full parser (forced by a trailing period)", () => {
  // A text that already ends in a period has no period-free twin, so it is left out.
  const english = (s: string): boolean => !s.trimEnd().endsWith(".");
  for (const [label, arb] of [
    ["literal lists", englishList],
    ["token soup", tokenSoup],
    ["random strings", anyText],
  ] as const) {
    it(label, () => {
      let read = 0;
      fc.assert(
        fc.property(arb.filter(english), (t) => {
          if (parseEnglish(t).ok) read++;
          agree(parseEnglish, t, t + ".");
        }),
        runs,
      );
      if (label === "literal lists") expect(read).toBeGreaterThan(0);
    });
  }
});

describe("parseSymbolic fast path agrees with the full parser (forced by parentheses)", () => {
  it("literal lists", () => {
    let read = 0;
    fc.assert(
      fc.property(symbolicList, (t) => {
        if (parseSymbolic(t).ok) read++;
        agree(parseSymbolic, t, "(" + t + ")");
      }),
      runs,
    );
    expect(read).toBeGreaterThan(0);
  });

  // Parentheses can repair an unbalanced text ("p(A)) | (q(B)"), so on arbitrary strings only the
  // direction that matters is asserted: whatever reads unforced reads the same forced.
  for (const [label, arb] of [
    ["token soup", tokenSoup],
    ["random strings", anyText],
  ] as const) {
    it(label, () => {
      fc.assert(
        fc.property(arb, (t) => {
          const a = parseSymbolic(t);
          if (!a.ok) return;
          const b = parseSymbolic("(" + t + ")");
          expect(b.ok, JSON.stringify(t)).toBe(true);
          if (b.ok) expect(formulaEquals(a.value, b.value), JSON.stringify(t)).toBe(true);
        }),
        runs,
      );
    });
  }
});
