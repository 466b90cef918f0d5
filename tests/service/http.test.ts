// The reward service over real HTTP on loopback: bad input of every kind gets a clear 4xx or a
// reward of 0 with a code, faults in one item never change another item's reward, and the service
// keeps serving after each of them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createService, type Service } from "../../dist/src/service/server.js";
import { chain } from "../reward/chain.js";

const c = chain(6, 11);
const goodChoice = {
  completion: `Thinking... <answer> ${c.goldText} </answer>`,
  problem: c.wire,
  task: "choice",
};
const wrongChoice = { completion: `<answer> ${c.wrongText} </answer>`, problem: c.wire, task: "choice" };
const goodProof = { completion: c.proof, problem: c.wire, task: "proof" };
const FAULT = "\u0000fault:";

let service: Service;
let base = "";

async function post(path: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return {
    status: res.status,
    json: json as Record<string, unknown> & { results?: Array<Record<string, unknown>> },
  };
}

async function scoreItems(items: unknown[]) {
  const r = await post("/v1/score", JSON.stringify({ items }));
  expect(r.status).toBe(200);
  return r.json as { rewards: number[]; scores: number[]; results: Array<{ code: string; reward: number }> };
}

/** Waits until both workers hold a task (no fixed sleeps: the machine may be busy). */
async function untilRunning(): Promise<void> {
  for (let i = 0; i < 2000 && service.pool.stats.running < 2; i++) await new Promise((r) => setTimeout(r, 5));
  expect(service.pool.stats.running).toBe(2);
}

/** The service still answers a normal batch correctly. */
async function stillServing(): Promise<void> {
  const r = await scoreItems([goodChoice, wrongChoice, goodProof]);
  expect(r.rewards).toEqual([1, 0, 1]);
}

beforeAll(async () => {
  service = createService({
    port: 0,
    maxBodyBytes: 16 * 1024 * 1024,
    maxCompletionBytes: 1024 * 1024,
    maxItems: 2000,
    pool: { threads: 2, backstopMs: 1500, faultInjection: true },
  });
  base = (await service.listen()).url;
});
afterAll(async () => {
  await service.close();
});

describe("native endpoint", () => {
  it("scores a mixed batch", async () => {
    const r = await scoreItems([goodChoice, wrongChoice, goodProof]);
    expect(r.rewards).toEqual([1, 0, 1]);
    expect(r.scores).toEqual([1, 0, 1]);
    expect(r.results.map((x) => x.code)).toEqual(["ok", "wrong-answer", "ok"]);
  });
  it("merges request defaults under each item", async () => {
    const r = await post(
      "/v1/score",
      JSON.stringify({
        defaults: { problem: c.wire, task: "proof" },
        items: [{ completion: c.proof }, { completion: "x" }],
      }),
    );
    expect((r.json as { rewards: number[] }).rewards).toEqual([1, 0]);
  });
  it("health is ok", async () => {
    const r = await fetch(base + "/health");
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: "ok", threads: 2 });
  });
});

describe("malformed requests get a clear 4xx", () => {
  const cases: Array<[string, string | Uint8Array, Record<string, string>, number, string]> = [
    ["malformed JSON", '{"items": [', {}, 400, "malformed-json"],
    ["empty body", "", {}, 400, "empty-body"],
    ["body is a list", "[1,2]", {}, 400, "bad-request"],
    ["items missing", "{}", {}, 400, "bad-request"],
    ["items not a list", '{"items": "abc"}', {}, 400, "bad-request"],
    ["no items", '{"items": []}', {}, 400, "bad-request"],
    ["defaults not an object", '{"items": [{}], "defaults": 3}', {}, 400, "bad-request"],
    [
      "binary garbage as JSON",
      new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256)),
      {},
      400,
      "malformed-json",
    ],
    [
      "binary garbage as octet-stream",
      new Uint8Array([0, 1, 2, 255, 254]),
      { "content-type": "application/octet-stream" },
      415,
      "unsupported-media-type",
    ],
    ["deeply nested JSON", "[".repeat(100_000) + "]".repeat(100_000), {}, 400, "too-deep"],
    [
      "deep nesting inside an item",
      JSON.stringify({
        items: [
          { completion: "x", answer: "A", problem: JSON.parse("[".repeat(80) + "]".repeat(80)) as unknown },
        ],
      }),
      {},
      400,
      "too-deep",
    ],
  ];
  for (const [name, body, headers, status, code] of cases) {
    it(name, async () => {
      const r = await post("/v1/score", body, headers);
      expect(r.status).toBe(status);
      expect(r.json).toMatchObject({ error: { code } });
      expect(typeof (r.json.error as { message?: unknown }).message).toBe("string");
    });
  }
  it("too many items", async () => {
    const r = await post(
      "/v1/score",
      JSON.stringify({ items: Array.from({ length: 2001 }, () => goodChoice) }),
    );
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ error: { code: "too-many-items" } });
  });
  it("oversized body", async () => {
    const r = await post(
      "/v1/score",
      JSON.stringify({ items: [{ completion: "x".repeat(17 * 1024 * 1024), answer: "A" }] }),
    );
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ error: { code: "body-too-large" } });
  });
  it("unknown route", async () => {
    const r = await post("/v2/nothing", "{}");
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ error: { code: "not-found" } });
  });
  it("keeps serving afterwards", stillServing);
});

