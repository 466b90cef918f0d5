/**
 * Decision procedures and certificates: items/s per level with every certificate the generator
 * needs (grounding, consistency witness, one entailed candidate + three countermodels, the
 * minimum-depth lower-bound certificate at D, and the re-check of all of them).
 *
 * Two kinds of items: from the project's generator (seed 1, default config per level), and
 * synthetic theories shaped like generated items: four proof trees of height D (one
 * intact, three with their leaf fact dropped), conjunctive side premises, random polarities,
 * disjunct elimination and case splits, universal rules over two people with cross-person links,
 * plus distractor rules. Baseline, same run: JSON.stringify of the same theories. Times are CPU
 * time, best of `10 × scale` interleaved batches over 200 × scale distinct items.
 *
 * Run alone: `node dist/bench/decide.js [--scale S] [--only generated|synthetic]` prints the report
 * as JSON. With `SCALELOGIC_BENCH_AGAINST=<other dist/>` every figure also times that build's
 * procedures on the same items in the same interleaved batches (`extra.againstItemsPerSecond`,
 * `extra.speedup`): a before/after on one machine in one process.
 */
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import seedrandom from "seedrandom";
import { and, atom, bvar, constant, forallRaw, implies, literal, not, or } from "../src/logic/formula.js";
import type { Formula, Literal } from "../src/logic/formula.js";
import type { Theory } from "../src/logic/theory.js";
import { groundOrThrow, literalCode } from "../src/prover/ground.js";
import { decideCandidates, verifyModel } from "../src/prover/decide.js";
import { certifyMinDepth, minDepth, verifyDepthCertificate } from "../src/prover/depth.js";
import { defaultConfig, generateItem } from "../src/generator/index.js";
import { problemFromJsonOrThrow } from "../src/logic/serialize.js";
import type { BenchFigure, BenchOptions, BenchReport } from "./report.js";

type Level = "implication" | "conjunction" | "negation" | "disjunction" | "quantification";

interface Item {
  readonly theory: Theory;
  readonly candidates: readonly Literal[];
  readonly depth: number;
}

/** Builds one synthetic item (exported for profiling); `depth` is measured with minDepth afterwards, not assumed. */
export function buildItem(level: Level, D: number, seed: string): Item {
  const rng = seedrandom(seed);
  const people = level === "quantification" ? ["Alice", "Bob"] : ["Alice"];
  let predCount = 0;
  const fresh = (): string => `p${predCount++}`;
  const facts: Formula[] = [];
  const rules: Formula[] = [];
  const conj = level !== "implication";
  const neg = level === "negation" || level === "disjunction" || level === "quantification";
  const disj = level === "disjunction" || level === "quantification";
  const lit = (who: string): Literal => literal(fresh(), constant(who), !neg || rng() < 0.5);
  const flip = (l: Literal): Literal => (l.kind === "atom" ? (not(l) as Literal) : l.body);
  // A rule about `who`; at the quantification level most rules are universal over X.
  const rule = (prem: readonly Literal[], conc: readonly Literal[]): Formula => {
    const body = implies(and(prem), or(conc));
    if (level !== "quantification" || rng() < 0.3) return body;
    const personOf = (l: Literal): string => {
      const t = (l.kind === "atom" ? l : l.body).args[0];
      return t !== undefined && t.kind === "const" ? t.name : "";
    };
    const who = personOf(prem[0] as Literal);
    // Cross-person links stay about named people; the rest become universal rules.
    if (![...prem, ...conc].every((l) => personOf(l) === who)) return body;
    const lift = (l: Literal): Formula => {
      const b = atom((l.kind === "atom" ? l : l.body).pred, [bvar(0)]);
      return l.kind === "atom" ? b : not(b);
    };
    return forallRaw("X", implies(and(prem.map(lift)), or(conc.map(lift))));
  };
  const roots: Literal[] = [];
  for (let tree = 0; tree < 4; tree++) {
    let who = people[0] as string;
    let cur = lit(who);
    if (tree === 0) facts.push(cur); // the three other trees lose their leaf fact
    let height = 0;
    while (height < D) {
      const prev = cur;
      if (level === "quantification" && rng() < 0.15)
        who = people[(people.indexOf(who) + 1) % people.length] as string;
      const side: Literal[] = [];
      if (conj && rng() < 0.6) {
        const s = lit(who);
        facts.push(s);
        side.push(s);
      }
      cur = lit(height === D - 1 ? (people[0] as string) : who);
      const r = rng();
      if (disj && r < 0.35) {
        // Disjunct elimination: prev → cur ∨ s with ¬s a fact.
        const s = lit(who);
        facts.push(flip(s));
        rules.push(rule([prev, ...side], [cur, s]));
        height++;
      } else if (disj && r < 0.55 && height + 2 <= D) {
        // Proof by cases: prev → a ∨ b, a → cur, b → cur.
        const a = lit(who);
        const b = lit(who);
        rules.push(rule([prev, ...side], [a, b]), rule([a], [cur]), rule([b], [cur]));
        height += 2;
      } else {
        rules.push(rule([prev, ...side], [cur]));
        height++;
      }
    }
    roots.push(cur);
  }
  // Distractors: rules from existing literals to fresh ones (no shortcut into the trees).
  for (let i = 0; i < 4; i++) rules.push(rule([lit(people[0] as string)], [lit(people[0] as string)]));
  const theory = { facts, rules };
  const g = groundOrThrow(theory, roots);
  const depth = minDepth(g, literalCode(g, roots[0] as Literal), 2 * D + 2) ?? -1;
  return { theory, candidates: roots, depth };
}

