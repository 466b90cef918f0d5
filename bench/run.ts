/**
 * The benchmark harness: runs the suites in bench/ and prints each figure beside its same-run
 * baseline. Usage (after `npm run build`): `node dist/bench/run.js [suite…] [--scale S] [--json]`,
 * or `scalelogic bench`.
 */
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import type { BenchFigure, BenchOptions, BenchReport } from "./report.js";

/** Every suite the harness knows, in the order they run. */
export const SUITES = [
  "checker",
  "decide",
  "generator",
  "dataset",
  "answer",
  "service",
  "syntax",
  "fit",
] as const;

interface SuiteModule {
  run(opts: BenchOptions): Promise<BenchReport>;
}

function isSuiteModule(m: unknown): m is SuiteModule {
  return typeof m === "object" && m !== null && typeof (m as { run?: unknown }).run === "function";
}

/** Runs the named suites (all when empty) and returns their reports; a missing suite is skipped with a note. */
export async function runSuites(
  names: readonly string[],
  opts: BenchOptions,
  log: (line: string) => void = (l) => process.stderr.write(l + "\n"),
): Promise<BenchReport[]> {
  const chosen = names.length > 0 ? names : SUITES;
  const reports: BenchReport[] = [];
  for (const name of chosen) {
    const url = new URL(`./${name}.js`, import.meta.url);
    if (!existsSync(fileURLToPath(url))) {
      log(`bench: no suite named "${name}" (looked for ${fileURLToPath(url)})`);
      continue;
    }
    const mod: unknown = await import(url.href);
    if (!isSuiteModule(mod)) {
      log(`bench: ${name} does not export run()`);
      continue;
    }
    log(`bench: running ${name} (scale ${opts.scale}) …`);
    reports.push(await mod.run(opts));
  }
  return reports;
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1e6) return (n / 1e6).toFixed(2) + "M";
  if (abs >= 1e4) return (n / 1e3).toFixed(1) + "k";
  if (abs >= 100) return n.toFixed(0);
  return n.toPrecision(3);
}

/** Renders reports as a plain-text table: figure, value, baseline, ratio, bar. */
export function formatReports(reports: readonly BenchReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`## ${r.suite}`);
    for (const f of r.figures) lines.push(formatFigure(f));
  }
  return lines.join("\n");
}

function formatFigure(f: BenchFigure): string {
  let s = `  ${f.name}: ${fmt(f.value)} ${f.unit}`;
  if (f.baseline !== undefined) {
    s += ` | baseline ${f.baselineName ?? ""}: ${fmt(f.baseline)} ${f.unit} | ratio ${(f.value / f.baseline).toFixed(3)}`;
  }
  if (f.bar !== undefined) s += ` | bar: ${f.bar}`;
  if (f.extra !== undefined) {
    s +=
      " | " +
      Object.entries(f.extra)
        .map(([k, v]) => `${k}=${fmt(v)}`)
        .join(" ");
  }
  return s;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let scale = 1;
  let json = false;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--json") json = true;
    else if (a === "--scale") {
      scale = Number(args[++i]);
      if (!(scale > 0)) throw new Error("--scale needs a positive number");
    } else if (a !== undefined) names.push(a);
  }
  const reports = await runSuites(names, { scale });
  process.stdout.write(json ? JSON.stringify(reports, null, 2) + "\n" : formatReports(reports) + "\n");
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  });
}