describe("bad items get reward 0 with a code and leave the others alone", () => {
  it("wrong types, missing fields, garbage text, unknown ids, a 10 MB completion", async () => {
    const tenMb = { completion: "<answer> " + "y".repeat(10 * 1024 * 1024) + " </answer>", answer: "A" };
    const garbage = {
      completion: Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256)).toString("latin1"),
      problem: c.wire,
    };
    const items = [
      goodChoice,
      { completion: 12, answer: "A" },
      goodProof,
      { answer: "A" },
      tenMb,
      garbage,
      { completion: "x", id: "0123456789abcdef/1/2", config: { level: "implication", depth: 3 } },
      { completion: "x", id: "not-an-id" },
      { completion: "x", problem: { v: 1, facts: "nope" } },
      "just a string",
      wrongChoice,
    ];
    const r = await scoreItems(items);
    expect(r.rewards).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const codes = r.results.map((x) => x.code);
    expect(codes[1]).toBe("bad-request");
    expect(codes[3]).toBe("bad-request");
    expect(codes[4]).toBe("size-limit");
    expect(codes[5]).toBe("no-proof-block");
    expect(codes[6]).toBe("bad-item");
    expect(codes[7]).toBe("bad-item");
    expect(codes[8]).toBe("bad-item");
    expect(codes[9]).toBe("bad-request");
    expect(codes[10]).toBe("wrong-answer");
  });
  it("a proof built to make lenient search expensive", async () => {
    const big = chain(40, 5);
    const junk = Array.from({ length: 1500 }, (_, i) => `${i + 1}. ${big.wrongText}.`);
    const items = [
      goodProof,
      { completion: "<proof>\n" + junk.join("\n") + "\n</proof>", problem: big.wire, mode: "lenient" },
      { ...goodProof, mode: "lenient" },
    ];
    const r = await scoreItems(items);
    expect(r.rewards).toEqual([1, 0, 1]);
    expect(["not-an-inference", "budget", "size-limit"]).toContain(r.results[1]?.code);
  });
});

describe("faults inside workers", () => {
  it("a hung item times out alone; the rest of its batch keeps its rewards", async () => {
    const hang = { completion: FAULT + "hang", answer: "A" };
    const items = [goodChoice, wrongChoice, hang, goodProof, goodChoice, wrongChoice];
    const r = await scoreItems(items);
    expect(r.rewards).toEqual([1, 0, 0, 1, 1, 0]);
    expect(r.results[2]?.code).toBe("timeout");
    await stillServing();
  });
  it("an item that kills its worker gets internal; the others are unchanged", async () => {
    const crash = { completion: FAULT + "crash", answer: "A" };
    const r = await scoreItems([goodProof, crash, goodChoice, wrongChoice]);
    expect(r.rewards).toEqual([1, 0, 1, 0]);
    expect(r.results[1]?.code).toBe("internal");
    await stillServing();
  });
  it("a worker killed from outside mid-batch: every item still gets its own reward", async () => {
    // Each item stalls 100 ms in the worker before scoring normally, so the batch is in flight.
    const slow = (x: { completion: string }) => ({ ...x, completion: FAULT + "sleep:100 " + x.completion });
    const items = [goodChoice, wrongChoice, goodProof, goodChoice, wrongChoice, goodProof].map(slow);
    const before = service.pool.stats.crashes;
    const pending = scoreItems(items);
    await untilRunning();
    const victim = service.pool.threads[0];
    expect(victim).toBeDefined();
    await victim?.terminate();
    const r = await pending;
    expect(r.rewards).toEqual([1, 0, 1, 1, 0, 1]);
    expect(service.pool.stats.crashes).toBeGreaterThan(before);
    await stillServing();
  });
});

