/**
 * Checker benchmark.
 *
 * 1. Generated gold proofs at the paper's preset depths (implication 32, conjunction 16, negation
 *    16, disjunction 12, quantification 10), end to end (find the block, read every line, search
 *    in lenient mode, kernel), in four forms: English and symbolic claims, strict (every line
 *    cites) and lenient (no citations). Prepared problems are reused but the per-problem read
 *    cache is off, so every line is parsed on every check; the figure with the cache on (the same
 *    completion checked again, as when many completions share lines) is in `extra.warm`.
 * 2. Inference steps/s of the walk alone (walker + kernel on already-read generated proofs).
 * 3. Synthetic chains of depth 4–64: direct kernel calls, strict and lenient proofs/s.
 * 4. Median latency of one lenient depth-16 chain check, the problem prepared per call.
 *
 * Baseline, measured in the same run, interleaved with the figure: JSON.parse of the same
 * completion bytes (as a JSON string). Rates are units per second of CPU time over many short
 * interleaved slices, which filters out time the process spends descheduled on a shared machine.
 * Run alone: `node dist/bench/checker.js [--scale S]` prints the report as JSON. With
 * `SCALELOGIC_BENCH_AGAINST=<other dist/>` the generated-proof figures also time that build's
 * checker in the same slices (`extra.against`, `extra.speedup`): a before/after on one machine.
 */
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { atom, constant, forall, fvar, implies, and, not, type Formula } from "../src/logic/formula.js";
import { problemFromJsonOrThrow } from "../src/logic/serialize.js";
import { parseClaim } from "../src/logic/english.js";
import type { Problem } from "../src/logic/theory.js";
import { isFailure, type Theorem } from "../src/prover/kernel.js";
import { check, checkProof, prepare, type PreparedProblem } from "../src/prover/check.js";
import type { Item, Proof } from "../src/prover/proof.js";
import { readProof } from "../src/prover/reader.js";
import { renderProof } from "../src/prover/render.js";
import { defaultConfig, generateItem, type Level } from "../src/generator/index.js";
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

/** A measured rate: units per second of CPU time. */
interface Rate {
  readonly perSec: number;
}

/** CPU time of this process in ms (user + system): time spent descheduled does not count. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Measures `bodies` (each returns the units it did) in interleaved slices of about `sliceMs` of
 * CPU time, for about `totalMs` of wall time after a warm-up, and returns each body's units per
 * second of CPU time over all its slices (garbage collection included). Interleaving puts a figure
 * and its baseline under the same machine load; counting CPU time drops the time the process
 * spent descheduled on a shared machine.
 */
function rates(totalMs: number, bodies: readonly (() => number)[]): Rate[] {
  // Warm up, and size each body's batch to about 1 ms so reading the CPU clock costs little.
  const reps = bodies.map(() => 1);
  const warmEnd = performance.now() + totalMs / 4;
  while (performance.now() < warmEnd)
    bodies.forEach((body, i) => {
      const t0 = performance.now();
      body();
      reps[i] = Math.max(1, Math.min(10_000, Math.round(1 / Math.max(1e-6, performance.now() - t0))));
    });
  const units = bodies.map(() => 0);
  const spent = bodies.map(() => 0);
  const sliceMs = Math.max(10, totalMs / 30 / bodies.length);
  const end = performance.now() + totalMs;
  while (performance.now() < end) {
    bodies.forEach((body, i) => {
      let n = 0;
      const k = reps[i] ?? 1;
      const start = cpuMs();
      let now = start;
      while (now - start < sliceMs) {
        for (let r = 0; r < k; r++) n += body();
        now = cpuMs();
      }
      units[i] = (units[i] ?? 0) + n;
      spent[i] = (spent[i] ?? 0) + (now - start);
    });
  }
  return units.map((n, i) => ({ perSec: (n * 1000) / (spent[i] ?? 1) }));
}

/** `check` and `prepare` of another build, to measure against (see `SCALELOGIC_BENCH_AGAINST`). */
interface OtherChecker {
  readonly prepare: (p: Problem) => unknown;
  readonly check: (p: unknown, text: string, o: { mode: "strict" | "lenient" }) => { ok: boolean };
}

/**
 * Loads the checker of another build when `SCALELOGIC_BENCH_AGAINST` names its `dist/` folder
 * (e.g. a build of an older commit), so old and new are timed in the same slices of one process.
 */
