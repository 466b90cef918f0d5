/**
 * The structural dedup key: a hash of the problem up to renaming of predicates and people and
 * reordering of sentences (and of premises and disjuncts inside a rule).
 *
 * Method: colour refinement (1-dimensional Weisfeiler–Leman) on the graph whose nodes are the
 * sentences, predicates and people, and whose edges are literal occurrences labelled with their
 * role (fact, premise, conclusion, candidate, answer), polarity and whether the argument is the
 * rule variable X. Each round, a node's colour becomes a hash of its old colour and of the multiset
 * of (edge label, neighbour colour) messages. After `ROUNDS` rounds each colour summarises a
 * node's neighbourhood of that radius. Predicates start from colours that encode two global measures (forward stage from the
 * facts, backward distance from the candidates), so positions along long chains are told apart
 * too. The key is the sha256 of the sorted final colours of all nodes. Isomorphic problems always
 * get the same key; non-isomorphic problems that these invariants cannot tell apart also share
 * one, which errs on the safe side for split disjointness.
 */
import { createHash } from "node:crypto";
import { VAR, type Lit, type RuleSpec } from "./tree.js";

/** Refinement rounds: colours then describe each node's neighbourhood of this radius. */
export const ROUNDS = 6;

const FACT = 1;
const PREMISE = 2;
const CONCLUSION = 3;
const CANDIDATE = 4;
const ANSWER = 5;

/** Final avalanche of a 32-bit value (murmur3 fmix32), so sums of messages do not cancel out. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x5bd1e995);
  h ^= h >>> 15;
  return Math.imul(h, 0x27d4eb2d) | 0;
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

/**
 * Initial predicate colours from two global, renaming-invariant measures that a few refinement
 * rounds cannot see on long chains: the forward stage at which the signed predicate is first
 * reachable from the facts (rules fire when all premise signs are reached, people ignored), and
 * the backward distance from the candidates through rule conclusions to premises.
 */
function longRange(input: KeyInput): Int32Array {
  const nP = input.predCount;
  const INF = 0x3fff;
  const fwd = new Int32Array(2 * nP).fill(INF);
  const sign = (l: Lit): number => 2 * l.pred + (l.pos ? 0 : 1);
  let frontier: number[] = [];
  for (const f of input.facts) {
    const k = sign(f);
    if (fwd[k] === INF) {
      fwd[k] = 0;
      frontier.push(k);
    }
  }
  const missing = input.rules.map((r) => r.premises.length);
  const byPrem: number[][] = Array.from({ length: 2 * nP }, () => []);
  input.rules.forEach((r, i) => {
    for (const l of r.premises) (byPrem[sign(l)] as number[]).push(i);
  });
  for (let stage = 1; frontier.length > 0; stage++) {
    const next: number[] = [];
    for (const k of frontier) {
      for (const i of byPrem[k] as number[]) {
        missing[i] = (missing[i] as number) - 1;
        if (missing[i] !== 0) continue;
        for (const c of (input.rules[i] as RuleSpec).conclusions) {
          const ck = sign(c);
          if (fwd[ck] === INF) {
            fwd[ck] = stage;
            next.push(ck);
          }
        }
      }
    }
    frontier = next;
  }
  const bwd = new Int32Array(nP).fill(INF);
  const byConc: number[][] = Array.from({ length: nP }, () => []);
  input.rules.forEach((r, i) => {
    for (const l of r.conclusions) (byConc[l.pred] as number[]).push(i);
  });
  let layer: number[] = [];
  for (const c of input.candidates) {
    if (bwd[c.pred] === INF) {
      bwd[c.pred] = 0;
      layer.push(c.pred);
    }
  }
  for (let dist = 1; layer.length > 0; dist++) {
    const next: number[] = [];
    for (const p of layer) {
      for (const i of byConc[p] as number[]) {
        for (const l of (input.rules[i] as RuleSpec).premises) {
          if (bwd[l.pred] === INF) {
            bwd[l.pred] = dist;
            next.push(l.pred);
          }
        }
      }
    }
    layer = next;
  }
  const out = new Int32Array(nP);
  for (let p = 0; p < nP; p++) {
    out[p] = mix(mix(mix(7, fwd[2 * p] as number), fwd[2 * p + 1] as number), bwd[p] as number);
  }
  return out;
}

