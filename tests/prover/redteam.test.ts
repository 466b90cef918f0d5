// Red-team suite for the checker: attempts to get reward 1 for an invalid proof.
//
// 1. The attack corpus data/corpus/redteam.jsonl: every case targets a problem whose goal is NOT
//    classically entailed (confirmed below with the decision procedures, which share no code with
//    the kernel), so an accept there would be a false reward. Each case is rejected in both modes.
// 2. A property test: generated items (every level) with random edits of their gold proofs, checked
//    against the real goal and against a wrong candidate as goal. Every accepted proof's goal and
//    every top-level literal line must be entailed by the theory. Seed printed; pin with FC_SEED.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { isLiteral, type Formula } from "../../src/logic/formula.js";
import { parseClaim } from "../../src/logic/english.js";
import { problemFromJson } from "../../src/logic/serialize.js";
import type { Problem } from "../../src/logic/theory.js";
import { check, DEFAULT_CHECK_OPTIONS, prepare, type PreparedProblem } from "../../src/prover/check.js";
import { entails } from "../../src/prover/decide.js";
import { ground, literalCode, type Grounded } from "../../src/prover/ground.js";
import { findBlock, readProof } from "../../src/prover/reader.js";
import type { Item } from "../../src/prover/proof.js";
import { defaultConfig, generateItem, type Level } from "../../src/generator/index.js";
import { Scorer } from "../../src/reward/score.js";

interface Case {
  readonly id: string;
  readonly note: string;
  readonly problem: unknown;
  readonly completion: string;
  readonly mode: "strict" | "lenient";
  readonly expect: "reject";
  readonly code: string;
}

