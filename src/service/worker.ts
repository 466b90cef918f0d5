/**
 * The pool's worker: scores a batch of plain-JSON requests with a per-thread scorer (whose LRU
 * keeps regenerated and prepared problems warm across batches). Loaded by piscina from
 * `dist/src/service/worker.js`.
 */
import { workerData } from "piscina";
import { Scorer, type ScoreResult } from "../reward/score.js";

/** What the pool hands each worker at start-up (plain JSON). */
export interface WorkerSettings {
  readonly maxCompletionChars: number;
  readonly cacheSize: number;
  /** Test-only fault injection (see pool.ts); never set by the CLI or HTTP input. */
  readonly faults: boolean;
}

/** One task: a batch of untrusted requests, or a warm-up ping. */
export interface WorkerTask {
  readonly items: readonly unknown[];
}

const settings = workerData as WorkerSettings;
const scorer = new Scorer({
  maxCompletionChars: settings.maxCompletionChars,
  cacheSize: settings.cacheSize,
});

const FAULT = "\u0000fault:";

/** Simulated misbehaviour, so tests can exercise the backstop and crash recovery for real. */
function injectFault(item: unknown): void {
  if (typeof item !== "object" || item === null) return;
  const c = (item as { completion?: unknown }).completion;
  if (typeof c !== "string" || !c.startsWith(FAULT)) return;
  const what = c.slice(FAULT.length);
  if (what.startsWith("hang")) for (;;);
  if (what.startsWith("crash")) process.exit(1);
  if (what.startsWith("sleep:")) {
    const ms = Number(what.slice("sleep:".length).split(/\s/)[0]);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number.isFinite(ms) ? ms : 0);
  }
}

/** Scores every item of the batch, in order. */
export default async function run(task: WorkerTask): Promise<ScoreResult[]> {
  // The pool may post a second task while this one runs; piscina's worker loop would then start
  // it before this task's result is sent. Yielding first keeps one task at a time: each result
  // leaves the thread the moment its work is done.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const out: ScoreResult[] = new Array<ScoreResult>(task.items.length);
  for (let i = 0; i < task.items.length; i++) {
    const item = task.items[i];
    if (settings.faults) injectFault(item);
    out[i] = scorer.score(item);
  }
  return out;
}
