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

/** The final order-free sums (see `dedupKey`), reused across calls. */
const sums = new Int32Array(12);
const sumBytes = new Uint8Array(sums.buffer);
/** Room for the header (three decimal counts, far below 64 bytes) and the sums. */
const hashInput = Buffer.alloc(128);
/** `hashInput.subarray(0, length)` by length, made once each (a view per key was garbage). */
const hashViews: Buffer[] = [];

/**
 * Writes a count in decimal followed by "|" into `hashInput` at `at` and returns the next offset:
 * the bytes `${count}|` would give, without building and encoding a string per key.
 */
function writeCount(at: number, count: number): number {
  let unit = 1;
  while (unit * 10 <= count) unit *= 10;
  for (; unit >= 1; unit = Math.floor(unit / 10)) hashInput[at++] = 0x30 + (Math.floor(count / unit) % 10);
  hashInput[at] = 0x7c;
  return at + 1;
}

/**
 * Adds four salted re-mixes of each colour to sums[at … at+3]. The salts are `SALTS`, written out
 * as constants (an array of them would hold doubles, each converted back on every use).
 */
function fold(colours: Int32Array, count: number, at: number): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = 0; k < count; k++) {
    const c = colours[k] as number;
    s0 = (s0 + fmix(c ^ 0x1b873593)) | 0;
    s1 = (s1 + fmix(c ^ 0x5a3c6e97)) | 0;
    s2 = (s2 + fmix(c ^ 0x7f4a7c15)) | 0;
    s3 = (s3 + fmix(c ^ 0x2545f491)) | 0;
  }
  sums[at] = s0;
  sums[at + 1] = s1;
  sums[at + 2] = s2;
  sums[at + 3] = s3;
}

