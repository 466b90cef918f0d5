import { describe, expect, it } from "vitest";
import { constant, falsum, parseClaimOrThrow as f, type Formula } from "../../src/logic/index.js";
import { isFailure, Kernel, Theorem, type KernelFailure } from "../../src/prover/kernel.js";

const problem = {
  theory: {
    facts: [
      f("Alice is aa"),
      f("Alice is not cc"),
      f("Alice is bb or Alice is cc"),
      f("Alice is aa and Alice is dd"),
    ],
    rules: [
      f("If Alice is aa, then Alice is bb"),
      f("For any person X, if X is aa and X is bb, then X is cc or X is ee"),
      f("If Alice is bb, then Alice is ff"),
    ],
  },
  goal: f("Alice is ff"),
};
const k = new Kernel(problem);

function ok(t: Theorem | KernelFailure): Theorem {
  if (isFailure(t)) throw new Error(`unexpected failure: ${t.reason}`);
  return t;
}
function no(t: Theorem | KernelFailure): KernelFailure {
  if (!isFailure(t)) throw new Error("expected a failure");
  return t;
}
const F = (i: number): Theorem => ok(k.premise("fact", i));
const R = (i: number): Theorem => ok(k.premise("rule", i));
const alice = constant("Alice");
const same = (t: Theorem, g: Formula | string): boolean =>
  JSON.stringify(t.conclusion) === JSON.stringify(typeof g === "string" ? f(g) : g);