/** The prover calls one certification makes; another build's can be loaded to compare. */
interface Procs {
  readonly groundOrThrow: typeof groundOrThrow;
  readonly literalCode: typeof literalCode;
  readonly decideCandidates: typeof decideCandidates;
  readonly verifyModel: typeof verifyModel;
  readonly certifyMinDepth: typeof certifyMinDepth;
  readonly verifyDepthCertificate: typeof verifyDepthCertificate;
}

const OURS: Procs = {
  groundOrThrow,
  literalCode,
  decideCandidates,
  verifyModel,
  certifyMinDepth,
  verifyDepthCertificate,
};

/** Everything the generator checks per item; returns false if any certificate is missing. */
export function certifyItem(item: Item, p: Procs = OURS): boolean {
  const g = p.groundOrThrow(item.theory, item.candidates);
  const lits = item.candidates.map((c) => p.literalCode(g, c));
  const d = p.decideCandidates(g, lits);
  if (!d.consistency.consistent || !p.verifyModel(g, d.consistency.model)) return false;
  const [gold, ...others] = d.verdicts;
  if (gold === undefined || !gold.entailed) return false;
  for (const v of others) if (v.entailed || !p.verifyModel(g, v.countermodel)) return false;
  const c = p.certifyMinDepth(g, lits[0] as number, item.depth);
  return c.ok && p.verifyDepthCertificate(g, lits[0] as number, item.depth, c.certificate);
}

/** The procedures of the build named by `SCALELOGIC_BENCH_AGAINST` (its `dist/` folder), if any. */
async function otherProcs(): Promise<Procs | undefined> {
  const dir = process.env["SCALELOGIC_BENCH_AGAINST"];
  if (dir === undefined || dir === "") return undefined;
  const load = async (name: string): Promise<Partial<Procs>> =>
    (await import(pathToFileURL(resolve(dir, `src/prover/${name}.js`)).href)) as Partial<Procs>;
  const all = { ...(await load("ground")), ...(await load("decide")), ...(await load("depth")) };
  const need = (k: keyof Procs): void => {
    if (typeof all[k] !== "function") throw new Error(`bench/decide: ${dir} has no ${k}`);
  };
  (Object.keys(OURS) as (keyof Procs)[]).forEach(need);
  return all as Procs;
}