async function otherChecker(): Promise<OtherChecker | undefined> {
  const dir = process.env["SCALELOGIC_BENCH_AGAINST"];
  if (dir === undefined || dir === "") return undefined;
  const url = pathToFileURL(resolve(dir, "src/prover/check.js")).href;
  return (await import(url)) as OtherChecker;
}

/** The preset depth of each level (the paper's released training scripts). */
const PRESETS: readonly (readonly [Level, number])[] = [
  ["implication", 32],
  ["conjunction", 16],
  ["negation", 16],
  ["disjunction", 12],
  ["quantification", 10],
];

/** One generated item made ready for the bench: its problem and its gold proof in four forms. */
interface Sample {
  readonly problem: Problem;
  /** The completion the generator checks strictly before emitting the item. */
  readonly gold: string;
  readonly proof: Proof;
  readonly lines: number;
  readonly texts: Readonly<Record<Form, string>>;
}

type Form = "english-strict" | "english-lenient" | "symbolic-strict" | "symbolic-lenient";
const FORMS: readonly Form[] = ["english-strict", "english-lenient", "symbolic-strict", "symbolic-lenient"];

function dropCitations(items: readonly Item[]): Item[] {
  return items.map((it) =>
    it.kind === "claim" ? { ...it, justification: undefined } : { ...it, body: dropCitations(it.body) },
  );
}

/** Generates `count` items of `level` at `depth` and renders each gold proof in the four forms. */
export function goldSamples(level: Level, depth: number, count: number): Sample[] {
  const config = defaultConfig({ level, depth, task: "proof" });
  const out: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const item = generateItem(config, 1, i);
    const problem = problemFromJsonOrThrow(item.problem);
    const read = readProof({ text: item.goldProof, firstLine: 1 }, parseClaim, {
      maxBytes: 1 << 20,
      maxCompletionChars: 1 << 20,
      maxLines: 100_000,
      maxFormulaSize: 10_000,
      maxNesting: 1000,
    });
    if (!read.ok) throw new Error(`bench: the gold proof of ${level} item ${i} is unreadable`);
    const lenient: Proof = { items: dropCitations(read.proof.items) };
    // The text a model would emit: some reasoning, then the block.
    const wrap = (body: string): string => "Let me work through the rules.\n" + body + "\n";
    out.push({
      problem,
      gold: `<proof>\n${item.goldProof}\n</proof>`,
      proof: read.proof,
      lines: read.lines,
      texts: {
        "english-strict": wrap(renderProof(read.proof)),
        "english-lenient": wrap(renderProof(lenient)),
        "symbolic-strict": wrap(renderProof(read.proof, { style: "symbolic" })),
        "symbolic-lenient": wrap(renderProof(lenient, { style: "symbolic" })),
      },
    });
  }
  return out;
}

/** A deep copy of a formula: new objects, as the generator builds for every item. */
function copyFormula(f: Formula): Formula {
  switch (f.kind) {
    case "atom":
      return { kind: "atom", pred: f.pred, args: f.args.map((t) => ({ ...t })) };
    case "not":
      return { kind: "not", body: copyFormula(f.body) };
    case "and":
    case "or":
      return { kind: f.kind, items: f.items.map(copyFormula) };
    case "implies":
      return { kind: "implies", left: copyFormula(f.left), right: copyFormula(f.right) };
    case "forall":
      return { kind: "forall", name: f.name, body: copyFormula(f.body) };
    case "falsum":
      return f;
  }
}

function copyProblem(p: Problem): Problem {
  return {
    ...p,
    theory: { facts: p.theory.facts.map(copyFormula), rules: p.theory.rules.map(copyFormula) },
    goal: copyFormula(p.goal),
  };
}

/**
 * The certified generator's pattern: a problem built from fresh formula objects, prepared, and its
 * gold proof checked strictly once. Fresh objects come from a deep copy of the problem, which is timed alone in the same slices (`extra.copyOnly`) so the prover's part can be read off
 * (`extra.proverOnly`, and `extra.againstProverOnly` for the other build).
 */
