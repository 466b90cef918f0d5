// Laws of the pure curriculum controller: determinism, replay, the step cap, allocation, and
// rejection of bad feedback without touching the state.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  allocate,
  feedback,
  init,
  initOrThrow,
  next,
  position,
  validateState,
  type CurriculumState,
} from "../../src/curriculum/controller.js";
import { canonicalJson, Recorder, replay } from "../../src/curriculum/history.js";
import { CurriculumError, LEVELS, validateSchedule } from "../../src/curriculum/schedule.js";

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;
console.log(`controller.test: fast-check seed ${seed} (pin with FC_SEED=${seed})`);
const params = { seed, numRuns: 60 };

const levelArb = fc.constantFrom(...LEVELS);
const depthArb = fc.integer({ min: 1, max: 40 });

/** Raw schedules of every kind, valid by construction. */
const scheduleArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({
    kind: fc.constant("fixed"),
    level: levelArb,
    depth: depthArb,
    batchSize: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({
    kind: fc.constant("uniform"),
    level: levelArb,
    maxDepth: depthArb,
    batchSize: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({
    kind: fc.constant("difficult"),
    level: levelArb,
    maxDepth: depthArb,
    batchSize: fc.integer({ min: 1, max: 50 }),
  }),
  depthArb.chain((maxDepth) =>
    fc.record({
      kind: fc.constant("step"),
      level: levelArb,
      maxDepth: fc.constant(maxDepth),
      start: fc.integer({ min: 1, max: maxDepth }),
      step: fc.integer({ min: 1, max: 4 }),
      threshold: fc.double({ min: 0, max: 1, noNaN: true }),
      mix: fc.constantFrom("uniform", "exact"),
      batchSize: fc.integer({ min: 1, max: 50 }),
    }),
  ),
  fc.tuple(depthArb, depthArb).chain(([a, b]) =>
    fc.record({
      kind: fc.constant("adaptive"),
      levels: fc.uniqueArray(levelArb, { minLength: 1, maxLength: 3 }),
      minDepth: fc.constant(Math.min(a, b)),
      maxDepth: fc.constant(Math.max(a, b)),
      startDepth: fc.integer({ min: Math.min(a, b), max: Math.max(a, b) }),
      band: fc.constantFrom([0.3, 0.7], [0.2, 0.5], [0.4, 0.6]),
      patience: fc.integer({ min: 1, max: 3 }),
      smoothing: fc.double({ min: 0.05, max: 1, noNaN: true }),
      stepSize: fc.integer({ min: 1, max: 3 }),
      window: fc.integer({ min: 0, max: 3 }),
      batchSize: fc.integer({ min: 1, max: 50 }),
    }),
  ),
);

const itemArb = fc.record(
  { depth: fc.integer({ min: 1, max: 40 }), reward: fc.constantFrom(0, 1, 0.5), level: levelArb },
  { requiredKeys: ["depth", "reward"] },
);
/** A valid report (maybe naming the latest batch); never names an unissued batch. */
const reportArb = fc.oneof(
  fc.record({ items: fc.array(itemArb, { maxLength: 30 }) }),
  fc.record({ accuracy: fc.double({ min: 0, max: 1, noNaN: true }) }),
);
/** A script of actions: issue a batch, or report on the latest one. */
const scriptArb = fc.array(fc.oneof(fc.constant<"next">("next"), reportArb), { maxLength: 40 });

function run(state0: CurriculumState, script: readonly ("next" | Record<string, unknown>)[]): Recorder {
  const rec = new Recorder(state0);
  for (const a of script) {
    if (a === "next") rec.next();
    else rec.feedback(a);
  }
  return rec;
}

describe("schedule validation", () => {
  it("fills the paper's step numbers by default", () => {
    const r = validateSchedule({ kind: "step" });
    expect(r.ok && r.value).toMatchObject({
      kind: "step",
      start: 6,
      step: 2,
      threshold: 0.7,
      mix: "uniform",
    });
  });
  it("rejects unknown kinds, levels and fields with stable codes", () => {
    const codes = (x: unknown): string[] => {
      const r = validateSchedule(x);
      return r.ok ? [] : r.issues.map((i) => i.code);
    };
    expect(codes({ kind: "sometimes" })).toEqual(["unknown-schedule"]);
    expect(codes({ kind: "fixed", level: "modal" })).toEqual(["unknown-level"]);
    expect(codes({ kind: "fixed", colour: 1 })).toEqual(["unknown-field"]);
    expect(codes({ kind: "step", maxDepth: 4, start: 6 })).toEqual(["inconsistent"]);
    expect(codes({ kind: "adaptive", band: [0.8, 0.2] })).toEqual(["out-of-range"]);
    expect(codes({ kind: "adaptive", levels: [] })).toEqual(["invalid-type"]);
    expect(codes({ kind: "uniform", maxDepth: 1.5 })).toEqual(["invalid-type"]);
    expect(codes(null)).toEqual(["invalid-type"]);
  });
  it("initOrThrow throws a CurriculumError naming the field", () => {
    expect(() => initOrThrow({ kind: "step", threshold: 2 })).toThrow(CurriculumError);
    expect(() => initOrThrow({ kind: "step", threshold: 2 })).toThrow(/threshold/);
  });
});

describe("batch specs", () => {
  it("are deterministic and survive a JSON round trip of the state", () => {
    fc.assert(
      fc.property(scheduleArb, fc.nat(), scriptArb, (sched, s, script) => {
        const st = run(initOrThrow(sched, { seed: s }), script).state;
        const again = JSON.parse(JSON.stringify(st)) as unknown;
        const v = validateState(again);
        expect(v.ok).toBe(true);
        if (!v.ok) return;
        expect(canonicalJson(next(v.value))).toBe(canonicalJson(next(st)));
      }),
      params,
    );
  });

  it("allocate covers the range evenly and sums to the count", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.nat(1000),
        fc.nat(),
        (lo, w, n, s) => {
          const a = allocate([lo, lo + w], n, s);
          expect(a.reduce((x, y) => x + y.count, 0)).toBe(n);
          const counts = a.map((x) => x.count);
          for (const x of a) expect(x.depth >= lo && x.depth <= lo + w).toBe(true);
          if (n >= w + 1) expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        },
      ),
      params,
    );
  });

  it("specs match the schedule: step is uniform over 1..cap, difficult at the top, seeds differ per batch", () => {
    let st = initOrThrow({ kind: "step", maxDepth: 16, batchSize: 12 }, { seed: 7 });
    const a = next(st);
    expect(a.spec.depthRange).toEqual([1, 6]);
    expect(a.spec.allocation).toEqual([1, 2, 3, 4, 5, 6].map((depth) => ({ depth, count: 2 })));
    st = a.state;
    const b = next(st);
    expect(b.spec.batch).toBe(1);
    expect(b.spec.generatorSeed).not.toBe(a.spec.generatorSeed);
    const d = next(initOrThrow({ kind: "difficult", maxDepth: 9, level: "negation" })).spec;
    expect(d).toMatchObject({
      level: "negation",
      depthRange: [9, 9],
      allocation: [{ depth: 9, count: 256 }],
    });
    // Neighbouring run seeds must not share batch seeds.
    const s1 = next(initOrThrow({ kind: "fixed" }, { seed: 1 })).spec.generatorSeed;
    const s2 = next(initOrThrow({ kind: "fixed" }, { seed: 2 })).spec.generatorSeed;
    expect(s1).not.toBe(s2);
  });
});

