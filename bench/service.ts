/**
 * The reward service under load on loopback: proof verifications/s and p50/p99 latency at batch
 * sizes 1, 64 and 1024, each beside the same-run baseline of the same payloads posted to
 * `/v1/noop` (same server, same parsing and limits, no scoring), so figures read as ratios.
 *
 * The server runs as its own process (`scalelogic serve`, threads = cores) and autocannon drives
 * it from this one, as a trainer on the same machine would. Payloads are generated items with
 * their gold proofs (all must score 1; checked before timing), ground truth carried in each item
 * as the wire-form problem (JSON text, as the trainer adapters send it). Each size is warmed
 * up for a second first, so figures are for warm workers: 64 distinct problems, cached.
 * Alone: `node dist/bench/service.js [--scale S]` prints the report as JSON.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { defaultConfig } from "../src/generator/config.js";
import { generateItem } from "../src/generator/index.js";
import type { BenchFigure, BenchOptions, BenchReport } from "./report.js";

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
}

async function startServer(threads: number): Promise<Started> {
  const main = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
  const child = spawn(
    process.execPath,
    [main, "serve", "--port", "0", "--threads", String(threads), "--max-items", "4096"],
    {
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let err = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    child.on("exit", () => reject(new Error(`serve exited: ${err}`)));
  });
  return { child, url };
}

/**
 * `count` proof items: generated problems with gold proofs at the paper's preset depths
 * (implication 32, conjunction 16, negation 16, disjunction 12, quantification 10), cycling over
 * the five levels.
 */
function items(count: number): Array<Record<string, unknown>> {
  const pool: Array<Record<string, unknown>> = [];
  const levels = ["implication", "conjunction", "negation", "disjunction", "quantification"] as const;
  for (let i = 0; i < 64; i++) {
    const level = levels[i % levels.length] ?? "conjunction";
    // No depth given: defaultConfig fills in the level's preset depth.
    const config = defaultConfig({ level, task: "proof" });
    const item = generateItem(config, 1, i);
    // The wire form as JSON text, as the verl/TRL adapters send it from extra_info.problem.
    pool.push({
      completion: `<proof>\n${item.goldProof}\n</proof>`,
      problem: JSON.stringify(item.problem),
      task: "proof",
    });
  }
  return Array.from({ length: count }, (_, i) => pool[i % pool.length] ?? {});
}

async function load(
  url: string,
  body: string,
  connections: number,
  seconds: number,
): Promise<{ reqPerSec: number; p50: number; p99: number; errors: number }> {
  const r = await autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    connections,
    duration: seconds,
  });
  return {
    reqPerSec: r.requests.total / Math.max(1e-9, r.duration),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx + r.timeouts,
  };
}

/** Runs the suite. */
export async function run(opts: BenchOptions): Promise<BenchReport> {
  const threads = availableParallelism();
  const seconds = Math.max(2, Math.round(5 * opts.scale));
  const server = await startServer(threads);
  const figures: BenchFigure[] = [];
  try {
    // JIT warm-up of the checker in both workers, on the full mix, before any size is timed.
    await load(server.url + "/v1/score", JSON.stringify({ items: items(256) }), 2, Math.max(2, seconds));
    for (const [batch, connections] of [
      [1, 1],
      [1, 8],
      [64, 4],
      [1024, 4],
    ] as const) {
      const body = JSON.stringify({ items: items(batch) });
      const check = await fetch(server.url + "/v1/score", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      const rewards = ((await check.json()) as { rewards: number[] }).rewards;
      if (rewards.length !== batch || rewards.some((x) => x !== 1)) {
        throw new Error(`bench payload does not score 1 everywhere at batch ${batch}`);
      }
      // Warm up (JIT, and each worker's cache of parsed and prepared problems) before timing.
      await load(server.url + "/v1/score", body, connections, 1);
      const base = await load(server.url + "/v1/noop", body, connections, seconds);
      const real = await load(server.url + "/v1/score", body, connections, seconds);
      figures.push({
        name: `proof verifications/s, batch ${batch}, ${connections} connection(s), ${threads} threads`,
        value: real.reqPerSec * batch,
        unit: "proofs/s",
        baselineName: "same payloads to /v1/noop (items/s)",
        baseline: base.reqPerSec * batch,
        bar: batch >= 64 ? ">= 8,000 proof verifications/s on 2 cores" : "p99 single-proof latency <= 10 ms",
        extra: {
          p50Ms: real.p50,
          p99Ms: real.p99,
          baselineP50Ms: base.p50,
          baselineP99Ms: base.p99,
          errors: real.errors + base.errors,
          requestBytes: Buffer.byteLength(body),
          // Other work on the machine skews absolute figures; the 1-minute load average says how much.
          loadAverage1m: loadavg()[0] ?? 0,
        },
      });
    }
  } finally {
    server.child.kill("SIGTERM");
    await new Promise((r) => server.child.once("exit", r));
  }
  return { suite: "service", figures };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--scale");
  const scale = i === -1 ? 1 : Number(process.argv[i + 1]);
  process.stdout.write(JSON.stringify(await run({ scale }), null, 2) + "\n");
}