// CPU seconds (user + system, all threads of this process) of one call. The machine is shared, so
// CPU time is steadier than wall time; each figure is the best of several interleaved batches.
function cpuSeconds(f: () => void): number {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

const PRESETS: readonly [Level, number][] = [
  ["implication", 32],
  ["conjunction", 16],
  ["negation", 16],
  ["disjunction", 12],
  ["quantification", 10],
  ["implication", 64],
  ["disjunction", 64],
  ["quantification", 64],
];

// Items from the real generator (seed 1), re-certified here; the generator's own checks are not timed.
function generatedItems(level: Level, D: number, count: number): Item[] {
  const config = defaultConfig({ level, depth: D });
  return Array.from({ length: count }, (_, i) => {
    const it = generateItem(config, 1, i);
    const p = problemFromJsonOrThrow(it.problem);
    const candidates = (p.candidates ?? []) as readonly Literal[];
    const answer = p.answer ?? 0;
    // The gold candidate first, as certifyItem expects.
    const ordered = [candidates[answer] as Literal, ...candidates.filter((_, j) => j !== answer)];
    return { theory: p.theory, candidates: ordered, depth: it.depth };
  });
}

const GENERATED: readonly [Level, number][] = [
  ["implication", 32],
  ["conjunction", 16],
  ["negation", 16],
  ["disjunction", 12],
  ["quantification", 10],
  ["disjunction", 64],
  ["quantification", 64],
];

/** Runs the suite. */
export async function run(opts: BenchOptions & { readonly only?: string }): Promise<BenchReport> {
  const figures: BenchFigure[] = [];
  const other = await otherProcs();
  const distinct = Math.max(20, Math.round(200 * opts.scale));
  const rounds = Math.max(1, Math.round(10 * opts.scale));
  const suites: [string, Level, number, () => Item[]][] = [
    ...PRESETS.map(([level, D]): [string, Level, number, () => Item[]] => [
      "synthetic",
      level,
      D,
      () => Array.from({ length: distinct }, (_, i) => buildItem(level, D, `${level}/${D}/${i}`)),
    ]),
    ...GENERATED.map(([level, D]): [string, Level, number, () => Item[]] => [
      "generated",
      level,
      D,
      () => generatedItems(level, D, Math.max(10, Math.round(distinct / (D > 32 ? 4 : 1)))),
    ]),
  ];
  for (const [kind, level, D, make] of suites) {
    if (opts.only !== undefined && opts.only !== kind) continue;
    const items = make();
    let literals = 0;
    for (const it of items) {
      const g = groundOrThrow(it.theory, it.candidates);
      literals += 2 * g.atomCount;
      if (!certifyItem(it))
        throw new Error(`bench/decide: ${kind} ${level} D=${D}: an item failed certification`);
    }
    // Warm up, then measure certification and the baseline on the same items.
    for (const it of items) certifyItem(it);
    if (other !== undefined)
      for (const it of items) if (!certifyItem(it, other)) throw new Error("other build failed");
    let sink = 0;
    let secs = Infinity;
    let baseSecs = Infinity;
    let otherSecs = Infinity;
    for (let r = 0; r < rounds; r++) {
      if (other !== undefined)
        otherSecs = Math.min(
          otherSecs,
          cpuSeconds(() => {
            for (const it of items) if (certifyItem(it, other)) sink++;
          }),
        );
      secs = Math.min(
        secs,
        cpuSeconds(() => {
          for (const it of items) if (certifyItem(it)) sink++;
        }),
      );
      baseSecs = Math.min(
        baseSecs,
        cpuSeconds(() => {
          for (const it of items) sink += JSON.stringify(it.theory).length & 1;
        }),
      );
    }
    const n = items.length;
    const depths = items.map((i) => i.depth).sort((a, b) => a - b);
    figures.push({
      name: `${kind} ${level} D=${D}: items/s with all certificates (ground, consistency, 1+3 labels, min depth, re-checks)`,
      value: n / secs,
      unit: "items/s",
      baselineName: "JSON.stringify of the same theories",
      baseline: n / baseSecs,
      bar: "generation ≥ 5,000 problems/s per core with certificates (this is the certificate share)",
      extra: {
        microsPerItem: (secs / n) * 1e6,
        groundLiteralsMean: literals / items.length,
        certifiedDepthMedian: depths[depths.length >> 1] ?? 0,
        ...(other !== undefined ? { againstItemsPerSecond: n / otherSecs, speedup: otherSecs / secs } : {}),
        sink: sink & 1,
      },
    });
  }
  return { suite: "decide", figures };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf("--scale");
  const scale = i > 0 ? Number(process.argv[i + 1]) : 1;
  const j = process.argv.indexOf("--only");
  const only = j > 0 ? process.argv[j + 1] : undefined;
  run(only !== undefined ? { scale, only } : { scale }).then(
    (r) => process.stdout.write(JSON.stringify(r, null, 2) + "\n"),
    (e: unknown) => {
      process.stderr.write(String(e) + "\n");
      process.exitCode = 1;
    },
  );
}
