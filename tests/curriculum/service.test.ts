// The curriculum HTTP routes, driven through fastify.inject on a bare instance.
import { afterEach, describe, expect, it } from "vitest";
import Fastify, { type FastifyInstance } from "fastify";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerCurriculumRoutes } from "../../src/service/curriculum.js";
import { canonicalJson } from "../../src/curriculum/history.js";
import { initOrThrow, next } from "../../src/curriculum/controller.js";

const apps: FastifyInstance[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function app(stateFile?: string): FastifyInstance {
  const a = Fastify({ logger: false });
  registerCurriculumRoutes(a, stateFile === undefined ? {} : { stateFile });
  apps.push(a);
  return a;
}

async function post(
  a: FastifyInstance,
  url: string,
  payload: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await a.inject({ method: "POST", url, payload: payload as Record<string, unknown> });
  return { status: r.statusCode, body: r.json<Record<string, unknown>>() };
}

describe("stateless curriculum routes", () => {
  it("starts a run, takes feedback, and matches the library's batches", async () => {
    const a = app();
    const sched = { kind: "step", maxDepth: 12, batchSize: 8 };
    const r1 = await post(a, "/v1/curriculum/next", { schedule: sched, seed: 5 });
    expect(r1.status).toBe(200);
    const lib = next(initOrThrow(sched, { seed: 5 }));
    expect(canonicalJson(r1.body["spec"])).toBe(canonicalJson(lib.spec));

    const f = await post(a, "/v1/curriculum/feedback", {
      state: r1.body["state"],
      report: { batch: 0, accuracy: 0.8 },
    });
    expect(f.status).toBe(200);
    expect(f.body).toMatchObject({ action: "raise", accuracy: 0.8 });
    const r2 = await post(a, "/v1/curriculum/next", { state: f.body["state"] });
    expect(r2.body["spec"]).toMatchObject({ batch: 1, frontier: 8, depthRange: [1, 8] });

    // next with a report applies it first (one round trip per training step).
    const r3 = await post(a, "/v1/curriculum/next", {
      state: r2.body["state"],
      report: {
        items: [
          { depth: 3, reward: 1 },
          { depth: 7, reward: 1 },
        ],
      },
    });
    expect(r3.body["feedback"]).toMatchObject({ action: "raise", inRange: 2 });
    expect(r3.body["spec"]).toMatchObject({ batch: 2, frontier: 10 });
  });

  it("rejects bad feedback and bad state with 400 and stable codes", async () => {
    const a = app();
    const r1 = await post(a, "/v1/curriculum/next", { schedule: { kind: "adaptive" } });
    const state = r1.body["state"];
    const cases: [unknown, string][] = [
      [{ state, report: { accuracy: 1.5 } }, "out-of-range"],
      [{ state, report: { items: [{ depth: 2, reward: 1, level: "modal" }] } }, "unknown-level"],
      [{ state, report: { accuracy: "high" } }, "invalid-type"],
      [{ state: { ...(state as object), issued: "x" }, report: { accuracy: 0.5 } }, "invalid-type"],
      [{ state, report: { accuracy: 0.5 }, extra: 1 }, "unknown-field"],
      [{ state }, "missing"],
      [[1, 2], "invalid-type"],
    ];
    for (const [payload, code] of cases) {
      const r = await post(a, "/v1/curriculum/feedback", payload);
      expect(r.status).toBe(400);
      expect(r.body["error"]).toBe(code);
    }
    const noState = await post(a, "/v1/curriculum/next", {});
    expect(noState.status).toBe(400);
    const badSchedule = await post(a, "/v1/curriculum/next", { schedule: { kind: "step", level: "modal" } });
    expect(badSchedule.body["error"]).toBe("unknown-level");
    const stateless = await a.inject({ method: "GET", url: "/v1/curriculum/state" });
    expect(stateless.statusCode).toBe(404);
  });
});

describe("persisted curriculum routes", () => {
  it("keeps the run in the named file so a restarted service continues where it stopped", async () => {
    const dir = mkdtempSync(join(tmpdir(), "curriculum-"));
    dirs.push(dir);
    const file = join(dir, "state.json");
    const a = app(file);
    const r1 = await post(a, "/v1/curriculum/next", {
      schedule: { kind: "step", maxDepth: 10, batchSize: 4 },
      seed: 1,
    });
    expect(r1.status).toBe(200);
    const f = await post(a, "/v1/curriculum/feedback", { report: { accuracy: 0.9 } });
    expect(f.body).toMatchObject({ action: "raise" });
    const onDisk = JSON.parse(readFileSync(file, "utf8")) as unknown;
    expect(canonicalJson(onDisk)).toBe(canonicalJson(f.body["state"]));

    // A second start with a schedule would discard the run: refused unless reset.
    const clash = await post(a, "/v1/curriculum/next", { schedule: { kind: "fixed" } });
    expect(clash.status).toBe(409);

    const b = app(file); // "restart"
    const got = await b.inject({ method: "GET", url: "/v1/curriculum/state" });
    expect(canonicalJson(got.json<Record<string, unknown>>()["state"])).toBe(canonicalJson(f.body["state"]));
    const r2 = await post(b, "/v1/curriculum/next", {});
    expect(r2.body["spec"]).toMatchObject({ batch: 1, frontier: 8 });

    // A rejected report leaves the file untouched.
    const before = readFileSync(file, "utf8");
    const bad = await post(b, "/v1/curriculum/feedback", { report: { accuracy: NaN } });
    expect(bad.status).toBe(400);
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("refuses to start on a corrupt state file", () => {
    const dir = mkdtempSync(join(tmpdir(), "curriculum-"));
    dirs.push(dir);
    const file = join(dir, "state.json");
    writeFileSync(file, '{"format":"scalelogic-curriculum/1","seed":-4}');
    expect(() => app(file)).toThrow(/not a valid state/);
  });
});
