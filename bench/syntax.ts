/**
 * Parsing and printing speed of the two syntaxes and of the problem JSON form, each beside
 * `JSON.parse` / `JSON.stringify` of the same content as a plain JSON tree (what a reader that
 * skips text syntax altogether would pay). Run alone with `node dist/bench/syntax.js [scale]`;
 * prints the report as JSON. Each figure is the best of five passes after a warm-up.
 */
import { pathToFileURL } from "node:url";
import { parseEnglish, printEnglish } from "../src/logic/english.js";
import {
  atom,
  constant,
  forallRaw,
  bvar,
  and,
  or,
  implies,
  not,
  type Formula,
} from "../src/logic/formula.js";
import { problemFromJson, problemToJson } from "../src/logic/serialize.js";
import { parseSymbolic, printSymbolic } from "../src/logic/symbolic.js";
import type { Problem } from "../src/logic/theory.js";
import { scaleFromArgs, type BenchFigure, type BenchOptions, type BenchReport } from "./report.js";

// A small fixed LCG keeps the workload identical across runs without importing the generator.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PEOPLE = ["Alice", "Bob", "Charlie", "Dave", "Emma", "Grace", "Henry", "Irene"];

/** Paper-style sentences: half facts, half rules (a third of them universal). */
function workload(n: number, seed: number): Formula[] {
  const rnd = lcg(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const word = (): string => {
    let w = "";
    for (let i = 0; i < 5; i++) w += String.fromCharCode(97 + Math.floor(rnd() * 26));
    return w === "false" ? "abcde" : w;
  };
  const lit = (universal: boolean): Formula => {
    const a = atom(word(), [universal ? bvar(0) : constant(pick(PEOPLE))]);
    return rnd() < 0.3 ? not(a) : a;
  };
  const out: Formula[] = [];
  for (let i = 0; i < n; i++) {
    if (rnd() < 0.5) {
      out.push(lit(false));
      continue;
    }
    const universal = rnd() < 0.33;
    const ps = Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => lit(universal));
    const cs = Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => lit(universal));
    const r = implies(and(ps), or(cs));
    out.push(universal ? forallRaw("X", r) : r);
  }
  return out;
}

// Best of several passes: on a shared machine the slowest passes measure the neighbours, not us.
function rate(n: number, fn: () => void, passes = 5): number {
  fn(); // warm-up pass, so both sides are measured after JIT
  let best = 0;
  for (let k = 0; k < passes; k++) {
    const t0 = performance.now();
    fn();
    best = Math.max(best, n / ((performance.now() - t0) / 1000));
  }
  return best;
}

