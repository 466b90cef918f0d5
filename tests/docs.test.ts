// Keeps the docs honest in the two ways a reader trips over first: a relative link that goes
// nowhere, and a `scalelogic <sub>` that the program does not have. Cheap: reads files only.
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { commandLoaders } from "../src/cli/commands.js";

const root = resolve(import.meta.dirname, "..");

const docFiles: readonly string[] = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => join("docs", name)),
];

/** Link targets of inline markdown links `[text](target)`, without titles. */
function linkTargets(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1];
    if (target !== undefined) out.push(target);
  }
  return out;
}

/** Names used as `scalelogic <name>`; TPTP comment headers (`% scalelogic item …`) are data, not commands. */
function subcommands(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<!% )(?<![\w/-])scalelogic ([a-z][a-z-]*)/g)) {
    const name = m[1];
    if (name !== undefined) out.push(name);
  }
  return out;
}

describe("docs", () => {
  it("finds the README and the docs pages", () => {
    expect(docFiles).toContain("README.md");
    expect(docFiles.length).toBeGreaterThan(5);
  });

  it("helpers see links and commands (and skip TPTP headers)", () => {
    expect(linkTargets("see [a](docs/a.md#x) and [b](https://e.org)")).toEqual([
      "docs/a.md#x",
      "https://e.org",
    ]);
    expect(subcommands("run `scalelogic fit x` then scalelogic nope\n% scalelogic item 1/2/3")).toEqual([
      "fit",
      "nope",
    ]);
  });

  for (const file of docFiles) {
    it(`${file}: every relative link points at an existing file`, () => {
      const text = readFileSync(join(root, file), "utf8");
      const broken: string[] = [];
      for (const target of linkTargets(text)) {
        if (/^[a-z][a-z+.-]*:/i.test(target) || target.startsWith("#")) continue;
        const path = decodeURIComponent(target.split("#")[0] ?? "");
        if (!existsSync(resolve(root, dirname(file), path))) broken.push(target);
      }
      expect(broken).toEqual([]);
    });

    it(`${file}: every \`scalelogic <sub>\` is a real command`, () => {
      const text = readFileSync(join(root, file), "utf8");
      const unknown = subcommands(text).filter((name) => !Object.hasOwn(commandLoaders, name));
      expect(unknown).toEqual([]);
    });
  }
});
