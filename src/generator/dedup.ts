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
import { VAR, type Deriv, type Draft, type Lit, type Owned, type RuleSpec } from "./tree.js";

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
 * Adds four salted re-mixes of colours[from … from+count) to sums[at … at+3]. The salts are
 * `SALTS`, written out as constants (an array of them would hold doubles, each converted back on
 * every use).
 */
function fold(colours: Int32Array, from: number, count: number, at: number): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = from; k < from + count; k++) {
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

/**
 * Initial capacities of the occurrence table: occurrences, sentences, predicates and colour slots.
 * Far above what the preset depths need, so the buffers are never replaced there (a field that is
 * never reassigned stays constant for V8's optimiser, and the scratch arrays need no lookup per
 * key; together about a fifth fewer instructions per key than growing from small buffers). Larger
 * problems grow them as needed.
 */
const OCC_ROOM = 8192;
const SENT_ROOM = 4096;
const PRED_ROOM = 4096;
const SLOT_ROOM = 16384;

/**
 * The occurrence table of the current key (see `dedupKey`), in buffers reused by every key (each
 * use initialises what it reads). Nodes are numbered in one index space, so that one colour array
 * and one accumulator array serve all three kinds (fewer arrays in the refinement loop, each of
 * which costs a map check, a base and a length load per access): slot 0 is the rule variable X
 * (a fixed colour), people 0 … nQ−1 are slots 1 … nQ, predicate p is slot `predBase` + p and
 * sentence x slot `sentBase` + x. Per occurrence, `occ` holds four numbers: its sentence x, its
 * predicate slot, its person slot and role·2+polarity. The occurrences of one sentence are
 * contiguous: sentence x owns occurrences sStart[x] … sStart[x+1]. Both entry points write through
 * the same three methods, so they cannot disagree.
 */
class Occurrences {
  occ: Int32Array = new Int32Array(4 * OCC_ROOM);
  /** Linked lists of rule occurrences (see `premOf`), −1 ends a list. */
  nextOcc: Int32Array = new Int32Array(OCC_ROOM);
  sStart: Int32Array = new Int32Array(SENT_ROOM);
  /**
   * For rules (the only sentences the searches visit): where their conclusions start (a rule's
   * premises come first), and how many premises are not yet reached by the forward stages.
   */
  concStart: Int32Array = new Int32Array(SENT_ROOM);
  missing: Int32Array = new Int32Array(SENT_ROOM);
  /**
   * The forward search steps from a signed predicate (2p positive, 2p+1 negative) to the rules
   * having it as a premise, the backward one from a predicate to the rules concluding it (either
   * sign): lists of rule occurrences started by premOf / concOf and linked through `nextOcc`,
   * prepended to as occurrences are written. Their order does not matter: stages and distances are
   * what a breadth-first search computes in any visiting order.
   */
  premOf: Int32Array = new Int32Array(2 * PRED_ROOM);
  concOf: Int32Array = new Int32Array(PRED_ROOM);
  /** Colours by slot (the sentences' initial colours are written with their occurrences). */
  colour: Int32Array = new Int32Array(SLOT_ROOM);
  /**
   * Scratch of `keyOfTable`: forward stages and the search queue by signed predicate, backward
   * distances by predicate, and the refinement's message sums by slot.
   */
  fwd: Int32Array = new Int32Array(2 * PRED_ROOM);
  queue: Int32Array = new Int32Array(2 * PRED_ROOM);
  bwd: Int32Array = new Int32Array(PRED_ROOM);
  acc: Int32Array = new Int32Array(SLOT_ROOM);
  predBase = 1;
  sentBase = 1;
  /** Occurrences and sentences written so far. */
  o = 0;
  x = 0;

  /**
   * Empties the table for `n` occurrences in at most `nS` sentences over `nP` predicates and `nQ`
   * people.
   */
  reset(n: number, nS: number, nP: number, nQ: number): void {
    if (this.nextOcc.length < n) {
      const size = Math.max(n, 2 * this.nextOcc.length);
      this.occ = new Int32Array(4 * size);
      this.nextOcc = new Int32Array(size);
    }
    if (this.sStart.length < nS + 1) {
      const size = Math.max(nS + 1, 2 * this.sStart.length);
      this.sStart = new Int32Array(size);
      this.concStart = new Int32Array(size);
      this.missing = new Int32Array(size);
    }
    if (this.concOf.length < nP) {
      const size = Math.max(nP, 2 * this.concOf.length);
      this.premOf = new Int32Array(2 * size);
      this.concOf = new Int32Array(size);
      this.fwd = new Int32Array(2 * size);
      this.queue = new Int32Array(2 * size);
      this.bwd = new Int32Array(size);
    }
    const slots = 1 + nQ + nP + nS;
    if (this.colour.length < slots) {
      const size = Math.max(slots, 2 * this.colour.length);
      this.colour = new Int32Array(size);
      this.acc = new Int32Array(size);
    }
    this.premOf.fill(-1, 0, 2 * nP);
    this.concOf.fill(-1, 0, nP);
    this.predBase = 1 + nQ;
    this.sentBase = 1 + nQ + nP;
    this.o = 0;
    this.x = 0;
    this.sStart[0] = 0;
  }

  /** Writes occurrence `o` of literal `l` in role `role` of the current sentence. */
  private put(o: number, l: Lit, role: number): void {
    const at = 4 * o;
    this.occ[at] = this.x;
    this.occ[at + 1] = this.predBase + l.pred;
    this.occ[at + 2] = l.person === VAR ? 0 : 1 + l.person;
    this.occ[at + 3] = role * 2 + (l.pos ? 1 : 0);
  }

  fact(l: Lit): void {
    this.put(this.o++, l, FACT);
    this.colour[this.sentBase + this.x++] = 1;
    this.sStart[this.x] = this.o;
  }

  rule(r: RuleSpec): void {
    const { premises, conclusions } = r;
    const x = this.x;
    const { nextOcc, premOf, concOf } = this;
    let o = this.o;
    for (let i = 0; i < premises.length; i++) {
      const l = premises[i] as Lit;
      this.put(o, l, PREMISE);
      const k = 2 * l.pred + (l.pos ? 0 : 1);
      nextOcc[o] = premOf[k] as number;
      premOf[k] = o;
      o++;
    }
    this.concStart[x] = o;
    for (let i = 0; i < conclusions.length; i++) {
      const l = conclusions[i] as Lit;
      this.put(o, l, CONCLUSION);
      nextOcc[o] = concOf[l.pred] as number;
      concOf[l.pred] = o;
      o++;
    }
    this.missing[x] = premises.length;
    this.colour[this.sentBase + x] = mix(
      mix(2, r.universal ? 1 : 0),
      premises.length * 16 + conclusions.length,
    );
    this.o = o;
    this.x = x + 1;
    this.sStart[x + 1] = o;
  }

  candidate(l: Lit, answer: boolean): void {
    this.put(this.o++, l, answer ? ANSWER : CANDIDATE);
    this.colour[this.sentBase + this.x++] = 3;
    this.sStart[this.x] = this.o;
  }
}

const table = new Occurrences();

/** The dedup key (64 hex characters). */
export function dedupKey(input: KeyInput): string {
  const { facts, rules, candidates } = input;
  let n = facts.length + candidates.length;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] as RuleSpec;
    n += r.premises.length + r.conclusions.length;
  }
  table.reset(n, facts.length + rules.length + candidates.length, input.predCount, input.peopleCount);
  // Facts, then rules' premises and conclusions, then candidates.
  for (let i = 0; i < facts.length; i++) table.fact(facts[i] as Lit);
  for (let i = 0; i < rules.length; i++) table.rule(rules[i] as RuleSpec);
  for (let i = 0; i < candidates.length; i++) table.candidate(candidates[i] as Lit, i === input.answer);
  return keyOfTable(facts.length, candidates.length, input.predCount, input.peopleCount);
}

