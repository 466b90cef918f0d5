// Service lifecycle and guarantees: bearer auth, graceful shutdown finishing in-flight work, the
// CLI's signal handling, determinism across worker counts, batch sizes and order, and the Python
// trainer adapters in examples/ against a live server.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createService } from "../../dist/src/service/server.js";
import { ScorePool } from "../../dist/src/service/pool.js";
import { generateItem } from "../../dist/src/generator/index.js";
import { defaultConfig } from "../../dist/src/generator/config.js";
import { chain, fcParams } from "../reward/chain.js";

const root = new URL("../../", import.meta.url).pathname;
const FAULT = "\u0000fault:";
const c = chain(4, 21);

function json(body: unknown, token?: string): RequestInit {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return { method: "POST", headers, body: JSON.stringify(body) };
}

describe("bearer token", () => {
  it("off: requests pass; on: only the right token passes, /health stays open", async () => {
    const open = createService({ port: 0, pool: { threads: 1 } });
    const openUrl = (await open.listen()).url;
    const body = { items: [{ completion: `<answer> ${c.goldText} </answer>`, answer: c.goldText }] };
    expect((await fetch(openUrl + "/v1/score", json(body))).status).toBe(200);
    await open.close();

    const locked = createService({ port: 0, token: "s3cret-token", pool: { threads: 1 } });
    const url = (await locked.listen()).url;
    try {
      const none = await fetch(url + "/v1/score", json(body));
      expect(none.status).toBe(401);
      expect(await none.json()).toMatchObject({ error: { code: "unauthorized" } });
      expect((await fetch(url + "/v1/score", json(body, "wrong"))).status).toBe(401);
      expect((await fetch(url + "/v1/score", json(body, "s3cret-token-and-more"))).status).toBe(401);
      expect((await fetch(url + "/openrlhf", json({ query: ["x"], labels: ["y"] }))).status).toBe(401);
      expect((await fetch(url + "/metrics")).status).toBe(401);
      const ok = await fetch(url + "/v1/score", json(body, "s3cret-token"));
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { rewards: number[] }).rewards).toEqual([1]);
      expect((await fetch(url + "/health")).status).toBe(200);
    } finally {
      await locked.close();
    }
  });
});

describe("graceful shutdown", () => {
  it("finishes the in-flight batch, then refuses connections", async () => {
    const s = createService({ port: 0, pool: { threads: 2, faultInjection: true } });
    const url = (await s.listen()).url;
    const slow = (x: string) => FAULT + "sleep:300 " + x;
    const items = [
      { completion: slow(`<answer> ${c.goldText} </answer>`), answer: c.goldText },
      { completion: slow(`<answer> ${c.wrongText} </answer>`), answer: c.goldText },
      { completion: slow(c.proof), problem: c.wire },
    ];
    const inFlight = fetch(url + "/v1/score", json({ items }));
    for (let i = 0; i < 2000 && s.pool.stats.running === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(s.pool.stats.running).toBeGreaterThan(0);
    const closing = s.close();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { rewards: number[] }).rewards).toEqual([1, 0, 1]);
    await closing;
    await expect(fetch(url + "/health")).rejects.toThrow();
  });

  it("the CLI stops on SIGTERM with exit code 0", async () => {
    const child = spawn(
      process.execPath,
      [join(root, "dist/src/cli/main.js"), "serve", "--port", "0", "--threads", "1"],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let err = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on("data", (d: Buffer) => {
        err += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(err);
        if (m?.[1] !== undefined) resolve(m[1]);
      });
      child.on("exit", () => reject(new Error(`serve exited early: ${err}`)));
    });
    const r = await fetch(url + "/v1/score", json({ items: [{ completion: c.proof, problem: c.wire }] }));
    expect(((await r.json()) as { rewards: number[] }).rewards).toEqual([1]);
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", (code) => resolve(code));
      child.kill("SIGTERM");
    });
    expect(code).toBe(0);
    expect(err).toContain("stopped");
  });
});

/** A fixed mixed workload: generated items of every task (gold and corrupted) and chain proofs. */
function workload(): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const levels = ["implication", "conjunction", "negation", "disjunction", "quantification"] as const;
  for (const level of levels) {
    for (const task of ["choice", "proof", "choice+proof"] as const) {
      const config = defaultConfig({ level, depth: 3, task });
      const item = generateItem(config, 5, 1);
      const proof = `<proof>\n${item.goldProof}\n</proof>`;
      const answer = `<answer> ${item.answer} </answer>`;
      const right = task === "choice" ? answer : task === "proof" ? proof : `${answer}\n${proof}`;
      const lines = item.goldProof.split("\n");
      const broken = `<proof>\n${lines.slice(0, -1).join("\n")}\n</proof>`;
      out.push({ completion: right, id: item.id, config });
      out.push({ completion: right, problem: item.problem, task });
      out.push({
        completion:
          task === "choice"
            ? `<answer> ${item.candidates.find((x) => x !== item.answer) ?? ""} </answer>`
            : broken,
        id: item.id,
        config,
      });
      out.push({
        completion: right.replace(/ \[[^\]]*\]/g, ""),
        problem: item.problem,
        task,
        mode: "lenient",
      });
    }
  }
  for (let d = 1; d <= 6; d++) {
    const ch = chain(d, d + 40);
    out.push({ completion: ch.proof, problem: ch.wire });
    out.push({ completion: ch.proof.replace(`[apply R1 1]`, `[apply R1 2]`), problem: ch.wire });
  }
  out.push({ completion: 7 }, { completion: "x", id: "0123456789abcdef/0/0", config: {} });
  return out;
}