function generation(
  all: readonly { level: Level; depth: number; samples: Sample[] }[],
  ms: number,
  other: OtherChecker | undefined,
): BenchFigure[] {
  const figures: BenchFigure[] = [];
  const strict = { mode: "strict" } as const;
  for (const { level, depth, samples } of all) {
    const once = (p: Problem, text: string): number => {
      const r = check(prepare(p), text, strict);
      if (!r.ok || r.height !== depth) throw new Error(`bench: ${level} gold proof not accepted`);
      return 1;
    };
    const bodies = [
      () => {
        for (const x of samples) once(copyProblem(x.problem), x.gold);
        return samples.length;
      },
      () => {
        for (const x of samples) copyProblem(x.problem);
        return samples.length;
      },
    ];
    if (other !== undefined)
      bodies.push(() => {
        for (const x of samples) {
          if (!other.check(other.prepare(copyProblem(x.problem)), x.gold, strict).ok)
            throw new Error(`bench: the other build rejects a ${level} gold proof`);
        }
        return samples.length;
      });
    const [value, copy, against] = rates(ms, bodies) as [Rate, Rate, Rate | undefined];
    // Seconds per item of the prover alone: the whole body minus building the fresh problem.
    const proverOnly = (r: Rate): number => 1 / (1 / r.perSec - 1 / copy.perSec);
    figures.push({
      name: `generation pattern ${level} depth ${depth}: fresh problem, prepare, one strict gold check, items/s`,
      value: value.perSec,
      unit: "items/s",
      baselineName: "building the fresh problem alone (deep copy of its formulas)",
      baseline: copy.perSec,
      extra: {
        copyOnly: copy.perSec,
        proverOnly: proverOnly(value),
        items: samples.length,
        ...(against === undefined
          ? {}
          : {
              against: against.perSec,
              againstProverOnly: proverOnly(against),
              speedup: value.perSec / against.perSec,
              proverSpeedup: proverOnly(value) / proverOnly(against),
            }),
      },
    });
  }
  return figures;
}