const corpusFile = resolve(import.meta.dirname, "../../data/corpus/redteam.jsonl");
const cases: Case[] = readFileSync(corpusFile, "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as Case);

function problemOf(wire: unknown): Problem {
  const r = problemFromJson(wire);
  if (!r.ok) throw new Error(`bad problem: ${r.issues[0].message}`);
  return r.value;
}

function grounded(p: Problem, extra: readonly Formula[] = []): Grounded {
  const r = ground(p.theory, [p.goal, ...extra]);
  if (!r.ok) throw new Error(`cannot ground: ${r.issues[0].message}`);
  return r.grounded;
}

/** Classical entailment of a literal by the theory, decided on the grounded theory (not the kernel). */
function entailed(g: Grounded, f: Formula): boolean {
  const code = literalCode(g, f);
  // An atom the theory never mentions is unconstrained: neither it nor its negation is entailed
  // (the generated and corpus theories are consistent, checked below).
  return code >= 0 && entails(g, code);
}

describe("red-team corpus (data/corpus/redteam.jsonl)", () => {
  it("has at least 60 attack cases with unique ids", () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it("targets only problems whose goal is not entailed, so any accept is a false reward", () => {
    const seen = new Set<string>();
    for (const c of cases) {
      const key = JSON.stringify(c.problem);
      if (seen.has(key)) continue;
      seen.add(key);
      const p = problemOf(c.problem);
      const g = grounded(p);
      expect(entailed(g, p.goal), `${c.id}: goal must not be entailed`).toBe(false);
    }
    expect(seen.size).toBeGreaterThanOrEqual(5);
  });

  for (const c of cases) {
    it(`${c.id}: ${c.note}`, () => {
      const p = problemOf(c.problem);
      const r = check(p, c.completion, { mode: c.mode });
      expect(r.reward).toBe(0);
      expect(r.ok ? "accepted" : r.issues[0].code).toBe(c.code);
      // The other mode and a tiny search budget never turn a reject into an accept.
      const other = check(p, c.completion, { mode: c.mode === "strict" ? "lenient" : "strict" });
      expect(other.reward).toBe(0);
      expect(check(p, c.completion, { mode: "lenient", maxSearchWork: 3 }).reward).toBe(0);
    });
  }

  it("every case also scores 0 through the reward scorer, in both modes", () => {
    const scorer = new Scorer();
    for (const c of cases) {
      for (const mode of ["strict", "lenient"] as const) {
        const r = scorer.score({ completion: c.completion, problem: c.problem, task: "proof", mode });
        expect(r.reward, `${c.id} ${mode}`).toBe(0);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Property: random edits of generated gold proofs, judged by the decision procedures.

const seed =
  process.env["FC_SEED"] !== undefined && process.env["FC_SEED"] !== ""
    ? Number(process.env["FC_SEED"])
    : Math.floor(Math.random() * 2 ** 31);
console.log(
  `red-team property: FC_SEED=${seed} (replay with FC_SEED=${seed} npx vitest run tests/prover/redteam.test.ts)`,
);

interface Target {
  readonly prepared: PreparedProblem;
  readonly goal: Formula;
  /** The goal's English text, for edits that claim it. */
  readonly goalText: string;
}

interface Pooled {
  readonly id: string;
  readonly lines: readonly string[];
  readonly g: Grounded;
  /** The real problem, then the same theory with each wrong candidate as goal. */
  readonly targets: readonly Target[];
  /** Literal texts to splice into claims: candidates, facts and rule conclusions of the item. */
  readonly literals: readonly string[];
}

const LEVELS: readonly Level[] = ["implication", "conjunction", "negation", "disjunction", "quantification"];

function english(f: Formula): string {
  const neg = f.kind === "not";
  const a = neg ? f.body : f;
  if (a.kind !== "atom" || a.args.length !== 1 || a.args[0]?.kind !== "const") return "";
  return `${a.args[0].name} is ${neg ? "not " : ""}${a.pred}`;
}

function literalsOf(f: Formula, out: Set<string>): void {
  switch (f.kind) {
    case "atom":
    case "not": {
      const t = english(f);
      if (t !== "") out.add(t);
      return;
    }
    case "and":
    case "or":
      for (const g of f.items) literalsOf(g, out);
      return;
    case "implies":
      literalsOf(f.left, out);
      literalsOf(f.right, out);
      return;
    case "forall":
    case "falsum":
      return;
  }
}

function buildPool(): Pooled[] {
  const pool: Pooled[] = [];
  for (const level of LEVELS) {
    for (const depth of [2, 4]) {
      const config = defaultConfig({ level, depth, task: "proof" });
      for (let i = 0; i < 3; i++) {
        const item = generateItem(config, 7 + depth, i);
        const p = problemOf(item.problem);
        const candidates = p.candidates ?? [];
        const g = grounded(p, candidates);
        const real: Target = { prepared: prepare(p), goal: p.goal, goalText: english(p.goal) };
        const wrong = candidates
          .filter((_, k) => k !== p.answer)
          .map((goal): Target => {
            const q: Problem = { theory: p.theory, goal };
            return { prepared: prepare(q), goal, goalText: english(goal) };
          });
        const lits = new Set<string>();
        for (const f of [...p.theory.facts, ...p.theory.rules, ...candidates]) literalsOf(f, lits);
        const body = item.goldProof.replace("<proof>", "").replace("</proof>", "");
        pool.push({
          id: item.id,
          lines: body.split("\n").filter((l) => l.trim() !== ""),
          g,
          targets: [real, ...wrong],
          literals: [...lits],
        });
      }
    }
  }
  return pool;
}

/** One edit of a proof's lines; indices are taken modulo the current length. */
type Edit = {
  readonly op: "drop" | "dupe" | "flip" | "strip" | "reclaim" | "goal" | "bottom" | "wrap" | "renum";
  readonly i: number;
  readonly j: number;
  readonly k: number;
};

const editArb: fc.Arbitrary<Edit> = fc.record({
  op: fc.constantFrom("drop", "dupe", "flip", "strip", "reclaim", "goal", "bottom", "wrap", "renum"),
  i: fc.nat(200),
  j: fc.nat(200),
  k: fc.nat(200),
});

const JUSTIFICATIONS = [
  "",
  " [ex-falso {n}]",
  " [elim {n}, F{m}]",
  " [apply R{m} on {n}]",
  " [apply R{m} with Zed on {n}]",
  " [or-intro {n}]",
  " [and-elim {n}]",
  " [premise F{m}]",
  " [contradiction {n}, F{m}]",
  " [cases {n}]",
];

function splitLine(line: string): { label: string; claim: string; just: string } {
  const m = /^(\s*\d+[.):]\s+)?(.*?)(\s*\[[^\]]*\]\s*\.?)?\s*$/.exec(line);
  return { label: m?.[1] ?? "", claim: m?.[2] ?? line, just: m?.[3] ?? "" };
}

function applyEdit(lines: string[], e: Edit, it: Pooled, goalText: string): string[] {
  const n = lines.length;
  if (n === 0) return lines;
  const i = e.i % n;
  const j = e.j % n;
  const fill = (t: string): string =>
    t.replace("{n}", String(1 + (e.j % (n + 1)))).replace("{m}", String(1 + (e.k % 12)));
  const just = fill(JUSTIFICATIONS[e.k % JUSTIFICATIONS.length] as string);
  const lit = it.literals[e.k % Math.max(1, it.literals.length)] ?? goalText;
  const out = lines.slice();
  switch (e.op) {
    case "drop":
      out.splice(i, 1);
      return out;
    case "dupe":
      out.splice(j, 0, (lines[i] as string).replace(/^\s*\d+[.):]\s+/, ""));
      return out;
    case "flip": {
      const s = splitLine(lines[i] as string);
      const claim = s.claim.includes(" is not ")
        ? s.claim.replace(" is not ", " is ")
        : s.claim.replace(" is ", " is not ");
      out[i] = s.label + claim + s.just;
      return out;
    }
    case "strip":
      return out.map((l) => splitLine(l).label + splitLine(l).claim);
    case "reclaim": {
      const s = splitLine(lines[i] as string);
      out[i] = s.label + lit + "." + s.just;
      return out;
    }
    case "goal":
      out.push(`${900 + i}. ${goalText}.${just}`);
      return out;
    case "bottom":
      out.splice(i, 0, `${800 + i}. Contradiction.${just}`);
      return out;
    case "wrap": {
      const [a, b] = i <= j ? [i, j] : [j, i];
      out.splice(b + 1, 0, "end case");
      out.splice(a, 0, `${700 + a}. case ${lit}:`);
      return out;
    }
    case "renum": {
      const s = splitLine(lines[i] as string);
      out[i] = s.label + s.claim + s.just.replace(/\d+/, String(1 + (e.k % (n + 3))));
      return out;
    }
  }
}

/** Top-level claim formulas of a completion (lines outside every sub-proof). */
function topLevelClaims(completion: string): Formula[] {
  const block = findBlock(completion, DEFAULT_CHECK_OPTIONS);
  if ("code" in block) return [];
  const read = readProof(block, parseClaim, DEFAULT_CHECK_OPTIONS);
  if (!read.ok) return [];
  return read.proof.items
    .filter((x: Item): x is Extract<Item, { kind: "claim" }> => x.kind === "claim")
    .map((x) => x.formula);
}

const RUNS = 4000;

describe("red-team property: edited gold proofs of generated items", () => {
  const pool = buildPool();

  it("the pool's wrong candidates are not entailed and its theories are consistent", () => {
    for (const it of pool) {
      expect(it.targets.length, it.id).toBeGreaterThan(1);
      for (const t of it.targets.slice(1)) expect(entailed(it.g, t.goal), it.id).toBe(false);
      expect(entailed(it.g, it.targets[0]?.goal as Formula), it.id).toBe(true);
    }
  });

  it("no accepted edit proves a non-entailed goal or states a non-entailed top-level literal", () => {
    let acceptedReal = 0;
    let checks = 0;
    fc.assert(
      fc.property(
        fc.nat(pool.length - 1),
        fc.array(editArb, { minLength: 1, maxLength: 3 }),
        fc.nat(10),
        (pi, edits, ti) => {
          const it = pool[pi] as Pooled;
          const target = it.targets[ti % it.targets.length] as Target;
          let lines = it.lines.slice();
          for (const e of edits) lines = applyEdit(lines, e, it, target.goalText);
          // Retargeted runs must end in the wrong candidate, or they would fail trivially.
          if (target !== it.targets[0]) lines.push(`${990}. ${target.goalText}.`);
          const completion = "<proof>\n" + lines.join("\n") + "\n</proof>";
          for (const mode of ["strict", "lenient"] as const) {
            const r = check(target.prepared, completion, { mode });
            checks++;
            if (!r.ok) continue;
            if (target === it.targets[0]) acceptedReal++;
            if (!entailed(it.g, target.goal))
              throw new Error(`FALSE ACCEPT (${mode}) of ${it.id}, goal not entailed:\n${completion}`);
            for (const f of topLevelClaims(completion)) {
              if (f.kind === "falsum")
                throw new Error(
                  `FALSE ACCEPT (${mode}) of ${it.id}: a top-level contradiction\n${completion}`,
                );
              if (isLiteral(f) && !entailed(it.g, f))
                throw new Error(`FALSE ACCEPT (${mode}) of ${it.id}: line not entailed\n${completion}`);
            }
          }
        },
      ),
      { seed, numRuns: RUNS },
    );
    console.log(`red-team property: ${checks} checks, ${acceptedReal} accepted edits of real goals`);
    // Not vacuous: some edits keep the proof valid (duplicates, restated premises, stripped citations).
    expect(acceptedReal).toBeGreaterThan(0);
    expect(checks).toBe(2 * RUNS);
  });
});