/**
 * The key of a draft as `generateItem` draws it: `dedupKey` of its live facts and rules (in draft
 * order) and its trees' root literals as candidates, the gold tree's (index 0) being the answer.
 * Read straight from the draft, without building the arrays of a `KeyInput` (this runs for every
 * draft, including those whose key sends them to another split).
 */
export function draftKey(draft: Draft): string {
  const { facts, rules, roots } = draft;
  let n = facts.length + roots.length;
  for (let i = 0; i < rules.length; i++) {
    const r = (rules[i] as Owned<RuleSpec>).value;
    n += r.premises.length + r.conclusions.length;
  }
  // Dead sentences are counted too: the sizes are only bounds.
  table.reset(n, facts.length + rules.length + roots.length, draft.preds.length, draft.people.length);
  let nF = 0;
  for (let i = 0; i < facts.length; i++) {
    const f = facts[i] as Owned<Lit>;
    if (!f.alive) continue;
    table.fact(f.value);
    nF++;
  }
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] as Owned<RuleSpec>;
    if (r.alive) table.rule(r.value);
  }
  for (let i = 0; i < roots.length; i++) table.candidate((roots[i] as Deriv).lit, i === 0);
  return keyOfTable(nF, roots.length, draft.preds.length, draft.people.length);
}

/**
 * The key of the occurrence table `table` (facts first, `nFacts` of them, candidates last,
 * `nCandidates` of them) over `nP` predicates and `nQ` people.
 */
