/**
 * A piscina pool of scoring workers.
 *
 * A request's items are cut into batches (one task per batch, plain JSON only) so per-task
 * overhead stays small. Tasks go through our own FIFO that keeps at most one task per thread in
 * flight, so a task starts running as soon as it is handed to piscina and the wall-clock backstop
 * measures execution, not queueing. Budgets inside the checker are counted; the backstop is the
 * last resort: when a task overruns it, piscina aborts it (which replaces the worker), and the
 * items of that batch are retried one per task, so only the item that overruns again gets reward 0
 * with code `timeout`. A worker that dies for any other reason is handled the same way (`internal`
 * if a single item keeps killing its worker).
 */
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { DEFAULT_MAX_COMPLETION_CHARS } from "../reward/answer.js";
import type { ScoreResult } from "../reward/score.js";
import type { WorkerSettings, WorkerTask } from "./worker.js";

/** Pool settings; every field has a default. */
export interface PoolOptions {
  /** Worker threads (default: available cores). */
  readonly threads?: number;
  /** Wall-clock backstop per task in ms (default 10,000). */
  readonly backstopMs?: number;
  /** Most items per task (default 256). */
  readonly maxTaskItems?: number;
  /** Completions longer than this (UTF-16 code units) get `size-limit` without reaching a worker. */
  readonly maxCompletionChars?: number;
  /** Resolved ground truths cached per worker (default 2,048). */
  readonly cacheSize?: number;
  /** Test-only: lets completions starting with "\0fault:" hang, crash or stall a worker. */
  readonly faultInjection?: boolean;
}

/** Counters the service exports as metrics. */
export interface PoolStats {
  readonly tasks: number;
  readonly items: number;
  readonly failedTasks: number;
  readonly retriedItems: number;
  readonly timeouts: number;
  readonly crashes: number;
  readonly queued: number;
  readonly running: number;
  readonly threads: number;
}

interface Job {
  readonly items: readonly unknown[];
  readonly resolve: (r: ScoreResult[]) => void;
  readonly reject: (e: unknown) => void;
}

/** Validates pool options once, with a clear message; returns the filled settings. */
export function resolvePoolOptions(o: PoolOptions): Required<PoolOptions> {
  const threads = o.threads ?? Math.max(1, availableParallelism());
  const backstopMs = o.backstopMs ?? 10_000;
  const maxTaskItems = o.maxTaskItems ?? 256;
  const maxCompletionChars = o.maxCompletionChars ?? DEFAULT_MAX_COMPLETION_CHARS;
  const cacheSize = o.cacheSize ?? 2048;
  const positive: Array<[string, number]> = [
    ["threads", threads],
    ["backstopMs", backstopMs],
    ["maxTaskItems", maxTaskItems],
    ["maxCompletionChars", maxCompletionChars],
  ];
  for (const [name, v] of positive) {
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`pool option ${name} must be a positive integer, got ${v}`);
  }
  if (!Number.isInteger(cacheSize) || cacheSize < 0) {
    throw new RangeError(`pool option cacheSize must be a non-negative integer, got ${cacheSize}`);
  }
  return {
    threads,
    backstopMs,
    maxTaskItems,
    maxCompletionChars,
    cacheSize,
    faultInjection: o.faultInjection === true,
  };
}

function failed(code: "timeout" | "internal" | "size-limit", message: string): ScoreResult {
  return { reward: 0, score: 0, code, message, steps: 0, proofLines: 0 };
}

/** The worker pool behind the service and the library's batch call. */
export class ScorePool {
  /** The filled options. */
  readonly options: Required<PoolOptions>;
  private readonly piscina: Piscina<WorkerTask, ScoreResult[]>;
  private readonly queue: Job[] = [];
  private running = 0;
  private closed = false;
  private counters = { tasks: 0, items: 0, failedTasks: 0, retriedItems: 0, timeouts: 0, crashes: 0 };

  /** Starts `threads` workers at once (warm). */
  constructor(options: PoolOptions = {}) {
    this.options = resolvePoolOptions(options);
    const settings: WorkerSettings = {
      maxCompletionChars: this.options.maxCompletionChars,
      cacheSize: this.options.cacheSize,
      faults: this.options.faultInjection,
    };
    this.piscina = new Piscina<WorkerTask, ScoreResult[]>({
      filename: new URL("./worker.js", import.meta.url).href,
      minThreads: this.options.threads,
      maxThreads: this.options.threads,
      idleTimeout: 2 ** 31 - 1,
      concurrentTasksPerWorker: 1,
      workerData: settings,
    });
  }

