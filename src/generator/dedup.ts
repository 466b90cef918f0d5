/**
 * The structural dedup key: a hash of the problem up to renaming of predicates and people and
 * reordering of sentences (and of premises and disjuncts inside a rule).
 *
 * Method: colour refinement (1-dimensional Weisfeiler–Leman) on the graph whose nodes are the
 * sentences, predicates and people, and whose edges are literal occurrences labelled with their
 * role (fact, premise, conclusion, candidate, answer), polarity and whether the argument is the
 * rule variable X. Refinement runs until the partition stops growing (at most `MAX_ROUNDS` rounds);
 * the key is the sha256 of the sorted final colours. Isomorphic problems always get the same key;
 * non-isomorphic problems that colour refinement cannot tell apart (rare for these near-tree
 * structures) also share one, which errs on the safe side for split disjointness.
 */
import { createHash } from "node:crypto";
import { VAR, type Lit, type RuleSpec } from "./tree.js";

/** Most refinement rounds (enough to separate positions along chains of this length). */
export const MAX_ROUNDS = 24;

const FACT = 1;
const PREMISE = 2;
const CONCLUSION = 3;
const CANDIDATE = 4;
const ANSWER = 5;

function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x5bd1e995);
  h ^= h >>> 15;
  return Math.imul(h, 0x27d4eb2d) | 0;
}

function mixAll(seed: number, xs: number[]): number {
  xs.sort((a, b) => a - b);
  let h = seed;
  for (const x of xs) h = mix(h, x);
  return h;
}

/** What the key is computed from: final facts, rules and candidates with the gold index. */
export interface KeyInput {
  readonly facts: readonly Lit[];
  readonly rules: readonly RuleSpec[];
  readonly candidates: readonly Lit[];
  readonly answer: number;
  readonly predCount: number;
  readonly peopleCount: number;
}

/** The dedup key (64 hex characters). */
export function dedupKey(input: KeyInput): string {
  // Occurrences as flat arrays: sentence, role·2+polarity, predicate, person (−1 for X).
  const occS: number[] = [];
  const occR: number[] = [];
  const occP: number[] = [];
  const occQ: number[] = [];
  let s = 0;
  const sentInit: number[] = [];
  const add = (l: Lit, role: number): void => {
    occS.push(s);
    occR.push(role * 2 + (l.pos ? 1 : 0));
    occP.push(l.pred);
    occQ.push(l.person === VAR ? -1 : l.person);
  };
  for (const f of input.facts) {
    add(f, FACT);
    sentInit.push(1);
    s++;
  }
  for (const r of input.rules) {
    for (const l of r.premises) add(l, PREMISE);
    for (const l of r.conclusions) add(l, CONCLUSION);
    sentInit.push(mix(mix(2, r.universal ? 1 : 0), r.premises.length * 16 + r.conclusions.length));
    s++;
  }
  input.candidates.forEach((c, i) => {
    add(c, i === input.answer ? ANSWER : CANDIDATE);
    sentInit.push(3);
    s++;
  });
  const nS = s;
  let sent = Int32Array.from(sentInit);
  let pred = new Int32Array(input.predCount).fill(7);
  let person = new Int32Array(input.peopleCount).fill(11);
  const n = occS.length;
  // Adjacency lists per node for the multiset gathering.
  const bySent: number[][] = Array.from({ length: nS }, () => []);
  const byPred: number[][] = Array.from({ length: input.predCount }, () => []);
  const byPerson: number[][] = Array.from({ length: input.peopleCount }, () => []);
  for (let i = 0; i < n; i++) {
    (bySent[occS[i] as number] as number[]).push(i);
    (byPred[occP[i] as number] as number[]).push(i);
    const q = occQ[i] as number;
    if (q >= 0) (byPerson[q] as number[]).push(i);
  }
  const personColor = (i: number): number => {
    const q = occQ[i] as number;
    return q < 0 ? 13 : (person[q] as number);
  };
  const distinct = (): number => new Set([...sent, ...pred, ...person]).size;
  let classes = distinct();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const ns = new Int32Array(nS);
    for (let x = 0; x < nS; x++) {
      const parts = (bySent[x] as number[]).map((i) =>
        mix(mix(occR[i] as number, pred[occP[i] as number] as number), personColor(i)),
      );
      ns[x] = mixAll(sent[x] as number, parts);
    }
    const np = new Int32Array(input.predCount);
    for (let p = 0; p < input.predCount; p++) {
      const parts = (byPred[p] as number[]).map((i) =>
        mix(mix(occR[i] as number, sent[occS[i] as number] as number), personColor(i)),
      );
      np[p] = mixAll(pred[p] as number, parts);
    }
    const nq = new Int32Array(input.peopleCount);
    for (let q = 0; q < input.peopleCount; q++) {
      const parts = (byPerson[q] as number[]).map((i) =>
        mix(mix(occR[i] as number, sent[occS[i] as number] as number), pred[occP[i] as number] as number),
      );
      nq[q] = mixAll(person[q] as number, parts);
    }
    sent = ns;
    pred = np;
    person = nq;
    const c = distinct();
    if (c === classes) break;
    classes = c;
  }
  const all = [...sent].sort((a, b) => a - b);
  const preds = [...pred].sort((a, b) => a - b);
  const persons = [...person].sort((a, b) => a - b);
  return createHash("sha256")
    .update(
      `${nS}|${input.predCount}|${input.peopleCount}|${all.join(",")}|${preds.join(",")}|${persons.join(",")}`,
    )
    .digest("hex");
}

/**
 * Which split a dedup key belongs to. Keys are partitioned by their first byte: train owns 0–127,
 * test 128–191, validation (also "val"/"dev") 192–223, and every other split name 224–255 (shared
 * among custom names). An item is emitted only into its key's split, so splits never share a key.
 */
export function splitOwns(split: string, key: string): boolean {
  const b = parseInt(key.slice(0, 2), 16);
  switch (split) {
    case "train":
      return b < 128;
    case "test":
      return b >= 128 && b < 192;
    case "validation":
    case "val":
    case "dev":
      return b >= 192 && b < 224;
    default:
      return b >= 224;
  }
}