function keyOfTable(nFacts: number, nCandidates: number, nP: number, nQ: number): string {
  const n = table.o;
  const nS = table.x;
  const { occ, nextOcc, sStart, concStart, missing, premOf, concOf, colour, predBase, sentBase } = table;
  const { fwd, queue, bwd, acc } = table;

  // Long-range invariants for the initial predicate colours (see `ROUNDS` for why): the forward
  // stage of each signed predicate from the facts, people ignored, rules firing when all their
  // premise signs are reached; and the backward distance from the candidates to each predicate.
  const INF = 0x3fff;
  // Forward stages of the signed predicates 2p (positive) and 2p+1 (negative). The queue is FIFO,
  // so stages are assigned in nondecreasing order and a rule fires, when its last premise sign is
  // dequeued, at one more than its latest premise.
  fwd.fill(INF, 0, 2 * nP);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < nFacts; i++) {
    const k = 2 * ((occ[4 * i + 1] as number) - predBase) + 1 - ((occ[4 * i + 3] as number) & 1);
    if (fwd[k] === INF) {
      fwd[k] = 0;
      queue[tail++] = k;
    }
  }
  while (head < tail) {
    const k = queue[head++] as number;
    for (let o = premOf[k] as number; o >= 0; o = nextOcc[o] as number) {
      const rule = occ[4 * o] as number;
      missing[rule] = (missing[rule] as number) - 1;
      if (missing[rule] !== 0) continue;
      for (let c = concStart[rule] as number; c < (sStart[rule + 1] as number); c++) {
        const ck = 2 * ((occ[4 * c + 1] as number) - predBase) + 1 - ((occ[4 * c + 3] as number) & 1);
        if (fwd[ck] === INF) {
          fwd[ck] = (fwd[k] as number) + 1;
          queue[tail++] = ck;
        }
      }
    }
  }
  bwd.fill(INF, 0, nP);
  head = 0;
  tail = 0;
  for (let i = n - nCandidates; i < n; i++) {
    const p = (occ[4 * i + 1] as number) - predBase;
    if (bwd[p] === INF) {
      bwd[p] = 0;
      queue[tail++] = p;
    }
  }
  while (head < tail) {
    const p = queue[head++] as number;
    for (let o = concOf[p] as number; o >= 0; o = nextOcc[o] as number) {
      const rule = occ[4 * o] as number;
      for (let c = sStart[rule] as number; c < (concStart[rule] as number); c++) {
        const q = (occ[4 * c + 1] as number) - predBase;
        if (bwd[q] === INF) {
          bwd[q] = (bwd[p] as number) + 1;
          queue[tail++] = q;
        }
      }
    }
  }
  for (let p = 0; p < nP; p++) {
    colour[predBase + p] = mix(mix(mix(7, fwd[2 * p] as number), fwd[2 * p + 1] as number), bwd[p] as number);
  }
  // X keeps its colour (13); the people start at 11.
  colour[0] = 13;
  colour.fill(11, 1, predBase);

  // Each round every node's new colour is its old colour mixed with the multiset of messages along
  // its occurrences; the multiset is aggregated by summing well-mixed message hashes, which is
  // order-free (so sentence, premise and name order cannot matter) and needs no sorting. Sentences
  // own contiguous occurrences, so a sentence's sum is complete (and its colour can be updated in
  // place) once its occurrences are visited; its old colour is still needed for its own messages
  // only. Predicates and people are updated after the pass, from their accumulated sums (X's sum
  // is accumulated like a person's but never used).
  for (let round = 0; round < ROUNDS; round++) {
    acc.fill(0, 0, sentBase);
    for (let sx = 0; sx < nS; sx++) {
      const cs = colour[sentBase + sx] as number;
      let accS = 0;
      const end = 4 * (sStart[sx + 1] as number);
      for (let i = 4 * (sStart[sx] as number); i < end; i += 4) {
        const p = occ[i + 1] as number;
        const q = occ[i + 2] as number;
        const r = occ[i + 3] as number;
        const cp = colour[p] as number;
        const cq = colour[q] as number;
        // One avalanche per message; the odd multipliers keep the three fields from cancelling.
        accS = (accS + fmix(Math.imul(r, 0x9e3779b1) ^ cp ^ Math.imul(cq, 0x85ebca77))) | 0;
        acc[p] = ((acc[p] as number) + fmix(Math.imul(r, 0x27d4eb2f) ^ cs ^ Math.imul(cq, 0x165667b1))) | 0;
        acc[q] = ((acc[q] as number) + fmix(Math.imul(r, 0xd3a2646d) ^ cs ^ Math.imul(cp, 0xfd7046c5))) | 0;
      }
      colour[sentBase + sx] = mix(cs, accS);
    }
    for (let s = 1; s < sentBase; s++) colour[s] = mix(colour[s] as number, acc[s] as number);
  }
  // The final colour multisets, order-free: four independent 32-bit sums of re-mixed colours per
  // node kind (128 bits each), instead of sorting.
  fold(colour, sentBase, nS, 0);
  fold(colour, predBase, nP, 4);
  fold(colour, 1, nQ, 8);
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