/** Runs the checker suite. */
export async function run(opts: BenchOptions): Promise<BenchReport> {
  const ms = Math.max(100, Math.round(600 * opts.scale));
  const figures: BenchFigure[] = [];

  // 1–2. Generated gold proofs at the preset depths.
  const other = await otherChecker();
  const perLevel = Math.max(3, Math.round(10 * opts.scale));
  const all: { level: Level; depth: number; samples: Sample[] }[] = PRESETS.map(([level, depth]) => ({
    level,
    depth,
    samples: goldSamples(level, depth, perLevel),
  }));
  figures.push(...generation(all, ms, other));
  if (process.env["SCALELOGIC_BENCH_CHECKER_ONLY"] === "generation") return { suite: "checker", figures };

  // The JIT first sees every level and form (as a service would), so no figure pays for
  // compiling code paths the forms before it did not exercise.
  for (let round = 0; round < 10; round++)
    for (const { samples } of all) {
      const pps = samples.map((x) => prepare(x.problem, { readCacheSize: 0 }));
      const others = other === undefined ? [] : samples.map((x) => other.prepare(x.problem));
      for (const form of FORMS) {
        const mode = form.endsWith("strict") ? "strict" : "lenient";
        samples.forEach((x, i) => check(pps[i] as PreparedProblem, x.texts[form], { mode }));
        if (other !== undefined) samples.forEach((x, i) => other.check(others[i], x.texts[form], { mode }));
      }
    }
  for (const { level, depth, samples } of all) {
    const cold = samples.map((x) => prepare(x.problem, { readCacheSize: 0 }));
    const warm = samples.map((x) => prepare(x.problem));
    const otherPrepared = other === undefined ? [] : samples.map((x) => other.prepare(x.problem));
    for (const form of FORMS) {
      const mode = form.endsWith("strict") ? "strict" : "lenient";
      const opt = { mode } as const;
      const texts = samples.map((x) => x.texts[form]);
      const jsons = texts.map((t) => JSON.stringify(t));
      texts.forEach((t, i) => {
        const r = check(cold[i] as PreparedProblem, t, opt);
        if (!r.ok || (mode === "strict" && r.height !== depth))
          throw new Error(`bench: ${level} ${form} gold proof ${i} is not accepted at depth ${depth}`);
      });
      const bodies = [
        () => {
          for (let i = 0; i < texts.length; i++) check(cold[i] as PreparedProblem, texts[i] as string, opt);
          return texts.length;
        },
        () => {
          for (let i = 0; i < texts.length; i++) check(warm[i] as PreparedProblem, texts[i] as string, opt);
          return texts.length;
        },
        () => {
          for (const j of jsons) JSON.parse(j);
          return jsons.length;
        },
      ];
      if (other !== undefined) {
        texts.forEach((t, i) => {
          if (!other.check(otherPrepared[i], t, opt).ok)
            throw new Error(`bench: the other build rejects ${level} ${form} gold proof ${i}`);
        });
        bodies.push(() => {
          for (let i = 0; i < texts.length; i++) other.check(otherPrepared[i], texts[i] as string, opt);
          return texts.length;
        });
      }
      const [value, w, base, against] = rates(ms, bodies) as [Rate, Rate, Rate, Rate | undefined];
      const lines = samples.reduce((n, x) => n + x.lines, 0) / samples.length;
      figures.push({
        name: `generated ${level} depth ${depth}, ${form} check, proofs/s (read + ${mode === "lenient" ? "search + " : ""}kernel)`,
        value: value.perSec,
        unit: "proofs/s",
        baselineName: "JSON.parse of the same completion bytes",
        baseline: base.perSec,
        extra: {
          warm: w.perSec,
          meanLines: lines,
          items: samples.length,
          ...(against === undefined
            ? {}
            : { against: against.perSec, speedup: value.perSec / against.perSec }),
        },
      });
    }
  }
  {
    // The walk alone on every generated proof: inference steps per second (walker + kernel).
    const jobs = all.flatMap(({ samples }) =>
      samples.map((x) => ({ pp: prepare(x.problem, { readCacheSize: 0 }), proof: x.proof })),
    );
    const json = JSON.stringify(all[0]?.samples[0]?.texts["english-strict"] ?? "");
    // This call site is new to the JIT: give it a fixed number of rounds before timing.
    for (let round = 0; round < 30; round++)
      for (const j of jobs) checkProof(j.pp, j.proof, { mode: "strict" });
    const [walk, base] = rates(ms, [
      () => {
        let steps = 0;
        for (const j of jobs) steps += checkProof(j.pp, j.proof, { mode: "strict" }).steps;
        return steps;
      },
      () => {
        JSON.parse(json);
        return 1;
      },
    ]) as [Rate, Rate];
    figures.push({
      name: "inference steps/s, generated gold proofs at preset depths (walker + kernel, read excluded)",
      value: walk.perSec,
      unit: "steps/s",
      baselineName: "JSON.parse of an implication depth-32 completion (per parse)",
      baseline: base.perSec,
      bar: "≥ 1,000,000 steps/s per core",
    });
  }

  // 3. Synthetic chains.
  for (const depth of [4, 16, 64]) {
    const pp = prepare(chainProblem(depth), { readCacheSize: 0 });
    const strict = chainProof(depth, false);
    const lenient = chainProof(depth, true);
    if (!check(pp, strict, { mode: "strict" }).ok || !check(pp, lenient).ok)
      throw new Error(`bench: the depth-${depth} proof is not accepted`);
    const jsonBytes = JSON.stringify(strict);
    const [baseline, k, s, l] = rates(ms, [
      () => {
        JSON.parse(jsonBytes);
        return 1;
      },
      () => kernelRun(pp, depth),
      () => (check(pp, strict, { mode: "strict" }).ok ? 1 : 0),
      () => (check(pp, lenient).ok ? 1 : 0),
    ]) as [Rate, Rate, Rate, Rate];
    figures.push({
      name: `kernel inference steps/s (depth ${depth}, direct rule calls)`,
      value: k.perSec,
      unit: "steps/s",
      baselineName: "JSON.parse of the proof's completion (per parse)",
      baseline: baseline.perSec,
      bar: "≥ 1,000,000 steps/s per core",
    });
    figures.push({
      name: `strict check, proofs/s (synthetic chain depth ${depth}, prepared problem)`,
      value: s.perSec,
      unit: "proofs/s",
      baselineName: "JSON.parse of the same completion bytes",
      baseline: baseline.perSec,
      extra: { inferenceStepsPerSec: s.perSec * depth },
    });
    figures.push({
      name: `lenient check, proofs/s (synthetic chain depth ${depth}, prepared problem)`,
      value: l.perSec,
      unit: "proofs/s",
      baselineName: "JSON.parse of the same completion bytes",
      baseline: baseline.perSec,
    });
  }

  // 4. Median latency of one lenient depth-16 check, including preparing the problem.
  const problem = chainProblem(16);
  const text = chainProof(16, true);
  const json = JSON.stringify(text);
  const n = Math.max(200, Math.round(4000 * opts.scale));
  const lat: number[] = [];
  const latPrepared: number[] = [];
  const base: number[] = [];
  const pp = prepare(problem, { readCacheSize: 0 });
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
