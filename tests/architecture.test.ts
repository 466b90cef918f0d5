// Keeps the dependency picture in STYLE.md true: logic ← prover ← generator ← curriculum, fit
// depends on nothing of ours, reward/service/cli sit on top, and the trusted kernel imports only
// the formula and theory definitions.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, dirname, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const src = join(root, "src");

const allowed: Record<string, readonly string[]> = {
  logic: ["logic"],
  prover: ["logic", "prover"],
  generator: ["logic", "prover", "generator"],
  curriculum: ["logic", "prover", "generator", "curriculum"],
  fit: ["fit"],
  reward: ["logic", "prover", "generator", "reward"],
  service: ["logic", "prover", "generator", "curriculum", "reward", "service", "fit"],
  cli: ["logic", "prover", "generator", "curriculum", "reward", "service", "fit", "cli"],
};

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

function relativeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs: string[] = [];
  // Static `from "…"` and dynamic `import("…")` specifiers that are relative paths.
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
    if (m[1] !== undefined) specs.push(m[1]);
  }
  return specs;
}

describe("architecture", () => {
  const files = tsFiles(src);

  it("finds the source tree", () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it("imports only point in the allowed directions", () => {
    const violations: string[] = [];
    for (const file of files) {
      const folder = relative(src, file).split("/")[0] ?? "";
      const ok = allowed[folder];
      if (ok === undefined) continue;
      for (const spec of relativeImports(file)) {
        const target = relative(src, resolve(dirname(file), spec));
        if (target.startsWith("..")) continue; // outside src (e.g. bench): checked elsewhere
        const targetFolder = target.split("/")[0] ?? "";
        if (!ok.includes(targetFolder)) violations.push(`${relative(root, file)} → ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("the trusted kernel imports nothing but the formula and theory definitions", () => {
    const kernel = join(src, "prover", "kernel.ts");
    const specs = relativeImports(kernel);
    expect(specs.length).toBeGreaterThan(0);
    for (const spec of specs) expect(["../logic/formula.js", "../logic/theory.js"]).toContain(spec);
    const text = readFileSync(kernel, "utf8");
    expect(text).not.toMatch(/\bMath\.random\b|\bDate\.now\b|\bperformance\.now\b|from\s+["']node:/);
  });
});
