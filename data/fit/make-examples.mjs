// Writes the SYNTHETIC example logs in this folder (not measurements of any real training run).
// Usage: node data/fit/make-examples.mjs   (deterministic: same bytes every time)
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import seedrandom from "seedrandom";

const here = dirname(fileURLToPath(import.meta.url));
const rng = seedrandom("scalelogic-fit-examples");
const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());

// Accuracy follows a logistic curve in log(step) that passes 0.90 exactly at the run's true T;
// evaluations every 10 steps, every 5 once accuracy passes 0.7 (as the paper's validation gets
// denser near the threshold), small evaluation noise, and a step budget that can censor a run.
function run(trueT, budget, every = 10) {
  const h = 4;
  const s50 = trueT / Math.pow(0.98 / 0.9 - 1, -1 / h);
  const evals = [];
  let s = 0;
  while (s <= budget) {
    const clean = s === 0 ? 0 : 0.98 / (1 + Math.pow(s / s50, -h));
    const acc = Math.min(1, Math.max(0, clean + 0.008 * normal()));
    evals.push([s, Number(acc.toFixed(4))]);
    if (acc >= 0.95) break;
    s += acc >= 0.7 ? Math.max(1, every / 2) : every;
  }
  return evals;
}

// Conjunction level, three training regimes, γ as published (see paper-exponents.json).
const regimes = [
  ["curriculum", 1.33, 3.0],
  ["uniform", 1.7, 1.5],
  ["difficult-only", 2.36, 0.25],
];
const csv = ["setting,depth,seed,step,accuracy"];
for (const [setting, gamma, a] of regimes)
  for (const depth of [8, 12, 16, 20, 24, 28])
    for (const seed of [0, 1, 2]) {
      const T = a * Math.pow(depth, gamma) * Math.exp(0.08 * normal());
      for (const [step, acc] of run(T, 700)) csv.push(`${setting},${depth},${seed},${step},${acc}`);
    }
writeFileSync(join(here, "example-regimes.csv"), csv.join("\n") + "\n");

// Two levels of the ladder, one seed each, with tokens (4096 per step), as JSONL with its own column names.
const levels = [
  ["implication", 1.04, 8.0],
  ["quantification", 2.6, 0.6],
];
const jsonl = [];
for (const [level, gamma, a] of levels)
  for (const depth of [2, 4, 6, 8, 10])
    for (const seed of [0]) {
      const T = a * Math.pow(depth, gamma) * Math.exp(0.05 * normal());
      for (const [step, acc] of run(T, 2000, 4))
        jsonl.push(JSON.stringify({ level, D: depth, seed, step, tokens: step * 4096, val_acc: acc }));
    }
writeFileSync(join(here, "example-levels.jsonl"), jsonl.join("\n") + "\n");
