import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Solver, solveCnf } from "../../src/prover/sat.js";

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;
console.log(`sat.test.ts: fast-check seed ${seed} (pin with FC_SEED=${seed})`);

type Cnf = { numVars: number; clauses: number[][] };

const cnfArb = (maxVars: number, maxClauses: number): fc.Arbitrary<Cnf> =>
  fc.integer({ min: 1, max: maxVars }).chain((numVars) =>
    fc
      .array(fc.array(fc.integer({ min: 0, max: 2 * numVars - 1 }), { minLength: 0, maxLength: 4 }), {
        maxLength: maxClauses,
      })
      .map((clauses) => ({ numVars, clauses })),
  );

function satisfies(cnf: Cnf, model: Uint8Array): boolean {
  return cnf.clauses.every((c) => c.some((l) => (model[l >> 1] === 1) === ((l & 1) === 0)));
}

function bruteForce(cnf: Cnf): boolean {
  const m = new Uint8Array(cnf.numVars);
  for (let bits = 0; bits < 2 ** cnf.numVars; bits++) {
    for (let v = 0; v < cnf.numVars; v++) m[v] = (bits >> v) & 1;
    if (satisfies(cnf, m)) return true;
  }
  return false;
}

describe("sat solver", () => {
  it("agrees with brute force on random small CNFs, and its models satisfy the clauses", () => {
    fc.assert(
      fc.property(cnfArb(8, 40), (cnf) => {
        const r = solveCnf(cnf.numVars, cnf.clauses);
        const expected = bruteForce(cnf);
        if (r.status === "sat") return expected && satisfies(cnf, r.model);
        return r.status === "unsat" && !expected;
      }),
      { seed, numRuns: 1500 },
    );
  });

  it("respects assumptions and stays reusable across calls", () => {
    fc.assert(
      fc.property(cnfArb(7, 30), fc.array(fc.integer({ min: 0, max: 13 }), { maxLength: 3 }), (cnf, as) => {
        const assumptions = as.filter((l) => l < 2 * cnf.numVars);
        const s = new Solver(cnf.numVars);
        for (const c of cnf.clauses) s.addClause(c);
        for (let round = 0; round < 2; round++) {
          const r = s.solve({ assumptions });
          const withUnits: Cnf = {
            numVars: cnf.numVars,
            clauses: [...cnf.clauses, ...assumptions.map((l) => [l])],
          };
          const expected = bruteForce(withUnits);
          if (r.status === "sat") {
            if (!expected || !satisfies(withUnits, r.model)) return false;
          } else if (r.status !== "unsat" || expected) return false;
          if (s.solve().status !== (bruteForce(cnf) ? "sat" : "unsat")) return false;
        }
        return true;
      }),
      { seed, numRuns: 500 },
    );
  });

  it("is deterministic", () => {
    const cnf = fc.sample(cnfArb(30, 120), { seed, numRuns: 1 })[0] as Cnf;
    const a = solveCnf(cnf.numVars, cnf.clauses);
    const b = solveCnf(cnf.numVars, cnf.clauses);
    expect(a).toEqual(b);
  });

  it("solves pigeonhole 6→5 as unsat (needs real learning)", () => {
    const holes = 5;
    const pigeons = 6;
    const v = (p: number, h: number): number => p * holes + h;
    const clauses: number[][] = [];
    for (let p = 0; p < pigeons; p++) clauses.push(Array.from({ length: holes }, (_, h) => 2 * v(p, h)));
    for (let h = 0; h < holes; h++)
      for (let p = 0; p < pigeons; p++)
        for (let q = p + 1; q < pigeons; q++) clauses.push([2 * v(p, h) + 1, 2 * v(q, h) + 1]);
    expect(solveCnf(pigeons * holes, clauses).status).toBe("unsat");
  });

  it("returns unknown when the conflict budget runs out", () => {
    const holes = 7;
    const pigeons = 8;
    const v = (p: number, h: number): number => p * holes + h;
    const clauses: number[][] = [];
    for (let p = 0; p < pigeons; p++) clauses.push(Array.from({ length: holes }, (_, h) => 2 * v(p, h)));
    for (let h = 0; h < holes; h++)
      for (let p = 0; p < pigeons; p++)
        for (let q = p + 1; q < pigeons; q++) clauses.push([2 * v(p, h) + 1, 2 * v(q, h) + 1]);
    expect(solveCnf(pigeons * holes, clauses, { maxConflicts: 5 }).status).toBe("unknown");
  });

  const z3 = "/usr/bin/z3";
  const haveZ3 = existsSync(z3);
  if (!haveZ3) console.warn(`sat.test.ts: ${z3} not found, skipping the z3 cross-check`);
  it.skipIf(!haveZ3)("agrees with z3 on 300 random 3-SAT instances near the threshold", () => {
    const instances = fc.sample(
      fc.integer({ min: 10, max: 40 }).chain((n) =>
        fc
          .array(fc.array(fc.integer({ min: 0, max: 2 * n - 1 }), { minLength: 3, maxLength: 3 }), {
            minLength: Math.floor(4.26 * n),
            maxLength: Math.floor(4.26 * n),
          })
          .map((clauses) => ({ numVars: n, clauses })),
      ),
      { seed, numRuns: 300 },
    );
    const dir = mkdtempSync(join(tmpdir(), "sat-z3-"));
    try {
      // One z3 process for all instances: SMT-LIB with push/pop keeps the cross-check fast.
      let smt = "";
      for (const cnf of instances) {
        smt += "(push)\n";
        for (let v = 0; v < cnf.numVars; v++) smt += `(declare-const v${v} Bool)\n`;
        for (const c of cnf.clauses)
          smt += `(assert (or ${c.map((l) => ((l & 1) === 1 ? `(not v${l >> 1})` : `v${l >> 1}`)).join(" ")}))\n`;
        smt += "(check-sat)\n(pop)\n";
      }
      const file = join(dir, "all.smt2");
      writeFileSync(file, smt);
      const out = execFileSync(z3, ["-smt2", file], { encoding: "utf8" }).trim().split(/\s+/);
      expect(out.length).toBe(instances.length);
      let sat = 0;
      instances.forEach((cnf, i) => {
        const r = solveCnf(cnf.numVars, cnf.clauses);
        expect(r.status).toBe(out[i]);
        if (r.status === "sat") {
          sat++;
          expect(satisfies(cnf, r.model)).toBe(true);
        }
      });
      // Both answers must occur, or the cross-check would prove little.
      expect(sat).toBeGreaterThan(0);
      expect(sat).toBeLessThan(instances.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
