// Each certification check has teeth: drafts broken in a specific way are rejected with the
// matching reason, and never turned into items.
import { describe, expect, it } from "vitest";
import { defaultConfig, type GenConfig } from "../../src/generator/config.js";
import { certifyDraft } from "../../src/generator/index.js";
import { assemble } from "../../src/generator/problem.js";
import { makeRng } from "../../src/generator/random.js";
import { axiomsOf, buildDraft, type Draft } from "../../src/generator/tree.js";

function draftOf(config: GenConfig, tag: string): Draft {
  return buildDraft(config, config.depth, makeRng(`certify-test-${tag}`));
}

describe("certification rejects broken drafts", () => {
  const config = defaultConfig({ level: "negation", depth: 5 });

  it("accepts the intact draft at its own depth", () => {
    const item = certifyDraft(config, 5, assemble(draftOf(config, "a"), makeRng("s")));
    expect(typeof item).toBe("object");
  });

  it("rejects a request deeper than the tree (a shorter derivation exists)", () => {
    expect(certifyDraft(config, 6, assemble(draftOf(config, "a"), makeRng("s")))).toBe("shortcut");
  });

  it("rejects a request shallower than the tree (gold proof height differs)", () => {
    expect(certifyDraft(config, 4, assemble(draftOf(config, "a"), makeRng("s")))).toBe("gold-proof");
  });

  it("rejects a gold tree with a missing fact (gold not entailed)", () => {
    const d = draftOf(config, "b");
    const root = d.roots[0];
    if (root === undefined) throw new Error("no gold tree");
    const [fact] = [...axiomsOf(root).facts];
    const f = d.facts[fact as number];
    if (f === undefined) throw new Error("no fact");
    f.alive = false;
    expect(certifyDraft(config, 5, assemble(d, makeRng("s")))).toBe("gold-not-entailed");
  });

  it("rejects a second candidate whose corruption was undone (two entailed)", () => {
    const impl = defaultConfig({ level: "implication", depth: 3 });
    const d = draftOf(impl, "c");
    for (const f of d.facts) f.alive = true;
    for (const r of d.rules) r.alive = true;
    expect(certifyDraft(impl, 3, assemble(d, makeRng("s")))).toBe("entailed-candidate");
  });

  it("rejects an inconsistent theory", () => {
    const d = draftOf(config, "d");
    const root = d.roots[0];
    if (root === undefined) throw new Error("no gold tree");
    const gold = d.facts[[...axiomsOf(root).facts][0] as number];
    const other = d.facts.find((f) => f.tree === 1 && f.alive);
    if (gold === undefined || other === undefined) throw new Error("no facts");
    other.value = { ...gold.value, pos: !gold.value.pos };
    expect(certifyDraft(config, 5, assemble(d, makeRng("s")))).toBe("inconsistent");
  });
});
