import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { and, constant, implies, literal, or, type Formula, type Literal } from "../../src/logic/formula.js";
import type { Theory } from "../../src/logic/theory.js";
import { groundOrThrow, literalCode, type Grounded } from "../../src/prover/ground.js";
import {
  base64,
  certifyMinDepth,
  minDepth,
  NEVER,
  optimisticLayers,
  packDepthCertificate,
  unpackDepthCertificate,
  verifyDepthCertificate,
} from "../../src/prover/depth.js";

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;
console.log(`depth.test.ts: fast-check seed ${seed} (pin with FC_SEED=${seed})`);

const CAP = 10;
const INF = 1000;

/** A tiny theory about one person: literals are indices 2*p + sign over predicates p0…p(n-1). */
interface Tiny {
  readonly n: number;
  readonly facts: readonly number[];
  readonly rules: readonly { readonly prem: readonly number[]; readonly conc: readonly number[] }[];
  readonly goal: number;
}

const tinyArb: fc.Arbitrary<Tiny> = fc.integer({ min: 2, max: 4 }).chain((n) => {
  const litArb = fc.integer({ min: 0, max: 2 * n - 1 });
  return fc.record({
    n: fc.constant(n),
    facts: fc.uniqueArray(litArb, { minLength: 1, maxLength: 3 }),
    rules: fc.array(
      fc.record({
        prem: fc.uniqueArray(litArb, { minLength: 1, maxLength: 2 }),
        conc: fc.uniqueArray(litArb, { minLength: 1, maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    goal: litArb,
  });
});

const alice = constant("Alice");
const litFormula = (l: number): Literal => literal(`p${l >> 1}`, alice, (l & 1) === 0);
function theoryOf(t: Tiny): Theory {
  return {
    facts: t.facts.map(litFormula),
    rules: t.rules.map((r) => implies(and(r.prem.map(litFormula)), or(r.conc.map(litFormula))) as Formula),
  };
}

/**
 * Exhaustive search over derivations of the calculus (premise, apply, elim, contradiction,
 * ex-falso, or-intro, cases) on a tiny theory. A formula is a disjunction of literals, a bitmask
 * over the 2n literals; ⊥ is the empty disjunction. Heights follow docs/depth.md. Written
 * independently of src/prover: no grounding, no layered theory, no SAT.
 */
function calculusMinHeight(t: Tiny): number {
  const nl = 2 * t.n;
  const size = 1 << nl;
  const memo = new Map<string, Int32Array>();
  const closure = (ctx: ReadonlyMap<number, number>): Int32Array => {
    const key = [...ctx.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([l, h]) => `${l}@${h}`)
      .join(",");
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const H = new Int32Array(size).fill(INF);
    const lower = (m: number, h: number): boolean => {
      if (h > CAP || h >= (H[m] as number)) return false;
      H[m] = h;
      return true;
    };
    for (const f of t.facts) lower(1 << f, 0);
    for (const [l, h] of ctx) lower(1 << l, h);
    let changed = true;
    while (changed) {
      changed = false;
      // apply
      for (const r of t.rules) {
        let h = 0;
        for (const p of r.prem) h = Math.max(h, H[1 << p] as number);
        if (h < INF) {
          let m = 0;
          for (const c of r.conc) m |= 1 << c;
          changed = lower(m, h + 1) || changed;
        }
      }
      // elim (and contradiction: eliminating the only disjunct leaves ⊥ = 0)
      for (let m = 1; m < size; m++) {
        const hm = H[m] as number;
        if (hm >= INF) continue;
        for (let i = 0; i < nl; i++)
          if ((m >> i) & 1) {
            const hc = H[1 << (i ^ 1)] as number;
            if (hc < INF) changed = lower(m & ~(1 << i), Math.max(hm, hc)) || changed;
          }
      }
      // ex-falso and or-intro: a disjunction follows from any sub-disjunction at the same height
      for (let i = 0; i < nl; i++)
        for (let m = 0; m < size; m++)
          if ((m >> i) & 1) changed = lower(m, H[m & ~(1 << i)] as number) || changed;
      // cases on a disjunction; useless unless every branch assumption is new at that height
      for (let m = 1; m < size; m++) {
        const hm = H[m] as number;
        if (hm >= INF || (m & (m - 1)) === 0) continue;
        const branches: Int32Array[] = [];
        let useful = true;
        for (let i = 0; i < nl && useful; i++)
          if ((m >> i) & 1) {
            if ((H[1 << i] as number) <= hm) useful = false;
            else {
              const inner = new Map(ctx);
              inner.set(i, hm);
              branches.push(closure(inner));
            }
          }
        if (!useful) continue;
        for (let p = 0; p < size; p++) {
          let h = 0;
          for (const b of branches) h = Math.max(h, b[p] as number);
          if (h < INF) changed = lower(p, h) || changed;
        }
      }
    }
    memo.set(key, H);
    return H;
  };
  return closure(new Map())[1 << t.goal] as number;
}

/** T_h written out clause by clause from the definition, evaluated on a levels certificate. */
function satisfiesLayered(g: Grounded, goal: number, h: number, L: Uint8Array): boolean {
  const x = (l: number, k: number): boolean => (L[l] as number) <= k;
  for (let l = 0; l < L.length; l++) if ((L[l] as number) > h && L[l] !== NEVER) return false;
  for (const f of g.facts) if (!x(f, 0)) return false;
  for (let r = 0; r < g.ruleCount; r++) {
    const ps = [...g.prem.subarray(g.premStart[r], g.premStart[r + 1])];
    const cs = [...g.conc.subarray(g.concStart[r], g.concStart[r + 1])];
    for (let k = ps.length === 0 ? 0 : 1; k <= h; k++)
      if (ps.every((p) => x(p, k - 1)) && !cs.some((c) => x(c, k))) return false;
  }
  for (let l = 0; l < L.length; l++) for (let k = 0; k <= h; k++) if (x(l, k) && x(l ^ 1, k)) return false;
  return !x(goal, h);
}

function setup(t: Tiny): { g: Grounded; goal: number } {
  const g = groundOrThrow(theoryOf(t), [litFormula(t.goal)]);
  return { g, goal: literalCode(g, litFormula(t.goal)) };
}

describe("minimum depth", () => {
  it("equals the least height found by exhaustive search over derivations (tiny disjunctive theories)", () => {
    let finite = 0;
    let cases = 0;
    fc.assert(
      fc.property(tinyArb, (t) => {
        const { g, goal } = setup(t);
        const expected = calculusMinHeight(t);
        const got = minDepth(g, goal, CAP);
        const gotSat = minDepth(g, goal, CAP, { strategy: "sat" });
        if (expected < INF) finite++;
        if (t.rules.some((r) => r.conc.length > 1)) cases++;
        return (got ?? INF) === expected && (gotSat ?? INF) === expected;
      }),
      { seed, numRuns: 400 },
    );
    // The sample must exercise both derivable goals and disjunctive rules.
    expect(finite).toBeGreaterThan(50);
    expect(cases).toBeGreaterThan(100);
  });

  it("certifies exactly the depths below the minimum, and certificates re-check", () => {
    fc.assert(
      fc.property(tinyArb, (t) => {
        const { g, goal } = setup(t);
        const d = minDepth(g, goal, CAP) ?? CAP + 1;
        for (let D = 1; D <= CAP + 1; D++) {
          const c = certifyMinDepth(g, goal, D);
          if (c.ok !== D <= d) return false;
          if (c.ok) {
            if (!verifyDepthCertificate(g, goal, D, c.certificate)) return false;
            if (!satisfiesLayered(g, goal, D - 1, c.certificate.levels)) return false;
          }
        }
        return true;
      }),
      { seed, numRuns: 300 },
    );
  });

  it("verification agrees with the written-out layered theory on tampered certificates", () => {
    let rejected = 0;
    fc.assert(
      fc.property(tinyArb, fc.nat(), fc.nat(), (t, pos, value) => {
        const { g, goal } = setup(t);
        const d = minDepth(g, goal, CAP) ?? CAP + 1;
        if (d === 0) return true;
        const c = certifyMinDepth(g, goal, d);
        if (!c.ok) return false;
        const levels = c.certificate.levels.slice();
        const at = pos % levels.length;
        const choices = [0, 1, 2, d - 1, d, NEVER, 7];
        levels[at] = choices[value % choices.length] as number;
        const verdict = verifyDepthCertificate(g, goal, d, { levels });
        if (!verdict) rejected++;
        return verdict === satisfiesLayered(g, goal, d - 1, levels);
      }),
      { seed, numRuns: 400 },
    );
    expect(rejected).toBeGreaterThan(20);
  });

  it("rejects certificates that establish the goal, drop a fact or have the wrong size", () => {
    const t: Tiny = {
      n: 3,
      facts: [0],
      rules: [
        { prem: [0], conc: [2] },
        { prem: [2], conc: [4] },
      ],
      goal: 4,
    };
    const { g, goal } = setup(t);
    expect(minDepth(g, goal, CAP)).toBe(2);
    const c = certifyMinDepth(g, goal, 2);
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(verifyDepthCertificate(g, goal, 2, c.certificate)).toBe(true);
    expect(certifyMinDepth(g, goal, 3)).toEqual({ ok: false, reason: "shallower-derivation" });
    const withGoal = c.certificate.levels.slice();
    withGoal[goal] = 1;
    expect(verifyDepthCertificate(g, goal, 2, { levels: withGoal })).toBe(false);
    const noFact = c.certificate.levels.slice();
    noFact[literalCode(g, litFormula(0))] = NEVER;
    expect(verifyDepthCertificate(g, goal, 2, { levels: noFact })).toBe(false);
    expect(verifyDepthCertificate(g, goal, 2, { levels: c.certificate.levels.subarray(1) })).toBe(false);
    expect(verifyDepthCertificate(g, goal, 3, c.certificate)).toBe(false);
    const packed = unpackDepthCertificate(packDepthCertificate(c.certificate));
    expect(packed).not.toBeNull();
    if (packed !== null) expect(verifyDepthCertificate(g, goal, 2, packed)).toBe(true);
    expect(unpackDepthCertificate("not base64 !")).toBeNull();
  });

  it("fast paths and the plain SAT encoding agree on larger random disjunctive theories", () => {
    const mid = fc.integer({ min: 6, max: 10 }).chain((n) => {
      const litArb = fc.integer({ min: 0, max: 2 * n - 1 });
      return fc.record({
        n: fc.constant(n),
        facts: fc.uniqueArray(litArb, { minLength: 1, maxLength: 4 }),
        rules: fc.array(
          fc.record({
            prem: fc.uniqueArray(litArb, { minLength: 1, maxLength: 2 }),
            conc: fc.uniqueArray(litArb, { minLength: 1, maxLength: 3 }),
          }),
          { minLength: 4, maxLength: 16 },
        ),
        goal: litArb,
      });
    });
    let certified = 0;
    fc.assert(
      fc.property(mid, (t) => {
        const { g, goal } = setup(t);
        for (let D = 1; D <= 8; D++) {
          const fast = certifyMinDepth(g, goal, D);
          const sat = certifyMinDepth(g, goal, D, { strategy: "sat" });
          if (fast.ok !== sat.ok) return false;
          if (fast.ok) certified++;
        }
        return minDepth(g, goal, 8) === minDepth(g, goal, 8, { strategy: "sat" });
      }),
      { seed, numRuns: 200 },
    );
    expect(certified).toBeGreaterThan(100);
  });

  // Hand-computed heights (five predicates is beyond what the exhaustive search handles quickly).
  it("counts elimination as the later of its inputs and a case split as its latest branch", () => {
    // F: a; ¬s (via a chain of 3); R: a → g ∨ s. Elimination gives g at max(1, 3) = 3.
    const elim: Tiny = {
      n: 5,
      facts: [0],
      rules: [
        { prem: [0], conc: [2, 4] },
        { prem: [0], conc: [6] },
        { prem: [6], conc: [8] },
        { prem: [8], conc: [5] },
      ],
      goal: 2,
    };
    const e = setup(elim);
    expect(minDepth(e.g, e.goal, CAP)).toBe(3);
    // F: a; R: a → b ∨ c; b → g; c → d; d → g. Cases: branch b gives g at 2, branch c at 3.
    const cases: Tiny = {
      n: 5,
      facts: [0],
      rules: [
        { prem: [0], conc: [2, 4] },
        { prem: [2], conc: [8] },
        { prem: [4], conc: [6] },
        { prem: [6], conc: [8] },
      ],
      goal: 8,
    };
    const c = setup(cases);
    expect(minDepth(c.g, c.goal, CAP)).toBe(3);
  });

  it("optimisticLayers gives the least possible layers, as a copy callers may change", () => {
    // F: a; R: a → b ∨ c; b → g; c → d; d → g (the case-split theory above): a at 0, b and c at 1,
    // d at 2, g at 2 (via b), negative literals never.
    const t: Tiny = {
      n: 5,
      facts: [0],
      rules: [
        { prem: [0], conc: [2, 4] },
        { prem: [2], conc: [8] },
        { prem: [4], conc: [6] },
        { prem: [6], conc: [8] },
      ],
      goal: 8,
    };
    const { g, goal } = setup(t);
    const lb = optimisticLayers(g);
    expect(lb[goal]).toBe(2);
    expect(lb[goal ^ 1]).toBe(NEVER);
    const before = certifyMinDepth(g, goal, 3);
    expect(before.ok).toBe(true);
    // Clobbering the returned array must not reach the certifier's own copy.
    lb.fill(0);
    expect(optimisticLayers(g)[goal]).toBe(2);
    expect(certifyMinDepth(g, goal, 3)).toEqual(before);
  });

  it("declines theories outside the rule fragment and bad arguments", () => {
    const p = literal("p", alice, true);
    const q = literal("q", alice, true);
    const g = groundOrThrow({ facts: [p], rules: [implies(p, implies(q, q))] });
    expect(g.fragment).toBe(false);
    expect(certifyMinDepth(g, 0, 1)).toEqual({ ok: false, reason: "outside-fragment" });
    const h = groundOrThrow({ facts: [p], rules: [] });
    expect(certifyMinDepth(h, 0, 0)).toEqual({ ok: false, reason: "bad-depth" });
    expect(certifyMinDepth(h, 99, 1)).toEqual({ ok: false, reason: "bad-literal" });
    expect(verifyDepthCertificate(h, 1, 1, { levels: new Uint8Array([0, NEVER]) })).toBe(true);
    expect(() => minDepth(g, 0, 3)).toThrow(RangeError);
  });

  it("base64 gives what btoa gives for the bytes' Latin-1 string (every length mod 3, all byte values)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), (bytes) => {
        let s = "";
        for (const b of bytes) s += String.fromCharCode(b);
        expect(base64(bytes)).toBe(btoa(s));
      }),
      { seed, numRuns: 500 },
    );
    expect(base64(new Uint8Array(0))).toBe("");
    expect(base64(new Uint8Array([255, 254, 253, 0]))).toBe(btoa("\xff\xfe\xfd\x00"));
  });
});
