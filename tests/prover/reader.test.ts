import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { atom, constant, not, or, parseClaim, type Formula } from "../../src/logic/index.js";
import { RULE_NAMES } from "../../src/prover/kernel.js";
import { proofEquals, type Item, type Justification, type Proof, type Ref } from "../../src/prover/proof.js";
import { findBlock, readJustification, readProof, type ReadLimits } from "../../src/prover/reader.js";
import { renderProof } from "../../src/prover/render.js";
import { DEFAULT_CHECK_OPTIONS } from "../../src/prover/check.js";

const limits: ReadLimits = DEFAULT_CHECK_OPTIONS;
const seed = process.env["FC_SEED"] === undefined ? Date.now() % 2 ** 31 : Number(process.env["FC_SEED"]);
console.log(`reader property tests: FC_SEED=${seed}`);

function read(text: string) {
  const b = findBlock(text, limits);
  if ("code" in b) throw new Error(b.message);
  return readProof(b, parseClaim, limits);
}

describe("findBlock", () => {
  it("locates the block and its first line", () => {
    const b = findBlock("a\nb\n<proof>\nx\n</proof>\n", limits);
    expect(b).toEqual({ text: "\nx\n", firstLine: 3 });
  });
  it("refuses a 5 MB completion without scanning it", () => {
    const big = "<proof>\n" + "Alice is abcde.\n".repeat(330_000) + "</proof>";
    expect(findBlock(big, limits)).toMatchObject({ code: "size-limit" });
  });
  it("refuses a block over maxBytes counted in UTF-8", () => {
    const b = findBlock("<proof>" + "∧".repeat(30_000) + "</proof>", limits);
    expect(b).toMatchObject({ code: "size-limit" });
  });
});

describe("readJustification", () => {
  it("reads every documented form", () => {
    expect(readJustification("premise F2")).toEqual({
      rule: "premise",
      refs: [{ kind: "fact", index: 1 }],
      terms: [],
    });
    expect(readJustification("apply R7 with Bob on 3, F1")).toEqual({
      rule: "apply",
      refs: [
        { kind: "rule", index: 6 },
        { kind: "line", label: "3" },
        { kind: "fact", index: 0 },
      ],
      terms: ["Bob"],
    });
    expect(readJustification("ex falso 4")).toMatchObject({ rule: "ex-falso" });
    expect(readJustification("elim 4 and 5")).toMatchObject({ rule: "elim", refs: [{}, {}] });
    expect(readJustification("cases 6")).toMatchObject({ rule: "cases" });
  });
  it("rejects unknown rules and unreadable citations", () => {
    expect(readJustification("mp 1")).toMatch(/unknown rule/);
    expect(readJustification("apply R1 on x")).toMatch(/cannot read/);
    expect(readJustification("apply R1 with on 1")).toMatch(/with/);
    expect(readJustification("")).toMatch(/empty/);
  });
});

describe("readProof", () => {
  it("tolerates whitespace, blank lines, label styles and trailing periods", () => {
    const r = read(
      "<proof>\n\n   1. Alice is abcde.   \n(2) Alice is fghij [premise F1].\n3) abcde(Alice)\n\t4: Alice is not fghij\n</proof>",
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.proof.items.map((i) => i.label)).toEqual(["1", "2", "3", "4"]);
      expect(r.lines).toBe(4);
    }
  });
  it("reads nested sub-proof markers independent of indentation", () => {
    const r = read(
      "<proof>\n1. Alice is aa or Alice is bb.\ncase Alice is aa:\nassume Alice is not cc:\nContradiction.\nend assume\nAlice is cc.\nend case\n2. Case Alice is bb\nEnd case.\nAlice is cc. [cases 1]\n</proof>",
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      const kinds = r.proof.items.map((i) => i.kind);
      expect(kinds).toEqual(["claim", "case", "case", "claim"]);
    }
  });
  const bad: [string, string][] = [
    ["end case\n", "structure"],
    ["case Alice is aa:\nend assume\n", "structure"],
    ["assume Alice is aa:\nAlice is aa.\n", "open-subproof"],
    ["1. Alice is aa.\n1. Alice is bb.\n", "duplicate-label"],
    ["Alice is aa. [apply R1 on]]\n", "parse"],
    ["Alice is aa. premise F1]\n", "parse"],
    ["case Alice is aa: [premise F1]\nend case\n", "parse"],
    ["Alice is Aa.\n", "parse"],
    ["\n\n", "empty-proof"],
  ];
  for (const [text, code] of bad)
    it(`rejects ${JSON.stringify(text)} with ${code}`, () => {
      const r = read(`<proof>\n${text}</proof>`);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues[0].code).toBe(code);
    });
  it("enforces the line and nesting limits", () => {
    const many = "<proof>\n" + "Alice is aa.\n".repeat(3000) + "</proof>";
    const b = findBlock(many, limits);
    if ("code" in b) throw new Error("unexpected");
    const r = readProof(b, parseClaim, limits);
    expect(r).toMatchObject({ ok: false, issues: [{ code: "size-limit" }] });
    const deep = "<proof>\n" + "case Alice is aa:\n".repeat(70) + "</proof>";
    expect(read(deep)).toMatchObject({ ok: false, issues: [{ code: "size-limit" }] });
  });
});