describe("kernel", () => {
  it("premise: cites real axioms only", () => {
    expect(same(F(0), "Alice is aa")).toBe(true);
    expect(F(0).height).toBe(0);
    no(k.premise("fact", 4));
    no(k.premise("rule", -1));
    no(k.premise("fact", 0.5));
  });

  it("theorems cannot be forged or borrowed from another problem", () => {
    expect(
      () => new (Theorem as unknown as new (...a: unknown[]) => Theorem)(Symbol("x"), k, falsum),
    ).toThrow();
    const fake = Object.create(Theorem.prototype) as Theorem;
    expect(no(k.andElim(fake, f("Alice is aa"))).reason).toMatch(/not a theorem/);
    const other = new Kernel(problem);
    expect(no(other.apply(R(0), [], [F(0)])).reason).toMatch(/not a theorem/);
    // A theorem's parts cannot be reassigned (private fields behind getters; strict-mode assignment throws).
    const t = F(0);
    const before = t.conclusion;
    expect(() => {
      (t as unknown as { conclusion: Formula }).conclusion = falsum;
    }).toThrow(TypeError);
    expect(() => {
      (t as unknown as { hyps: unknown }).hyps = new Map([["x", { formula: falsum, offset: 0 }]]);
    }).toThrow(TypeError);
    expect(t.conclusion).toBe(before);
    expect(t.hyps.size).toBe(0);
  });

  it("apply: ground and universal, height 1 + max premise height", () => {
    const bb = ok(k.apply(R(0), [], [F(0)]));
    expect(same(bb, "Alice is bb")).toBe(true);
    expect(bb.height).toBe(1);
    const ce = ok(k.apply(R(1), [alice], [F(0), bb]));
    expect(same(ce, "Alice is cc or Alice is ee")).toBe(true);
    expect(ce.height).toBe(2);
    ok(k.apply(R(1), [alice], [bb, F(0)]));
    expect(no(k.apply(R(1), [alice], [F(0)])).reason).toMatch(/premise 2/);
    expect(no(k.apply(R(1), [], [F(0), bb])).reason).toMatch(/universal/);
    expect(no(k.apply(R(1), [constant("Bob")], [F(0), bb])).reason).toMatch(/not a premise/);
    expect(no(k.apply(R(0), [], [F(1)])).reason).toMatch(/not a premise/);
    expect(no(k.apply(F(0), [], [F(0)])).reason).toMatch(/not a rule/);
    expect(no(k.apply(R(0), [], [])).reason).toMatch(/no premises/);
  });

  it("and-intro / and-elim", () => {
    const c = ok(k.andIntro([F(0), F(1)]));
    expect(same(c, "Alice is aa and Alice is not cc")).toBe(true);
    no(k.andIntro([F(0)]));
    expect(same(ok(k.andElim(F(3), f("Alice is dd"))), "Alice is dd")).toBe(true);
    no(k.andElim(F(3), f("Alice is bb")));
    no(k.andElim(F(0), f("Alice is aa")));
  });

  it("or-intro", () => {
    ok(k.orIntro(F(0), f("Alice is zz or Alice is aa")));
    no(k.orIntro(F(0), f("Alice is zz or Alice is yy")));
    no(k.orIntro(F(0), f("Alice is aa")));
  });

  it("elim: removes the contradicted disjunct", () => {
    const bb = ok(k.elim(F(2), F(1)));
    expect(same(bb, "Alice is bb")).toBe(true);
    no(k.elim(F(2), F(0)));
    no(k.elim(F(0), F(1)));
    const three = ok(k.assume(f("Alice is aa or Alice is bb or Alice is cc")));
    expect(same(ok(k.elim(three, F(1))), "Alice is aa or Alice is bb")).toBe(true);
    const neg = ok(k.assume(f("Alice is not bb or Alice is cc")));
    const bbT = ok(k.apply(R(0), [], [F(0)]));
    expect(same(ok(k.elim(neg, bbT)), "Alice is cc")).toBe(true);
  });

  it("cases: discharges each disjunct; height counts the split disjunction", () => {
    const bb = k.assume(f("Alice is bb"));
    const ff1 = ok(k.apply(R(2), [], [bb]));
    const cc = k.assume(f("Alice is cc"));
    const bot = ok(k.contradiction(cc, F(1)));
    const ff2 = ok(k.exFalso(bot, f("Alice is ff")));
    expect(ff1.hyps.size).toBe(1);
    const done = ok(k.cases(F(2), [ff1, ff2]));
    expect(done.hyps.size).toBe(0);
    expect(same(done, "Alice is ff")).toBe(true);
    expect(done.height).toBe(1);
    expect(k.accept(done)).toEqual({ ok: true, height: 1 });
    // Branch order must follow the disjuncts: swapped branches leave hypotheses open.
    const swapped = ok(k.cases(F(2), [ff2, ff1]));
    expect(swapped.hyps.size).toBe(2);
    expect(k.accept(swapped)).toMatchObject({ ok: false, reason: "open-hypothesis" });
    no(k.cases(F(2), [ff1]));
    no(k.cases(F(0), [ff1, ff2]));
    no(k.cases(F(2), [ff1, cc]));
  });

  it("cases: the split's height flows into the branches", () => {
    const k2 = new Kernel({
      theory: {
        facts: [f("Bob is aa")],
        rules: [
          f("If Bob is aa, then Bob is bb"),
          f("If Bob is bb, then Bob is cc or Bob is ee"),
          f("If Bob is cc, then Bob is ff"),
          f("If Bob is ee, then Bob is gg"),
          f("If Bob is gg, then Bob is ff"),
        ],
      },
      goal: f("Bob is ff"),
    });
    const r = (i: number): Theorem => ok(k2.premise("rule", i));
    const split = ok(k2.apply(r(1), [], [ok(k2.apply(r(0), [], [ok(k2.premise("fact", 0))]))]));
    expect(split.height).toBe(2);
    const b1 = ok(k2.apply(r(2), [], [k2.assume(f("Bob is cc"))]));
    const b2 = ok(k2.apply(r(4), [], [ok(k2.apply(r(3), [], [k2.assume(f("Bob is ee"))]))]));
    expect(b2.hyps.get([...b2.hyps.keys()][0] ?? "")?.offset).toBe(2);
    const t = ok(k2.cases(split, [b1, b2]));
    expect(k2.accept(t)).toEqual({ ok: true, height: 4 });
  });

  it("contradiction / ex-falso", () => {
    const bot = ok(k.contradiction(F(1), k.assume(f("Alice is cc"))));
    expect(bot.conclusion).toBe(falsum);
    ok(k.contradiction(k.assume(f("Alice is cc")), F(1)));
    no(k.contradiction(F(0), F(1)));
    no(k.exFalso(F(0), f("Alice is zz")));
  });

  it("reductio: discharges the assumption and marks the theorem classical", () => {
    const hyp = k.assume(f("Alice is cc"));
    const bot = ok(k.contradiction(hyp, F(1)));
    const t = ok(k.reductio(bot, f("Alice is cc")));
    expect(same(t, "Alice is not cc")).toBe(true);
    expect(t.hyps.size).toBe(0);
    expect(t.classical).toBe(true);
    const pos = ok(
      k.reductio(ok(k.contradiction(k.assume(f("Alice is not aa")), F(0))), f("Alice is not aa")),
    );
    expect(same(pos, "Alice is aa")).toBe(true);
    no(k.reductio(F(0), f("Alice is cc")));
  });

  it("accept: no open hypotheses, conclusion alpha-equal to the goal", () => {
    const bb = ok(k.apply(R(0), [], [F(0)]));
    const ff = ok(k.apply(R(2), [], [bb]));
    expect(k.accept(ff)).toEqual({ ok: true, height: 2 });
    expect(k.accept(bb)).toMatchObject({ ok: false, reason: "wrong-goal" });
    const open = ok(k.apply(R(2), [], [k.assume(f("Alice is bb"))]));
    expect(k.accept(open)).toMatchObject({ ok: false, reason: "open-hypothesis" });
  });

  it("the instantiation cache (theory constants or a predicate) never changes a verdict", () => {
    const asked: string[] = [];
    const kernels = [
      k,
      new Kernel(problem, ["Alice"]),
      new Kernel(problem, (name) => {
        asked.push(name);
        return true;
      }),
    ];
    const bob = constant("Bob");
    for (const kk of kernels) {
      const fact = (i: number): Theorem => ok(kk.premise("fact", i));
      const rule = ok(kk.premise("rule", 1));
      const bb = ok(kk.apply(ok(kk.premise("rule", 0)), [], [fact(0)]));
      // Twice: the second round finds the instantiations the first one may have stored.
      for (let round = 0; round < 2; round++) {
        const t = ok(kk.apply(rule, [alice], [fact(0), bb]));
        expect(same(t, "Alice is cc or Alice is ee")).toBe(true);
        expect(t.height).toBe(2);
        expect(no(kk.apply(rule, [alice], [fact(0)])).reason).toMatch(/premise 2/);
        expect(no(kk.apply(rule, [bob], [fact(0), bb])).reason).toMatch(/not a premise/);
        expect(no(kk.apply(rule, [alice, bob], [fact(0)])).reason).toMatch(/fewer universal/);
      }
    }
    expect(asked).toContain("Alice");
  });
});