describe("OpenRLHF endpoint", () => {
  const prompt =
    "<|im_start|>user\nQuestion. Example: <answer> Alice is abcde </answer>.<|im_end|>\n<|im_start|>assistant\n";
  it("speaks {query, prompts, labels} → {rewards, scores, extra_logs}", async () => {
    const query = [
      prompt + `Reasoning. <answer> ${c.goldText} </answer><|im_end|>`,
      prompt + `<answer> ${c.wrongText} </answer><|im_end|><|endoftext|>`,
      "<s>" + prompt + `<answer> ${c.goldText} </answer></s>`,
    ];
    const labels = [JSON.stringify([c.goldText]), c.goldText, JSON.stringify({ answer: c.goldText })];
    const r = await post("/openrlhf", JSON.stringify({ query, prompts: [prompt, prompt, prompt], labels }));
    expect(r.status).toBe(200);
    const body = r.json as { rewards: number[]; scores: number[]; extra_logs: Record<string, number[]> };
    expect(Object.keys(body).sort()).toEqual(["extra_logs", "rewards", "scores"]);
    expect(body.rewards).toEqual([1, 0, 1]);
    expect(body.scores).toEqual([1, 0, 1]);
    for (const v of Object.values(body.extra_logs)) {
      expect(v).toHaveLength(3);
      for (const x of v) expect(typeof x).toBe("number");
    }
  });
  it("a query whose prompt cannot be found never earns reward from the prompt's example", async () => {
    const r = await post(
      "/openrlhf",
      JSON.stringify({
        query: ["Example: <answer> Alice is abcde </answer>. <answer> Alice is abcde </answer>"],
        prompts: ["something else"],
        labels: ["Alice is abcde"],
      }),
    );
    expect((r.json as { rewards: number[] }).rewards).toEqual([0]);
  });
  it("proof task through labels carrying the wire problem, options in the URL", async () => {
    const label = JSON.stringify({ problem: c.wire });
    const bare = c.proof.replace(/ \[[^\]]*\]/g, "");
    const r1 = await post(
      "/openrlhf",
      JSON.stringify({ query: [prompt + bare], prompts: [prompt], labels: [label] }),
    );
    expect((r1.json as { rewards: number[] }).rewards).toEqual([0]);
    const r2 = await post(
      "/openrlhf?mode=lenient",
      JSON.stringify({ query: [prompt + bare], prompts: [prompt], labels: [label] }),
    );
    expect((r2.json as { rewards: number[] }).rewards).toEqual([1]);
  });
  it("rejects wrong shapes with 400", async () => {
    for (const body of [
      {},
      { query: "x", labels: [] },
      { query: ["x"], labels: [] },
      { query: ["x"], labels: ["a"], prompts: "p" },
      { query: [1], labels: ["a"] },
    ]) {
      const r = await post("/openrlhf", JSON.stringify(body));
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ error: { code: "bad-request" } });
    }
  });
  it("accepts prompts: null (older releases) and strips by chat template", async () => {
    const r = await post(
      "/openrlhf",
      JSON.stringify({
        query: [prompt + `<answer> ${c.goldText} </answer><|im_end|>`],
        prompts: null,
        labels: [c.goldText],
      }),
    );
    expect((r.json as { rewards: number[] }).rewards).toEqual([1]);
  });
  it("a null label scores 0 with a code instead of failing the request", async () => {
    const r = await post(
      "/openrlhf",
      JSON.stringify({
        query: ["x", prompt + `<answer> ${c.goldText} </answer>`],
        prompts: ["", prompt],
        labels: [null, c.goldText],
      }),
    );
    expect((r.json as { rewards: number[] }).rewards).toEqual([0, 1]);
  });
});

describe("metrics", () => {
  it("Prometheus text and JSON", async () => {
    const text = await (await fetch(base + "/metrics")).text();
    expect(text).toContain("scalelogic_verifications_total");
    expect(text).toMatch(/scalelogic_rejects_total\{code="malformed-json"\} \d+/);
    expect(text).toMatch(/scalelogic_request_latency_ms\{route="\/v1\/score",quantile="0.99"\}/);
    const json = (await (await fetch(base + "/metrics?format=json")).json()) as Record<string, unknown>;
    expect(json.verifications as number).toBeGreaterThan(10);
    expect(json.resultsByCode).toMatchObject({ ok: expect.any(Number), timeout: expect.any(Number) });
  });
});
