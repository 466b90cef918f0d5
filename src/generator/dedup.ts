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
 * too. The key is the sha256 of order-free 128-bit sums of the final colours of all nodes. Isomorphic problems always
 * get the same key; non-isomorphic problems that these invariants cannot tell apart also share
 * one, which errs on the safe side for split disjointness.
 */
import { hash } from "node:crypto";
import { VAR, type Lit, type RuleSpec } from "./tree.js";

/**
 * Refinement rounds: colours then describe each node's neighbourhood of this radius. Positions
 * along long chains, which no small radius can see, come from the long-range initial colours.
 */
export const ROUNDS = 4;

const FACT = 1;
const PREMISE = 2;
const CONCLUSION = 3;
const CANDIDATE = 4;
const ANSWER = 5;

const SALTS = [0x1b873593, 0x5a3c6e97, 0x7f4a7c15, 0x2545f491];

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
 * Reusable scratch buffers: allocating a few dozen typed arrays per key cost more than the
 * refinement itself. Every use states its length and initialises what it reads, so results never
 * depend on earlier calls.
 */
const pool: Int32Array[] = [];
function scratch(slot: number, size: number): Int32Array {
  const b = pool[slot];
  if (b !== undefined && b.length >= size) return b;
  const grown = new Int32Array(Math.max(size, 2 * (b?.length ?? 256)));
  pool[slot] = grown;
  return grown;
}

/** Counting sort into CSR form: the values whose key is k are list[start[k] … start[k+1]). */
function csr(
  count: number,
  n: number,
  keys: Int32Array,
  values: Int32Array,
  slot: number,
): { start: Int32Array; list: Int32Array } {
  const start = scratch(slot, count + 1);
  start.fill(0, 0, count + 1);
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number;
    if (k >= 0) start[k + 1] = (start[k + 1] as number) + 1;
  }
  for (let k = 0; k < count; k++) start[k + 1] = (start[k + 1] as number) + (start[k] as number);
  const fill = scratch(slot + 1, count);
  fill.set(start.subarray(0, count));
  const list = scratch(slot + 2, start[count] as number);
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number;
    if (k < 0) continue;
    const at = fill[k] as number;
    list[at] = values[i] as number;
    fill[k] = at + 1;
  }
  return { start, list };
}

/** The final order-free sums (see `dedupKey`), reused across calls. */
const sums = new Int32Array(12);
const sumBytes = new Uint8Array(sums.buffer);
/** Room for the header (three decimal counts, far below 64 bytes) and the sums. */
const hashInput = Buffer.alloc(128);

/** Adds four salted re-mixes of each colour to sums[at … at+3]. */
function fold(colours: Int32Array, count: number, at: number): void {
  for (let k = 0; k < count; k++) {
    const c = colours[k] as number;
    for (let j = 0; j < 4; j++)
      sums[at + j] = ((sums[at + j] as number) + fmix(c ^ (SALTS[j] as number))) | 0;
  }
}