describe("replay", () => {
  it("a logged history replays to the same batches and the same final state", () => {
    fc.assert(
      fc.property(scheduleArb, fc.nat(), scriptArb, (sched, s, script) => {
        const rec = run(initOrThrow(sched, { seed: s }), script);
        const logged = JSON.parse(JSON.stringify(rec.history)) as unknown;
        const r = replay(logged);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const specs = rec.history.events.flatMap((e) => (e.type === "next" ? [e.spec] : []));
        expect(canonicalJson(r.value.specs)).toBe(canonicalJson(specs));
        expect(canonicalJson(r.value.state)).toBe(canonicalJson(rec.state));
      }),
      params,
    );
  });

  it("a tampered log is caught at the first differing batch", () => {
    const rec = new Recorder(initOrThrow({ kind: "adaptive", maxDepth: 10 }, { seed: 3 }));
    for (let i = 0; i < 6; i++) {
      rec.next();
      rec.feedback({ accuracy: 0.95 });
    }
    const h = JSON.parse(JSON.stringify(rec.history)) as {
      events: { type: string; spec?: { frontier: number } }[];
    };
    const ev = h.events[6];
    if (ev?.spec === undefined) throw new Error("expected a next event");
    ev.spec.frontier += 1;
    const r = replay(h);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ code: "replay-mismatch", path: "history.events[6].spec" });
  });
});

describe("step curriculum", () => {
  it("the cap never lowers, never exceeds maxDepth, and rises exactly when in-range accuracy ≥ threshold", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((maxDepth) =>
          fc.record({
            kind: fc.constant("step"),
            maxDepth: fc.constant(maxDepth),
            start: fc.integer({ min: 1, max: maxDepth }),
            step: fc.integer({ min: 1, max: 5 }),
            threshold: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
        ),
        scriptArb,
        (sched, script) => {
          let st = initOrThrow(sched);
          for (const a of script) {
            const before = st.controller.kind === "step" ? st.controller.cap : -1;
            if (a === "next") {
              st = next(st).state;
              continue;
            }
            const r = feedback(st, a);
            if (!r.ok) continue;
            st = r.value.state;
            const after = st.controller.kind === "step" ? st.controller.cap : -1;
            expect(after).toBeGreaterThanOrEqual(before);
            expect(after).toBeLessThanOrEqual(sched.maxDepth);
            const acc = r.value.accuracy;
            const shouldRise = acc !== null && acc >= sched.threshold && before < sched.maxDepth;
            expect(after).toBe(shouldRise ? Math.min(sched.maxDepth, before + sched.step) : before);
          }
        },
      ),
      params,
    );
  });

  it("raises at exactly the threshold (≥, not >) and holds just below it", () => {
    const st = next(initOrThrow({ kind: "step", maxDepth: 20 })).state;
    const at = feedback(st, { accuracy: 0.7 });
    expect(at.ok && at.value.action).toBe("raise");
    const below = feedback(st, { accuracy: 0.6999 });
    expect(below.ok && below.value.action).toBe("hold");
  });

  it("counts only in-range items (depth ≤ cap), as the paper's trainer does", () => {
    let st = next(initOrThrow({ kind: "step", maxDepth: 20 })).state;
    // All in-range items solved, the out-of-range ones failed: the cap still rises 6 → 8.
    const items = [
      ...Array.from({ length: 6 }, (_, i) => ({ depth: i + 1, reward: 1 })),
      { depth: 12, reward: 0 },
    ];
    const r = feedback(st, { items });
    expect(r.ok && r.value).toMatchObject({ inRange: 6, accuracy: 1, action: "raise" });
    if (r.ok) st = r.value.state;
    expect(position(st).frontier).toBe(8);
  });
});