/** The dedup key (64 hex characters). */
export function dedupKey(input: KeyInput): string {
  // Occurrences as flat arrays: sentence, role·2+polarity, predicate, person (−1 for X).
  let n = 0;
  for (const r of input.rules) n += r.premises.length + r.conclusions.length;
  n += input.facts.length + input.candidates.length;
  const nS = input.facts.length + input.rules.length + input.candidates.length;
  const occS = new Int32Array(n);
  const occR = new Int32Array(n);
  const occP = new Int32Array(n);
  const occQ = new Int32Array(n);
  let sent = new Int32Array(nS);
  let o = 0;
  let s = 0;
  const add = (l: Lit, role: number): void => {
    occS[o] = s;
    occR[o] = role * 2 + (l.pos ? 1 : 0);
    occP[o] = l.pred;
    occQ[o] = l.person === VAR ? -1 : l.person;
    o++;
  };
  for (const f of input.facts) {
    add(f, FACT);
    sent[s++] = 1;
  }
  for (const r of input.rules) {
    for (const l of r.premises) add(l, PREMISE);
    for (const l of r.conclusions) add(l, CONCLUSION);
    sent[s++] = mix(mix(2, r.universal ? 1 : 0), r.premises.length * 16 + r.conclusions.length);
  }
  input.candidates.forEach((c, i) => {
    add(c, i === input.answer ? ANSWER : CANDIDATE);
    sent[s++] = 3;
  });
  const nP = input.predCount;
  const nQ = input.peopleCount;
  let pred = longRange(input);
  let person = new Int32Array(nQ).fill(11);
  // Each round every node's new colour is its old colour mixed with the multiset of messages along
  // its occurrences; the multiset is aggregated by summing well-mixed message hashes, which is
  // order-free (so sentence, premise and name order cannot matter) and needs no sorting.
  const accS = new Int32Array(nS);
  const accP = new Int32Array(nP);
  const accQ = new Int32Array(nQ);
  for (let round = 0; round < ROUNDS; round++) {
    accS.fill(0);
    accP.fill(0);
    accQ.fill(0);
    for (let i = 0; i < n; i++) {
      const x = occS[i] as number;
      const p = occP[i] as number;
      const q = occQ[i] as number;
      const r = occR[i] as number;
      const cs = sent[x] as number;
      const cp = pred[p] as number;
      const cq = q < 0 ? 13 : (person[q] as number);
      accS[x] = ((accS[x] as number) + fmix(mix(mix(r, cp), cq))) | 0;
      accP[p] = ((accP[p] as number) + fmix(mix(mix(r, cs), cq))) | 0;
      if (q >= 0) accQ[q] = ((accQ[q] as number) + fmix(mix(mix(r, cs), cp))) | 0;
    }
    const ns = new Int32Array(nS);
    for (let x = 0; x < nS; x++) ns[x] = mix(sent[x] as number, accS[x] as number);
    const np = new Int32Array(nP);
    for (let p = 0; p < nP; p++) np[p] = mix(pred[p] as number, accP[p] as number);
    const nq = new Int32Array(nQ);
    for (let q = 0; q < nQ; q++) nq[q] = mix(person[q] as number, accQ[q] as number);
    sent = ns;
    pred = np;
    person = nq;
  }
  const h = createHash("sha256");
  h.update(`${nS}|${nP}|${nQ}|`);
  h.update(sent.sort());
  h.update(pred.sort());
  h.update(person.sort());
  return h.digest("hex");
}

/**
 * Which split a dedup key belongs to. Keys are partitioned by their first byte: train owns 0–191
 * (3/4 of all keys, so training sets pay the least resampling), test 192–239, validation (also
 * "val"/"dev") 240–247, and every other split name 248–255 (shared among custom names). An item is
 * emitted only into its key's split, so splits never share a key.
 */
export function splitOwns(split: string, key: string): boolean {
  const b = parseInt(key.slice(0, 2), 16);
  switch (split) {
    case "train":
      return b < 192;
    case "test":
      return b >= 192 && b < 240;
    case "validation":
    case "val":
    case "dev":
      return b >= 240 && b < 248;
    default:
      return b >= 248;
  }
}