  /** Resolves once every thread has loaded its modules and scored an empty batch. */
  async ready(): Promise<void> {
    await Promise.all(Array.from({ length: this.options.threads }, () => this.piscina.run({ items: [] })));
  }

  /** The live worker threads (tests use this to kill one mid-batch). */
  get threads(): readonly import("node:worker_threads").Worker[] {
    return this.piscina.threads;
  }

  /** Counters for metrics. */
  get stats(): PoolStats {
    return {
      ...this.counters,
      queued: this.queue.length,
      running: this.running,
      threads: this.piscina.threads.length,
    };
  }

  /**
   * Scores a batch of untrusted requests; result i belongs to item i. Never rejects because of an
   * item: a failing item gets reward 0 with a code. Rejects only after `close()`.
   */
  async scoreBatch(items: readonly unknown[]): Promise<ScoreResult[]> {
    if (this.closed) throw new Error("the pool is closed");
    const results = new Array<ScoreResult | undefined>(items.length);
    const pending: number[] = [];
    const limit = this.options.maxCompletionChars;
    for (let i = 0; i < items.length; i++) {
      const c = (items[i] as { completion?: unknown } | null | undefined)?.completion;
      // Refuse oversized completions here so megabytes are never copied into a worker.
      if (typeof c === "string" && c.length > limit) {
        results[i] = failed("size-limit", `completion longer than ${limit} characters`);
      } else pending.push(i);
    }
    const size = Math.max(
      1,
      Math.min(this.options.maxTaskItems, Math.ceil(pending.length / this.options.threads)),
    );
    const chunks: number[][] = [];
    for (let k = 0; k < pending.length; k += size) chunks.push(pending.slice(k, k + size));
    await Promise.all(
      chunks.map(async (idx) => {
        const out = await this.runChunk(idx.map((i) => items[i]));
        idx.forEach((i, k) => (results[i] = out[k]));
      }),
    );
    return results.map((r) => r ?? failed("internal", "no result"));
  }

  private async runChunk(items: readonly unknown[], single = false): Promise<ScoreResult[]> {
    try {
      return await this.submit(items, single);
    } catch (e) {
      this.counters.failedTasks++;
      const timedOut = e instanceof BackstopError;
      if (!timedOut) this.counters.crashes++;
      if (items.length === 1) {
        if (timedOut) this.counters.timeouts++;
        return [
          timedOut
            ? failed("timeout", `scoring took longer than ${this.options.backstopMs} ms`)
            : failed("internal", `worker failed: ${e instanceof Error ? e.message : String(e)}`),
        ];
      }
      // Someone in this batch hung or killed the worker: find out who by going one at a time.
      this.counters.retriedItems += items.length;
      return Promise.all(
        items.map(async (it) => (await this.runChunk([it], true))[0] ?? failed("internal", "no result")),
      );
    }
  }

  private submit(items: readonly unknown[], urgent: boolean): Promise<ScoreResult[]> {
    return new Promise<ScoreResult[]>((resolve, reject) => {
      const job: Job = { items, resolve, reject };
      // Retries go first so the request that hit the fault finishes promptly.
      if (urgent) this.queue.unshift(job);
      else this.queue.push(job);
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.options.threads && this.queue.length > 0) {
      const job = this.queue.shift();
      if (job === undefined) return;
      this.running++;
      this.counters.tasks++;
      this.counters.items += job.items.length;
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(new BackstopError()), this.options.backstopMs);
      this.piscina
        .run({ items: job.items }, { signal: ac.signal })
        .then(
          (r) => {
            if (Array.isArray(r) && r.length === job.items.length) job.resolve(r);
            else job.reject(new Error("worker returned a malformed result"));
          },
          (e: unknown) => job.reject(ac.signal.aborted ? new BackstopError() : e),
        )
        .finally(() => {
          clearTimeout(timer);
          this.running--;
          this.pump();
        });
    }
  }

  /** Waits for queued and running tasks, then stops the workers. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running > 0 || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    await this.piscina.destroy();
  }
}

/** The wall-clock backstop fired for a task. */
class BackstopError extends Error {
  override name = "BackstopError";
  constructor() {
    super("wall-clock backstop");
  }
}