describe("bad feedback", () => {
  const st = next(initOrThrow({ kind: "step" })).state;
  const cases: [string, unknown, string][] = [
    ["NaN accuracy", { accuracy: NaN }, "invalid-type"],
    ["accuracy > 1", { accuracy: 1.2 }, "out-of-range"],
    ["accuracy < 0", { accuracy: -0.1 }, "out-of-range"],
    ["infinite accuracy", { accuracy: Infinity }, "out-of-range"],
    ["string accuracy", { accuracy: "0.9" }, "invalid-type"],
    ["unknown report level", { accuracy: 0.9, level: "modal" }, "unknown-level"],
    ["unknown item level", { items: [{ depth: 2, reward: 1, level: "temporal" }] }, "unknown-level"],
    ["NaN reward", { items: [{ depth: 2, reward: NaN }] }, "invalid-type"],
    ["reward 2", { items: [{ depth: 2, reward: 2 }] }, "out-of-range"],
    ["depth 0", { items: [{ depth: 0, reward: 1 }] }, "out-of-range"],
    ["fractional depth", { items: [{ depth: 2.5, reward: 1 }] }, "out-of-range"],
    ["items not an array", { items: { depth: 2, reward: 1 } }, "invalid-type"],
    ["both items and accuracy", { items: [], accuracy: 0.5 }, "missing"],
    ["neither", {}, "missing"],
    ["not an object", "0.9", "invalid-type"],
    ["unknown field", { accuracy: 0.9, reward: 1 }, "unknown-field"],
    ["future batch", { batch: 5, accuracy: 0.9 }, "future-batch"],
  ];
  for (const [name, report, code] of cases) {
    it(`rejects ${name} with "${code}" and leaves the state alone`, () => {
      const snapshot = JSON.stringify(st);
      const r = feedback(st, report);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues.map((i) => i.code)).toContain(code);
      expect(JSON.stringify(st)).toBe(snapshot);
    });
  }
  it("rejects feedback before any batch and a batch reported twice", () => {
    const fresh = initOrThrow({ kind: "step" });
    const r0 = feedback(fresh, { accuracy: 0.5 });
    expect(!r0.ok && r0.issues[0].code).toBe("no-batch");
    const r1 = feedback(st, { batch: 0, accuracy: 0.5 });
    expect(r1.ok).toBe(true);
    if (!r1.ok) return;
    const r2 = feedback(r1.value.state, { batch: 0, accuracy: 0.9 });
    expect(!r2.ok && r2.issues[0].code).toBe("stale-batch");
  });
  it("arbitrary junk never throws and never yields an invalid state", () => {
    fc.assert(
      fc.property(scheduleArb, fc.anything(), (sched, junk) => {
        const s0 = next(initOrThrow(sched)).state;
        const r = feedback(s0, junk);
        if (r.ok) expect(validateState(JSON.parse(JSON.stringify(r.value.state))).ok).toBe(true);
      }),
      params,
    );
  });
  it("tampered states are rejected by validateState", () => {
    const s0 = initOrThrow({ kind: "step", maxDepth: 10 });
    const bad = (patch: Record<string, unknown>): boolean => validateState({ ...s0, ...patch }).ok;
    expect(bad({})).toBe(true);
    expect(bad({ controller: { kind: "step", cap: 12 } })).toBe(false);
    expect(bad({ controller: { kind: "step", cap: 4 } })).toBe(false);
    expect(bad({ issued: -1 })).toBe(false);
    expect(bad({ lastReported: 3 })).toBe(false);
    expect(bad({ seed: 1.5 })).toBe(false);
    expect(bad({ format: "other" })).toBe(false);
    expect(validateState(null).ok).toBe(false);
  });
});

describe("init", () => {
  it("rejects a bad seed", () => {
    const r = init({ kind: "fixed" }, { seed: -1 });
    expect(!r.ok && r.issues[0].path).toBe("seed");
  });
});
