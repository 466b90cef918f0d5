/**
 * A pool of scoring workers built from piscina.
 *
 * A request's items are cut into batches (one task per batch, plain JSON only) so per-task
 * overhead stays small. Each worker thread is its own single-thread piscina instance (a "lane"),
 * so we always know which tasks share a thread. A lane holds at most `pipeline` tasks (default 2):
 * one running and one waiting inside the worker, which starts it the moment the first finishes
 * without waiting for the main thread (busy parsing the next request body, say).
 *
 * Budgets inside the checker are counted; the wall-clock backstop is the last resort. A task's
 * timer starts when it starts running — when it is handed to an idle lane, or when the task ahead
 * of it in its lane settles — so queueing never counts against it. When a task overruns, its
 * worker is terminated and piscina starts a fresh one; the items of that batch are retried one per
 * task, so only an item that overruns again gets reward 0 with code `timeout`. A task that was
 * waiting behind a failed one in the same lane dies with that worker through no fault of its own
 * and is simply resubmitted. A worker that dies for any other reason is handled like an overrun
 * (`internal` if a single item keeps killing its worker). No other item's reward changes.
 */
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { Piscina } from "piscina";
import { DEFAULT_MAX_COMPLETION_CHARS } from "../reward/answer.js";
import type { ScoreResult } from "../reward/score.js";
import type { WorkerSettings, WorkerTask } from "./worker.js";

/** Pool settings; every field has a default. */
export interface PoolOptions {
  /** Worker threads (default: available cores). */
  readonly threads?: number;
  /** Tasks a thread may hold at once, one running and the rest waiting (default 2; 1 disables). */
  readonly pipeline?: number;
  /** Wall-clock backstop per task in ms, counted from when it starts running (default 10,000). */
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
  readonly resubmitted: number;
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
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Its backstop fired and its worker was terminated. */
  timedOut: boolean;
  /** Started running (its timer is on). */
  started: boolean;
  /** Sat behind a task that failed in the same lane: a failure of its own is not its fault. */
  collateral: boolean;
}

interface Lane {
  readonly piscina: Piscina<WorkerTask, ScoreResult[]>;
  /** In submission order; the first is the one running. */
  readonly jobs: Job[];
}

