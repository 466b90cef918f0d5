// The pool's backstop with pipelined lanes: a task waiting behind a hung or crashing one in the
// same thread is resubmitted and keeps its reward, and time spent waiting never counts against a
// task's wall-clock budget.
import { afterAll, describe, expect, it } from "vitest";
import { ScorePool, resolvePoolOptions } from "../../dist/src/service/pool.js";

const FAULT = "\u0000fault:";
const good = { completion: "<answer> A </answer>", answer: "A" };
const wrong = { completion: "<answer> B </answer>", answer: "A" };
const slow = (ms: number, x: { completion: string; answer: string }) => ({
  ...x,
  completion: `${FAULT}sleep:${ms} ${x.completion}`,
});

const pools: ScorePool[] = [];
function pool(backstopMs: number): ScorePool {
  const p = new ScorePool({ threads: 1, pipeline: 2, backstopMs, faultInjection: true });
  pools.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe("pipelined lanes", () => {
  it("a task queued behind a hung task in the same thread is resubmitted and keeps its rewards", async () => {
    const p = pool(800);
    await p.ready();
    const hung = p.scoreBatch([{ completion: FAULT + "hang", answer: "A" }]);
    const behind = p.scoreBatch([good, wrong]);
    const [h, b] = await Promise.all([hung, behind]);
    expect(h.map((r) => r.code)).toEqual(["timeout"]);
    expect(b.map((r) => r.reward)).toEqual([1, 0]);
    expect(p.stats.resubmitted).toBeGreaterThanOrEqual(1);
    expect(p.stats.timeouts).toBe(1);
  });
  it("a task queued behind a crashing task is resubmitted and keeps its rewards", async () => {
    const p = pool(5000);
    const crash = p.scoreBatch([{ completion: FAULT + "crash", answer: "A" }]);
    const behind = p.scoreBatch([wrong, good]);
    const [c, b] = await Promise.all([crash, behind]);
    expect(c.map((r) => r.code)).toEqual(["internal"]);
    expect(b.map((r) => r.reward)).toEqual([0, 1]);
  });
  it("waiting in the pipeline does not count against the backstop", async () => {
    // Each task runs ~500 ms; the second waits ~500 ms first. From submission that is ~1000 ms,
    // over the 800 ms backstop; from its own start it is ~500 ms, well under.
    const p = pool(800);
    await p.ready();
    const [a, b] = await Promise.all([p.scoreBatch([slow(500, good)]), p.scoreBatch([slow(500, wrong)])]);
    expect(a.map((r) => r.code)).toEqual(["ok"]);
    expect(b.map((r) => r.code)).toEqual(["wrong-answer"]);
    expect(p.stats.timeouts).toBe(0);
  });
});

describe("options", () => {
  it("are validated once with a clear message", () => {
    expect(() => resolvePoolOptions({ threads: 0 })).toThrow(/threads/);
    expect(() => resolvePoolOptions({ pipeline: 1.5 })).toThrow(/pipeline/);
    expect(() => resolvePoolOptions({ cacheSize: -1 })).toThrow(/cacheSize/);
    expect(resolvePoolOptions({ threads: 3 })).toMatchObject({ threads: 3, pipeline: 2, backstopMs: 10_000 });
  });
});