/** The dedup key (64 hex characters). */
export function dedupKey(input: KeyInput): string {
  // Occurrences as flat arrays: sentence, role·2+polarity, predicate, person (−1 for X). The
  // occurrences of one sentence are contiguous: sentence x owns occ[sStart[x] … sStart[x+1]).
  let n = 0;
  for (const r of input.rules) n += r.premises.length + r.conclusions.length;
  n += input.facts.length + input.candidates.length;
  const nS = input.facts.length + input.rules.length + input.candidates.length;
  const nP = input.predCount;
  const nQ = input.peopleCount;
  const occS = scratch(0, n);
  const occR = scratch(1, n);
  const occP = scratch(2, n);
  const occQ = scratch(3, n);
  const sStart = scratch(4, nS + 1);
  let sent = scratch(5, nS);
  let sentNext = scratch(6, nS);
  let o = 0;
  let x = 0;
  sStart[0] = 0;
  // Facts, then rules' premises and conclusions, then candidates (written out rather than through
  // a closure: this loop runs for every draft).
  for (const f of input.facts) {
    occS[o] = x;
    occR[o] = FACT * 2 + (f.pos ? 1 : 0);
    occP[o] = f.pred;
    occQ[o] = f.person === VAR ? -1 : f.person;
    o++;
    sent[x++] = 1;
    sStart[x] = o;
  }
  for (const r of input.rules) {
    for (let side = 0; side < 2; side++) {
      const ls = side === 0 ? r.premises : r.conclusions;
      const role = side === 0 ? PREMISE * 2 : CONCLUSION * 2;
      for (let i = 0; i < ls.length; i++) {
        const l = ls[i] as Lit;
        occS[o] = x;
        occR[o] = role + (l.pos ? 1 : 0);
        occP[o] = l.pred;
        occQ[o] = l.person === VAR ? -1 : l.person;
        o++;
      }
    }
    sent[x++] = mix(mix(2, r.universal ? 1 : 0), r.premises.length * 16 + r.conclusions.length);
    sStart[x] = o;
  }
  for (let i = 0; i < input.candidates.length; i++) {
    const l = input.candidates[i] as Lit;
    occS[o] = x;
    occR[o] = (i === input.answer ? ANSWER : CANDIDATE) * 2 + (l.pos ? 1 : 0);
    occP[o] = l.pred;
    occQ[o] = l.person === VAR ? -1 : l.person;
    o++;
    sent[x++] = 3;
    sStart[x] = o;
  }

  // Long-range invariants for the initial predicate colours (see `ROUNDS` for why): the forward
  // stage of each signed predicate from the facts, people ignored, rules firing when all their
  // premise signs are reached; and the backward distance from the candidates to each predicate.
  const INF = 0x3fff;
  const signed = scratch(7, n);
  const premKey = scratch(8, n);
  const concKey = scratch(9, n);
  const missing = scratch(10, nS);
  missing.fill(0, 0, nS);
  for (let i = 0; i < n; i++) {
    const r = (occR[i] as number) >> 1;
    signed[i] = 2 * (occP[i] as number) + ((occR[i] as number) & 1 ? 0 : 1);
    premKey[i] = r === PREMISE ? (signed[i] as number) : -1;
    concKey[i] = r === CONCLUSION ? (occP[i] as number) : -1;
    if (r === PREMISE) missing[occS[i] as number] = (missing[occS[i] as number] as number) + 1;
  }
  const byPrem = csr(2 * nP, n, premKey, occS, 21);
  const byConc = csr(nP, n, concKey, occS, 24);
  const fwd = scratch(11, 2 * nP);
  fwd.fill(INF, 0, 2 * nP);
  const queue = scratch(12, 2 * nP + nP);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) {
    if ((occR[i] as number) >> 1 !== FACT) continue;
    const k = signed[i] as number;
    if (fwd[k] === INF) {
      fwd[k] = 0;
      queue[tail++] = k;
    }
  }
  while (head < tail) {
    const k = queue[head++] as number;
    for (let j = byPrem.start[k] as number; j < (byPrem.start[k + 1] as number); j++) {
      const rule = byPrem.list[j] as number;
      missing[rule] = (missing[rule] as number) - 1;
      if (missing[rule] !== 0) continue;
      for (let c = sStart[rule] as number; c < (sStart[rule + 1] as number); c++) {
        if ((occR[c] as number) >> 1 !== CONCLUSION) continue;
        const ck = signed[c] as number;
        if (fwd[ck] === INF) {
          fwd[ck] = (fwd[k] as number) + 1;
          queue[tail++] = ck;
        }
      }
    }
  }
  const bwd = scratch(13, nP);
  bwd.fill(INF, 0, nP);
  head = 0;
  tail = 0;
  for (let i = 0; i < n; i++) {
    const r = (occR[i] as number) >> 1;
    if ((r === CANDIDATE || r === ANSWER) && bwd[occP[i] as number] === INF) {
      bwd[occP[i] as number] = 0;
      queue[tail++] = occP[i] as number;
    }
  }
  while (head < tail) {
    const p = queue[head++] as number;
    for (let j = byConc.start[p] as number; j < (byConc.start[p + 1] as number); j++) {
      const rule = byConc.list[j] as number;
      for (let c = sStart[rule] as number; c < (sStart[rule + 1] as number); c++) {
        if ((occR[c] as number) >> 1 !== PREMISE) continue;
        const q = occP[c] as number;
        if (bwd[q] === INF) {
          bwd[q] = (bwd[p] as number) + 1;
          queue[tail++] = q;
        }
      }
    }
  }
  let pred = scratch(14, nP);
  let predNext = scratch(15, nP);
  for (let p = 0; p < nP; p++) {
    pred[p] = mix(mix(mix(7, fwd[2 * p] as number), fwd[2 * p + 1] as number), bwd[p] as number);
  }
  let person = scratch(16, nQ);
  let personNext = scratch(17, nQ);
  person.fill(11, 0, nQ);

  // Each round every node's new colour is its old colour mixed with the multiset of messages along
  // its occurrences; the multiset is aggregated by summing well-mixed message hashes, which is
  // order-free (so sentence, premise and name order cannot matter) and needs no sorting.
  const accS = scratch(18, nS);
  const accP = scratch(19, nP);
  const accQ = scratch(20, nQ);
  for (let round = 0; round < ROUNDS; round++) {
    accS.fill(0, 0, nS);
    accP.fill(0, 0, nP);
    accQ.fill(0, 0, nQ);
    for (let i = 0; i < n; i++) {
      const sx = occS[i] as number;
      const p = occP[i] as number;
      const q = occQ[i] as number;
      const r = occR[i] as number;
      const cs = sent[sx] as number;
      const cp = pred[p] as number;
      const cq = q < 0 ? 13 : (person[q] as number);
      // One avalanche per message; the odd multipliers keep the three fields from cancelling.
      accS[sx] = ((accS[sx] as number) + fmix(Math.imul(r, 0x9e3779b1) ^ cp ^ Math.imul(cq, 0x85ebca77))) | 0;
      accP[p] = ((accP[p] as number) + fmix(Math.imul(r, 0x27d4eb2f) ^ cs ^ Math.imul(cq, 0x165667b1))) | 0;
      if (q >= 0)
        accQ[q] = ((accQ[q] as number) + fmix(Math.imul(r, 0xd3a2646d) ^ cs ^ Math.imul(cp, 0xfd7046c5))) | 0;
    }
    for (let k = 0; k < nS; k++) sentNext[k] = mix(sent[k] as number, accS[k] as number);
    for (let p = 0; p < nP; p++) predNext[p] = mix(pred[p] as number, accP[p] as number);
    for (let q = 0; q < nQ; q++) personNext[q] = mix(person[q] as number, accQ[q] as number);
    [sent, sentNext] = [sentNext, sent];
    [pred, predNext] = [predNext, pred];
    [person, personNext] = [personNext, person];
  }
  // The final colour multisets, order-free: four independent 32-bit sums of re-mixed colours per
  // node kind (128 bits each), instead of sorting.
  sums.fill(0);
  fold(sent, nS, 0);
  fold(pred, nP, 4);
  fold(person, nQ, 8);
  // sha256 of the header then the sums (little-endian words), from one reused byte buffer.
  const len = hashInput.write(`${nS}|${nP}|${nQ}|`, 0, "latin1");
  hashInput.set(sumBytes, len);
  return hash("sha256", hashInput.subarray(0, len + sumBytes.length));
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