/** Runs the syntax suite. */
export async function run(opts: BenchOptions): Promise<BenchReport> {
  const n = Math.max(2_000, Math.round(50_000 * opts.scale));
  const formulas = workload(n, 7);
  const ascii = formulas.map((f) => printSymbolic(f, { ascii: true }));
  const unicode = formulas.map((f) => printSymbolic(f));
  const english = formulas.map((f) => printEnglish(f) ?? "Contradiction.");
  // The same content as JSON trees: the baseline a text syntax has to be compared with.
  const trees = formulas.map((f) => JSON.stringify(f));
  let sink = 0;
  const jsonParse = rate(n, () => {
    for (const t of trees) sink += (JSON.parse(t) as { kind: string }).kind.length;
  });
  const jsonStringify = rate(n, () => {
    for (const f of formulas) sink += JSON.stringify(f).length;
  });
  const parseAscii = rate(n, () => {
    for (const s of ascii) sink += parseSymbolic(s).ok ? 1 : 0;
  });
  const parseUnicode = rate(n, () => {
    for (const s of unicode) sink += parseSymbolic(s).ok ? 1 : 0;
  });
  // Facts alone: the short sentences that make up half of every problem and most proof lines.
  const factIdx = formulas.flatMap((f, i) => (f.kind === "implies" || f.kind === "forall" ? [] : [i]));
  const factAscii = factIdx.map((i) => ascii[i] as string);
  const factEnglish = factIdx.map((i) => english[i] as string);
  const factTrees = factIdx.map((i) => trees[i] as string);
  const nf = factIdx.length;
  const factJson = rate(nf, () => {
    for (const t of factTrees) sink += (JSON.parse(t) as { kind: string }).kind.length;
  });
  const factSym = rate(nf, () => {
    for (const s of factAscii) sink += parseSymbolic(s).ok ? 1 : 0;
  });
  const factEng = rate(nf, () => {
    for (const s of factEnglish) sink += parseEnglish(s).ok ? 1 : 0;
  });
  const parseEng = rate(n, () => {
    for (const s of english) sink += parseEnglish(s).ok ? 1 : 0;
  });
  const printAscii = rate(n, () => {
    for (const f of formulas) sink += printSymbolic(f, { ascii: true }).length;
  });
  const printEng = rate(n, () => {
    for (const f of formulas) sink += (printEnglish(f) ?? "").length;
  });

  // Whole problems of 120 sentences, as the reward service reads them on every request.
  const perProblem = 120;
  const problems: string[] = [];
  for (let i = 0; i + perProblem <= Math.min(n, 100 * perProblem); i += perProblem) {
    const slice = formulas.slice(i, i + perProblem);
    const p: Problem = {
      theory: {
        facts: slice.filter((f) => f.kind !== "implies" && f.kind !== "forall"),
        rules: slice.filter((f) => f.kind === "implies" || f.kind === "forall"),
      },
      goal: slice[0] as Formula,
    };
    problems.push(JSON.stringify(problemToJson(p)));
  }
  const problemJson = rate(problems.length, () => {
    for (const s of problems) sink += problemFromJson(JSON.parse(s)).ok ? 1 : 0;
  });
  const problemTrees = problems.map((s) => {
    const r = problemFromJson(JSON.parse(s));
    return r.ok ? JSON.stringify(r.value) : "";
  });
  const problemBaseline = rate(problems.length, () => {
    for (const s of problemTrees) sink += (JSON.parse(s) as object) === null ? 0 : 1;
  });
  if (sink === 42) process.stderr.write("");

  const avgChars = Math.round(ascii.reduce((a, s) => a + s.length, 0) / n);
  const figures: BenchFigure[] = [
    {
      name: "parseSymbolic, ASCII sentences",
      value: parseAscii,
      unit: "sentences/s",
      baselineName: "JSON.parse of the same formulas as JSON trees",
      baseline: jsonParse,
      extra: { sentences: n, avgChars },
    },
    {
      name: "parseSymbolic, ASCII facts only (e.g. ~abcde(Alice))",
      value: factSym,
      unit: "sentences/s",
      baselineName: "JSON.parse of the same facts as JSON trees",
      baseline: factJson,
      bar: "≥ 1 M short sentences/s (task brief)",
      extra: { sentences: nf },
    },
    {
      name: "parseEnglish, facts only (e.g. Alice is not abcde.)",
      value: factEng,
      unit: "sentences/s",
      baselineName: "JSON.parse of the same facts as JSON trees",
      baseline: factJson,
    },
    {
      name: "parseSymbolic, Unicode sentences",
      value: parseUnicode,
      unit: "sentences/s",
      baselineName: "JSON.parse of the same formulas as JSON trees",
      baseline: jsonParse,
    },
    {
      name: "parseEnglish, paper-style sentences",
      value: parseEng,
      unit: "sentences/s",
      baselineName: "JSON.parse of the same formulas as JSON trees",
      baseline: jsonParse,
      extra: { avgChars: Math.round(english.reduce((a, s) => a + s.length, 0) / n) },
    },
    {
      name: "printSymbolic (ASCII)",
      value: printAscii,
      unit: "sentences/s",
      baselineName: "JSON.stringify of the same formulas",
      baseline: jsonStringify,
    },
    {
      name: "printEnglish",
      value: printEng,
      unit: "sentences/s",
      baselineName: "JSON.stringify of the same formulas",
      baseline: jsonStringify,
    },
    {
      name: `problemFromJson (JSON text, ${perProblem} sentences, validated)`,
      value: problemJson,
      unit: "problems/s",
      baselineName: "JSON.parse of the same problems as JSON trees",
      baseline: problemBaseline,
      extra: { problems: problems.length },
    },
  ];
  return { suite: "syntax", figures };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const scale = scaleFromArgs(process.argv);
  run({ scale })
    .then((r) => process.stdout.write(JSON.stringify(r, null, 2) + "\n"))
    .catch((e: unknown) => {
      process.stderr.write(`bench syntax: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    });
}
