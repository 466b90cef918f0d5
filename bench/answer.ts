/**
 * Answer-only scoring throughput on one core: `scoreAnswer` over realistic completions (about a
 * kilobyte of reasoning, then the answer tag; a mix of right, wrong and malformed), against the
 * same-run baseline of `String.prototype.includes(gold)` over the same strings.
 * Alone: `node dist/bench/answer.js [--scale S]` prints the report as JSON.
 */
import { fileURLToPath } from "node:url";
import { scoreAnswer } from "../src/reward/answer.js";
import type { BenchOptions, BenchReport } from "./report.js";

const WORDS = [
  "Alice",
  "is",
  "abcde",
  "so",
  "then",
  "by",
  "rule",
  "we",
  "get",
  "if",
  "not",
  "and",
  "fact",
  "hence",
];

function completions(n: number, gold: string): string[] {
  const out: string[] = [];
  let x = 12345;
  const next = (): number => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x;
  };
  for (let i = 0; i < n; i++) {
    let text = "Let me reason step by step. ";
    while (text.length < 900 + (next() % 400)) text += (WORDS[next() % WORDS.length] ?? "x") + " ";
    const kind = i % 4;
    if (kind === 0 || kind === 1) text += `\n<answer> ${gold} </answer>`;
    else if (kind === 2) text += `\n<answer> Alice is fghij </answer>`;
    else text += `\n<think>oops</think><answer> ${gold} </answer>`;
    out.push(text);
  }
  return out;
}

function measure(fn: () => number, minMs: number): { perSecond: number; checksum: number } {
  let runs = 0;
  let checksum = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    checksum += fn();
    runs++;
    elapsed = performance.now() - start;
  }
  return { perSecond: (runs * 1000) / elapsed, checksum };
}

/** Runs the suite. */
export async function run(opts: BenchOptions): Promise<BenchReport> {
  const gold = "Alice is abcde";
  const data = completions(4096, gold);
  const minMs = Math.max(200, 2000 * opts.scale);
  const pass = (): number => {
    let s = 0;
    for (const c of data) s += scoreAnswer(c, gold).reward;
    return s;
  };
  const base = (): number => {
    let s = 0;
    for (const c of data) s += c.includes(gold) ? 1 : 0;
    return s;
  };
  pass();
  base(); // warm both paths before timing
  const ours = measure(pass, minMs);
  const baseline = measure(base, minMs);
  const meanLength = data.reduce((n, c) => n + c.length, 0) / data.length;
  return {
    suite: "answer",
    figures: [
      {
        name: "answer-only scoring, completions/s on one core",
        value: ours.perSecond * data.length,
        unit: "completions/s",
        baselineName: "String.prototype.includes(gold) over the same strings",
        baseline: baseline.perSecond * data.length,
        bar: ">= 200,000 completions/s per core",
        extra: {
          meanCompletionChars: Math.round(meanLength),
          rewardedPerPass: ours.checksum / Math.max(1, ours.perSecond) > 0 ? pass() : 0,
        },
      },
    ],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--scale");
  const scale = i === -1 ? 1 : Number(process.argv[i + 1]);
  process.stdout.write(JSON.stringify(await run({ scale }), null, 2) + "\n");
}