/** Validates pool options once, with a clear message; returns the filled settings. */
export function resolvePoolOptions(o: PoolOptions): Required<PoolOptions> {
  const threads = o.threads ?? Math.max(1, availableParallelism());
  const pipeline = o.pipeline ?? 2;
  const backstopMs = o.backstopMs ?? 10_000;
  const maxTaskItems = o.maxTaskItems ?? 256;
  const maxCompletionChars = o.maxCompletionChars ?? DEFAULT_MAX_COMPLETION_CHARS;
  const cacheSize = o.cacheSize ?? 2048;
  const positive: Array<[string, number]> = [
    ["threads", threads],
    ["pipeline", pipeline],
    ["backstopMs", backstopMs],
    ["maxTaskItems", maxTaskItems],
    ["maxCompletionChars", maxCompletionChars],
  ];
  for (const [name, v] of positive) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`pool option ${name} must be a positive integer, got ${v}`);
    }
  }
  if (!Number.isInteger(cacheSize) || cacheSize < 0) {
    throw new RangeError(`pool option cacheSize must be a non-negative integer, got ${cacheSize}`);
  }
  return {
    threads,
    pipeline,
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

/** The wall-clock backstop fired for a task. */
class BackstopError extends Error {
  override name = "BackstopError";
  constructor() {
    super("wall-clock backstop");
  }
}

/** The worker pool behind the service and the library's batch call. */
export class ScorePool {
  /** The filled options. */
  readonly options: Required<PoolOptions>;
  private readonly lanes: Lane[];
  private readonly queue: Job[] = [];
  private closed = false;
  private counters = {
    tasks: 0,
    items: 0,
    failedTasks: 0,
    retriedItems: 0,
    resubmitted: 0,
    timeouts: 0,
    crashes: 0,
  };

  /** Starts `threads` workers at once (warm). */
  constructor(options: PoolOptions = {}) {
    this.options = resolvePoolOptions(options);
    const settings: WorkerSettings = {
      maxCompletionChars: this.options.maxCompletionChars,
      cacheSize: this.options.cacheSize,
      faults: this.options.faultInjection,
    };
    this.lanes = Array.from({ length: this.options.threads }, () => ({
      piscina: new Piscina<WorkerTask, ScoreResult[]>({
        filename: new URL("./worker.js", import.meta.url).href,
        minThreads: 1,
        maxThreads: 1,
        idleTimeout: 2 ** 31 - 1,
        concurrentTasksPerWorker: this.options.pipeline,
        workerData: settings,
      }),
      jobs: [],
    }));
  }

  /** Resolves once every thread has loaded its modules and scored an empty batch. */
  async ready(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.piscina.run({ items: [] })));
  }

  /** The live worker threads (tests use this to kill one mid-batch). */
  get threads(): readonly Worker[] {
    return this.lanes.flatMap((l) => l.piscina.threads);
  }

  /** Counters for metrics. */
  get stats(): PoolStats {
    return {
      ...this.counters,
      queued: this.queue.length,
      running: this.lanes.reduce((n, l) => n + (l.jobs.length > 0 ? 1 : 0), 0),
      threads: this.threads.length,
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
      const job: Job = {
        items,
        resolve,
        reject,
        timer: undefined,
        timedOut: false,
        started: false,
        collateral: false,
      };
      // Retries go first so the request that hit the fault finishes promptly.
      if (urgent) this.queue.unshift(job);
      else this.queue.push(job);
      this.pump();
    });
  }

  private start(lane: Lane, job: Job): void {
    job.started = true;
    job.timer = setTimeout(() => {
      // piscina runs abortable tasks one per worker, which would defeat the pipeline, so the
      // backstop terminates the lane's worker itself; piscina then starts a fresh one.
      job.timedOut = true;
      for (const w of lane.piscina.threads) void w.terminate();
    }, this.options.backstopMs);
  }

  private pump(): void {
    while (this.queue.length > 0) {
      // An idle lane first (lowest latency), else one with room in its pipeline.
      let lane = this.lanes.find((l) => l.jobs.length === 0);
      lane ??= this.lanes.find((l) => l.jobs.length < this.options.pipeline);
      if (lane === undefined) return;
      const job = this.queue.shift();
      if (job === undefined) return;
      this.dispatch(lane, job);
    }
  }

  private dispatch(lane: Lane, job: Job): void {
    lane.jobs.push(job);
    if (lane.jobs.length === 1) this.start(lane, job);
    this.counters.tasks++;
    this.counters.items += job.items.length;
    lane.piscina.run({ items: job.items }).then(
      (r) => this.settle(lane, job, r, undefined),
      (e: unknown) => this.settle(lane, job, undefined, e),
    );
  }

  private settle(lane: Lane, job: Job, result: ScoreResult[] | undefined, error: unknown): void {
    clearTimeout(job.timer);
    const at = lane.jobs.indexOf(job);
    if (at !== -1) lane.jobs.splice(at, 1);
    const ok = error === undefined && Array.isArray(result) && result.length === job.items.length;
    if (!ok) {
      // The worker is gone (aborted or died): whatever waited behind this task dies with it.
      for (const other of lane.jobs) other.collateral = true;
    }
    const head = lane.jobs[0];
    if (head !== undefined && !head.started) this.start(lane, head);

    if (ok) job.resolve(result);
    else if (job.timedOut) job.reject(new BackstopError());
    else if (job.collateral || !job.started) {
      // Killed with a worker another task brought down: not this task's fault, so run it again.
      this.counters.resubmitted++;
      job.started = false;
      job.collateral = false;
      this.queue.unshift(job);
    } else job.reject(error ?? new Error("worker returned a malformed result"));
    this.pump();
  }

  /** Waits for queued and running tasks, then stops the workers. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.queue.length > 0 || this.lanes.some((l) => l.jobs.length > 0)) {
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(this.lanes.map((l) => l.piscina.destroy()));
  }
}