/** The dedup key (64 hex characters). */
export function dedupKey(input: KeyInput): string {
  const { facts, rules, candidates } = input;
  // Occurrences as flat arrays: sentence, role·2+polarity, predicate, person (−1 for X). The
  // occurrences of one sentence are contiguous: sentence x owns occ[sStart[x] … sStart[x+1]).
  let n = facts.length + candidates.length;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] as RuleSpec;
    n += r.premises.length + r.conclusions.length;
  }
  const nS = facts.length + rules.length + candidates.length;
  const nP = input.predCount;
  const nQ = input.peopleCount;
  const occS = scratch(0, n);
  const occR = scratch(1, n);
  const occP = scratch(2, n);
  const occQ = scratch(3, n);
  const sStart = scratch(4, nS + 1);
  const sent = scratch(5, nS);
  // For rules (the only sentences the searches below visit): where their conclusions start (a
  // rule's premises come first), and how many premises are not yet reached by the forward stages.
  const concStart = scratch(6, nS);
  const missing = scratch(7, nS);
  // The forward search below steps from a signed predicate (2p positive, 2p+1 negative) to the
  // rules having it as a premise, the backward one from a predicate to the rules concluding it
  // (either sign): lists of rule occurrences, each started by premOf / concOf and linked through
  // `nextOcc` (−1 ends a list), prepended to as occurrences are written. Their order does not
  // matter: stages and distances are what a breadth-first search computes in any visiting order.
  const premOf = scratch(8, 2 * nP);
  premOf.fill(-1, 0, 2 * nP);
  const concOf = scratch(9, nP);
  concOf.fill(-1, 0, nP);
  const nextOcc = scratch(10, n);
  let o = 0;
  let x = 0;
  sStart[0] = 0;
  // Facts, then rules' premises and conclusions, then candidates (written out rather than through
  // a closure: this loop runs for every draft).
  for (let i = 0; i < facts.length; i++) {
    const l = facts[i] as Lit;
    occS[o] = x;
    occR[o] = FACT * 2 + (l.pos ? 1 : 0);
    occP[o] = l.pred;
    occQ[o] = l.person === VAR ? -1 : l.person;
    o++;
    sent[x++] = 1;
    sStart[x] = o;
  }
  for (let k = 0; k < rules.length; k++) {
    const r = rules[k] as RuleSpec;
    const { premises, conclusions } = r;
    for (let i = 0; i < premises.length; i++) {
      const l = premises[i] as Lit;
      occS[o] = x;
      occR[o] = PREMISE * 2 + (l.pos ? 1 : 0);
      occP[o] = l.pred;
      occQ[o] = l.person === VAR ? -1 : l.person;
      const k = 2 * l.pred + (l.pos ? 0 : 1);
      nextOcc[o] = premOf[k] as number;
      premOf[k] = o;
      o++;
    }
    concStart[x] = o;
    for (let i = 0; i < conclusions.length; i++) {
      const l = conclusions[i] as Lit;
      occS[o] = x;
      occR[o] = CONCLUSION * 2 + (l.pos ? 1 : 0);
      occP[o] = l.pred;
      occQ[o] = l.person === VAR ? -1 : l.person;
      nextOcc[o] = concOf[l.pred] as number;
      concOf[l.pred] = o;
      o++;
    }
    missing[x] = premises.length;
    sent[x++] = mix(mix(2, r.universal ? 1 : 0), premises.length * 16 + conclusions.length);
    sStart[x] = o;
  }
  for (let i = 0; i < candidates.length; i++) {
    const l = candidates[i] as Lit;
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
  // Forward stages of the signed predicates 2p (positive) and 2p+1 (negative). The queue is FIFO,
  // so stages are assigned in nondecreasing order and a rule fires, when its last premise sign is
  // dequeued, at one more than its latest premise.
  const fwd = scratch(11, 2 * nP);
  fwd.fill(INF, 0, 2 * nP);
  const queue = scratch(12, 2 * nP);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < facts.length; i++) {
    const k = 2 * (occP[i] as number) + 1 - ((occR[i] as number) & 1);
    if (fwd[k] === INF) {
      fwd[k] = 0;
      queue[tail++] = k;
    }
  }
  while (head < tail) {
    const k = queue[head++] as number;
    for (let occ = premOf[k] as number; occ >= 0; occ = nextOcc[occ] as number) {
      const rule = occS[occ] as number;
      missing[rule] = (missing[rule] as number) - 1;
      if (missing[rule] !== 0) continue;
      for (let c = concStart[rule] as number; c < (sStart[rule + 1] as number); c++) {
        const ck = 2 * (occP[c] as number) + 1 - ((occR[c] as number) & 1);
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
  for (let i = n - candidates.length; i < n; i++) {
    const p = occP[i] as number;
    if (bwd[p] === INF) {
      bwd[p] = 0;
      queue[tail++] = p;
    }
  }
  while (head < tail) {
    const p = queue[head++] as number;
    for (let occ = concOf[p] as number; occ >= 0; occ = nextOcc[occ] as number) {
      const rule = occS[occ] as number;
      for (let c = sStart[rule] as number; c < (concStart[rule] as number); c++) {
        const q = occP[c] as number;
        if (bwd[q] === INF) {
          bwd[q] = (bwd[p] as number) + 1;
          queue[tail++] = q;
        }
      }
    }
  }
  const pred = scratch(14, nP);
  for (let p = 0; p < nP; p++) {
    pred[p] = mix(mix(mix(7, fwd[2 * p] as number), fwd[2 * p + 1] as number), bwd[p] as number);
  }
  const person = scratch(15, nQ);
  person.fill(11, 0, nQ);

  // Each round every node's new colour is its old colour mixed with the multiset of messages along
  // its occurrences; the multiset is aggregated by summing well-mixed message hashes, which is
  // order-free (so sentence, premise and name order cannot matter) and needs no sorting. Sentences
  // own contiguous occurrences, so a sentence's sum is complete (and its colour can be updated in
  // place) once its occurrences are visited; its old colour is still needed for its own messages
  // only. Predicates and people are updated after the pass, from their accumulated sums.
  const accP = scratch(16, nP);
  const accQ = scratch(17, nQ);
  for (let round = 0; round < ROUNDS; round++) {
    accP.fill(0, 0, nP);
    accQ.fill(0, 0, nQ);
    for (let sx = 0; sx < nS; sx++) {
      const cs = sent[sx] as number;
      let accS = 0;
      const end = sStart[sx + 1] as number;
      for (let i = sStart[sx] as number; i < end; i++) {
        const p = occP[i] as number;
        const q = occQ[i] as number;
        const r = occR[i] as number;
        const cp = pred[p] as number;
        const cq = q < 0 ? 13 : (person[q] as number);
        // One avalanche per message; the odd multipliers keep the three fields from cancelling.
        accS = (accS + fmix(Math.imul(r, 0x9e3779b1) ^ cp ^ Math.imul(cq, 0x85ebca77))) | 0;
        accP[p] = ((accP[p] as number) + fmix(Math.imul(r, 0x27d4eb2f) ^ cs ^ Math.imul(cq, 0x165667b1))) | 0;
        if (q >= 0)
          accQ[q] =
            ((accQ[q] as number) + fmix(Math.imul(r, 0xd3a2646d) ^ cs ^ Math.imul(cp, 0xfd7046c5))) | 0;
      }
      sent[sx] = mix(cs, accS);
    }
    for (let p = 0; p < nP; p++) pred[p] = mix(pred[p] as number, accP[p] as number);
    for (let q = 0; q < nQ; q++) person[q] = mix(person[q] as number, accQ[q] as number);
  }
  // The final colour multisets, order-free: four independent 32-bit sums of re-mixed colours per
  // node kind (128 bits each), instead of sorting.
  fold(sent, nS, 0);
  fold(pred, nP, 4);
  fold(person, nQ, 8);
  // sha256 of the header then the sums (little-endian words), from one reused byte buffer.
  const len = writeCount(writeCount(writeCount(0, nS), nP), nQ);
  hashInput.set(sumBytes, len);
  const total = len + sumBytes.length;
  const view = (hashViews[total] ??= hashInput.subarray(0, total));
  return hash("sha256", view);
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
