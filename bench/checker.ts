/**
 * Checker benchmark: kernel inference steps/s, end-to-end proofs/s (strict and lenient) on
 * synthetic chain problems of depth 4–64, and the median latency of a lenient depth-16 check.
 * Baseline, measured in the same run: JSON.parse of the same completion bytes (as a JSON string).
 * Run alone: `node dist/bench/checker.js [--scale S]` prints the report as JSON.
 */
import { fileURLToPath } from "node:url";
import { atom, constant, forall, fvar, implies, and, not, type Formula } from "../src/logic/formula.js";
import type { Problem } from "../src/logic/theory.js";
import { isFailure, type Theorem } from "../src/prover/kernel.js";
import { check, prepare, type PreparedProblem } from "../src/prover/check.js";
import type { BenchFigure, BenchOptions, BenchReport } from "./report.js";

const X = fvar("X");
const pred = (i: number): string =>
  "p" + String.fromCharCode(97 + (i % 26)) + String.fromCharCode(97 + Math.floor(i / 26));

/**
 * A depth-D chain about Alice: facts p0(Alice) and side facts s_i(Alice); rule i is
 * ∀X (p_i(X) ∧ s_i(X) → p_{i+1}(X)) for even i and the ground p_i(Alice) → p_{i+1}(Alice) for odd i,
 * plus D distractor rules that never fire. Goal p_D(Alice).
 */
export function chainProblem(depth: number): Problem {
  const alice = constant("Alice");
  const lit = (p: string, t = alice as Parameters<typeof atom>[1][number]): Formula => atom(p, [t]);
  const facts: Formula[] = [lit(pred(0))];
  const rules: Formula[] = [];
  for (let i = 0; i < depth; i++) {
    if (i % 2 === 0) {
      facts.push(lit("s" + pred(i)));
      rules.push(forall("X", implies(and([lit(pred(i), X), lit("s" + pred(i), X)]), lit(pred(i + 1), X))));
    } else rules.push(implies(lit(pred(i)), lit(pred(i + 1))));
  }
  for (let i = 0; i < depth; i++)
    rules.push(forall("X", implies(not(lit("z" + pred(i), X)), lit(pred(i + 1), X))));
  return { theory: { facts, rules }, goal: lit(pred(depth)) };
}

/** The strict proof text of `chainProblem(depth)`; `lenient` drops every citation. */
export function chainProof(depth: number, lenient: boolean): string {
  const lines: string[] = [];
  let side = 2;
  for (let i = 0; i < depth; i++) {
    const prev = i === 0 ? "F1" : String(i);
    let just: string;
    if (i % 2 === 0) just = `[apply R${i + 1} with Alice on ${prev}, F${side++}]`;
    else just = `[apply R${i + 1} on ${prev}]`;
    lines.push(`${i + 1}. Alice is ${pred(i + 1)}.` + (lenient ? "" : " " + just));
  }
  return "Let me reason step by step.\n<proof>\n" + lines.join("\n") + "\n</proof>\n";
}

function kernelRun(pp: PreparedProblem, depth: number): number {
  const k = pp.kernel;
  const alice = [constant("Alice")];
  let t = pp.premise("fact", 0) as Theorem;
  let side = 1;
  for (let i = 0; i < depth; i++) {
    const rule = pp.premise("rule", i) as Theorem;
    const r =
      i % 2 === 0 ? k.apply(rule, alice, [t, pp.premise("fact", side++) as Theorem]) : k.apply(rule, [], [t]);
    if (isFailure(r)) throw new Error(`bench: kernel refused step ${i}: ${r.reason}`);
    t = r;
  }
  if (!k.accept(t).ok) throw new Error("bench: goal check failed");
  return depth;
}