// Random ASTs in the fragment for the round trip.
const people = fc.constantFrom("Alice", "Bob", "Carol");
const preds = fc.constantFrom("abcde", "fghij", "klmno", "pqrst");
const lit: fc.Arbitrary<Formula> = fc
  .tuple(preds, people, fc.boolean())
  .map(([p, c, pos]) => (pos ? atom(p, [constant(c)]) : not(atom(p, [constant(c)]))));
const claim: fc.Arbitrary<Formula> = fc.oneof(
  lit,
  fc.array(lit, { minLength: 2, maxLength: 3 }).map((ls) => or(ls)),
);
const ref: fc.Arbitrary<Ref> = fc.oneof(
  fc.nat(30).map((n): Ref => ({ kind: "line", label: String(n + 1) })),
  fc.nat(9).map((n): Ref => ({ kind: "fact", index: n })),
  fc.nat(9).map((n): Ref => ({ kind: "rule", index: n })),
);
const just: fc.Arbitrary<Justification> = fc
  .tuple(
    fc.constantFrom(...RULE_NAMES),
    fc.array(ref, { minLength: 1, maxLength: 3 }),
    fc.array(people, { maxLength: 1 }),
  )
  .map(([rule, refs, terms]) => ({ rule, refs, terms: rule === "apply" ? terms : [] }));

function labelled(items: Item[]): Item[] {
  let n = 0;
  const go = (xs: Item[]): Item[] =>
    xs.map((x) => {
      const label = String(++n);
      return x.kind === "claim" ? { ...x, label } : { ...x, label, body: go(x.body as Item[]) };
    });
  return go(items);
}
const item: fc.Arbitrary<Item> = fc.letrec<{ item: Item }>((tie) => ({
  item: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc
      .tuple(claim, fc.option(just, { nil: undefined }))
      .map(([formula, j]): Item =>
        j === undefined
          ? { kind: "claim", line: 0, formula }
          : { kind: "claim", line: 0, formula, justification: j },
      ),
    fc
      .tuple(
        fc.constantFrom("case" as const, "assume" as const),
        lit,
        fc.array(tie("item"), { maxLength: 3 }),
      )
      .map(([kind, assumption, body]): Item => ({ kind, line: 0, endLine: 0, assumption, body })),
  ),
})).item;

describe("round trip", () => {
  it("read(render(proof)) equals proof, English and symbolic", () => {
    fc.assert(
      fc.property(
        fc.array(item, { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        fc.constantFrom("english", "symbolic" as const),
        (items, lab, style) => {
          const proof: Proof = { items: lab ? labelled(items) : items };
          const text = renderProof(proof, { style: style as "english" | "symbolic" });
          const r = read(text);
          if (!r.ok) throw new Error(`${r.issues[0].message}\n${text}`);
          expect(proofEquals(r.proof, proof)).toBe(true);
          expect(renderProof(r.proof, { style: style as "english" | "symbolic" })).toBe(text);
        },
      ),
      { seed, numRuns: 300 },
    );
  });
});