describe("determinism", () => {
  it("property: same rewards whatever the worker count, batch size and order", async () => {
    const items = workload();
    const one = new ScorePool({ threads: 1, maxTaskItems: 3 });
    const two = new ScorePool({ threads: 2 });
    try {
      const reference = await two.scoreBatch(items);
      expect(reference.filter((r) => r.reward === 1).length).toBeGreaterThan(items.length / 3);
      await fc.assert(
        fc.asyncProperty(
          fc.shuffledSubarray(
            items.map((_, i) => i),
            { minLength: items.length, maxLength: items.length },
          ),
          fc.integer({ min: 1, max: 40 }),
          fc.boolean(),
          async (order, batch, useOne) => {
            const pool = useOne ? one : two;
            for (let k = 0; k < order.length; k += batch) {
              const idx = order.slice(k, k + batch);
              const got = await pool.scoreBatch(idx.map((i) => items[i]));
              idx.forEach((i, j) => expect(got[j]).toEqual(reference[i]));
            }
          },
        ),
        fcParams(12),
      );
    } finally {
      await one.close();
      await two.close();
    }
  });
});

const python = ["/usr/bin/python3", "python3"].find((p) => spawnSync(p, ["--version"]).status === 0);

describe.skipIf(python === undefined)("Python adapters against a live server", () => {
  it("verl compute_score / compute_score_batch, TRL reward function, an OpenRLHF-style client", async () => {
    const s = createService({ port: 0, token: "py-token", pool: { threads: 1 } });
    const url = (await s.listen()).url;
    const item = generateItem(defaultConfig({ level: "negation", depth: 3, task: "proof" }), 9, 0);
    const choice = generateItem(defaultConfig({ level: "negation", depth: 3, task: "choice" }), 9, 0);
    const dir = mkdtempSync(join(tmpdir(), "scalelogic-py-"));
    const script = join(dir, "run.py");
    const payload = {
      proof: `<proof>\n${item.goldProof}\n</proof>`,
      problem: JSON.stringify(item.problem),
      answer: choice.answer,
      choiceProblem: JSON.stringify(choice.problem),
      choiceConfig: JSON.stringify(choice.config),
      choiceId: choice.id,
      prompt: choice.prompt,
    };
    writeFileSync(join(dir, "payload.json"), JSON.stringify(payload));
    writeFileSync(
      script,
      `
import json, sys, urllib.request
sys.path.insert(0, ${JSON.stringify(join(root, "examples"))})
p = json.load(open(${JSON.stringify(join(dir, "payload.json"))}))
import verl_reward, trl_reward
out = {}
out["verl_paper_row"] = verl_reward.compute_score("x", "<answer> " + p["answer"] + " </answer>", [p["answer"]])["score"]
out["verl_wrong"] = verl_reward.compute_score("x", "<answer> " + p["answer"] + ". </answer>", [p["answer"]])["score"]
out["verl_proof"] = verl_reward.compute_score("scalelogic", p["proof"], "goal", {"problem": p["problem"], "task": "proof"})
out["verl_id"] = verl_reward.compute_score("scalelogic", "<answer> " + p["answer"] + " </answer>", p["answer"], {"id": p["choiceId"], "config": p["choiceConfig"], "task": "choice"})["score"]
out["verl_batch"] = [r["score"] for r in verl_reward.compute_score_batch(["a", "b"], [p["proof"], "nothing"], ["g", "g"], [{"problem": p["problem"], "task": "proof"}] * 2)]
out["trl"] = trl_reward.scalelogic_reward(["q", "q", "q"], [p["proof"], [{"role": "assistant", "content": p["proof"]}], "no"], problem=[p["problem"]] * 3, task=["proof"] * 3)
out["trl_answer"] = trl_reward.scalelogic_reward(["q"], ["<answer> " + p["answer"] + " </answer>"], answer=[p["answer"]])
req = urllib.request.Request(verl_reward.URL + "/openrlhf", data=json.dumps({"query": [p["prompt"] + "<answer> " + p["answer"] + " </answer>"], "prompts": [p["prompt"]], "labels": [json.dumps({"problem": p["choiceProblem"], "task": "choice"})]}).encode(), headers={"Content-Type": "application/json", "Authorization": "Bearer py-token"})
out["openrlhf"] = json.loads(urllib.request.urlopen(req, timeout=30).read())
print(json.dumps(out))
`,
    );
    try {
      const run = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(python ?? "python3", [script], {
          env: { ...process.env, SCALELOGIC_URL: url, SCALELOGIC_TOKEN: "py-token" },
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("exit", (code) => resolve({ code, out, err }));
      });
      expect(run.err).toBe("");
      expect(run.code).toBe(0);
      const out = JSON.parse(run.out) as Record<string, unknown>;
      expect(out.verl_paper_row).toBe(1);
      expect(out.verl_wrong).toBe(0);
      expect(out.verl_proof).toMatchObject({ score: 1, acc: 1, format_error: 0 });
      expect(out.verl_id).toBe(1);
      expect(out.verl_batch).toEqual([1, 0]);
      expect(out.trl).toEqual([1, 1, 0]);
      expect(out.trl_answer).toEqual([1]);
      expect(out.openrlhf).toMatchObject({ rewards: [1], scores: [1] });
    } finally {
      await s.close();
    }
  });
});

it("the examples exist", () => {
  for (const f of ["verl_reward.py", "trl_reward.py", "node-trainer.mjs", "openrlhf.md"]) {
    expect(existsSync(join(root, "examples", f))).toBe(true);
  }
});