function timeLoop(minMs: number, body: () => number): { perSec: number; units: number } {
  // Warm up first so the figure measures optimized code, not the JIT's first tiers.
  const warmEnd = performance.now() + minMs / 3;
  while (performance.now() < warmEnd) for (let i = 0; i < 50; i++) body();
  let units = 0;
  const start = performance.now();
  let now = start;
  while (now - start < minMs) {
    for (let i = 0; i < 50; i++) units += body();
    now = performance.now();
  }
  return { perSec: (units * 1000) / (now - start), units };
}

/** Runs the checker suite. */
export async function run(opts: BenchOptions): Promise<BenchReport> {
  const ms = Math.max(50, Math.round(600 * opts.scale));
  const figures: BenchFigure[] = [];
  for (const depth of [4, 16, 64]) {
    const pp = prepare(chainProblem(depth));
    const strict = chainProof(depth, false);
    const lenient = chainProof(depth, true);
    if (!check(pp, strict, { mode: "strict" }).ok || !check(pp, lenient).ok)
      throw new Error(`bench: the depth-${depth} proof is not accepted`);
    const jsonBytes = JSON.stringify(strict);
    const baseline = timeLoop(ms, () => {
      JSON.parse(jsonBytes);
      return 1;
    });
    const k = timeLoop(ms, () => kernelRun(pp, depth));
    figures.push({
      name: `kernel inference steps/s (depth ${depth}, direct rule calls)`,
      value: k.perSec,
      unit: "steps/s",
      baselineName: "JSON.parse of the proof's completion (per parse)",
      baseline: baseline.perSec,
      bar: "≥ 1,000,000 steps/s per core",
    });
    const s = timeLoop(ms, () => (check(pp, strict, { mode: "strict" }).ok ? 1 : 0));
    figures.push({
      name: `strict check, proofs/s (depth ${depth}, prepared problem)`,
      value: s.perSec,
      unit: "proofs/s",
      baselineName: "JSON.parse of the same completion bytes",
      baseline: baseline.perSec,
      extra: { inferenceStepsPerSec: s.perSec * depth },
    });
    const l = timeLoop(ms, () => (check(pp, lenient).ok ? 1 : 0));
    figures.push({
      name: `lenient check, proofs/s (depth ${depth}, prepared problem)`,
      value: l.perSec,
      unit: "proofs/s",
      baselineName: "JSON.parse of the same completion bytes",
      baseline: baseline.perSec,
    });
  }
  // Median latency of one lenient depth-16 check, including preparing the problem.
  const problem = chainProblem(16);
  const text = chainProof(16, true);
  const json = JSON.stringify(text);
  const n = Math.max(200, Math.round(4000 * opts.scale));
  const lat: number[] = [];
  const latPrepared: number[] = [];
  const base: number[] = [];
  const pp = prepare(problem);
  for (let i = 0; i < n; i++) check(pp, text);
  for (let i = 0; i < n; i++) {
    let t0 = performance.now();
    check(problem, text);
    lat.push(performance.now() - t0);
    t0 = performance.now();
    check(pp, text);
    latPrepared.push(performance.now() - t0);
    t0 = performance.now();
    JSON.parse(json);
    base.push(performance.now() - t0);
  }
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return (s[Math.floor(s.length / 2)] ?? 0) * 1000;
  };
  const p99 = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return (s[Math.floor(s.length * 0.99)] ?? 0) * 1000;
  };
  figures.push({
    name: "lenient depth-16 check, median latency (problem prepared per call)",
    value: median(lat),
    unit: "µs",
    baselineName: "JSON.parse of the same completion bytes",
    baseline: median(base),
    bar: "≤ 50 µs median",
    extra: { p99: p99(lat), preparedMedian: median(latPrepared), preparedP99: p99(latPrepared) },
  });
  return { suite: "checker", figures };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf("--scale");
  const scale = i > 0 ? Number(process.argv[i + 1]) : 1;
  run({ scale: scale > 0 ? scale : 1 })
    .then((r) => process.stdout.write(JSON.stringify(r, null, 2) + "\n"))
    .catch((e: unknown) => {
      process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    });
}
