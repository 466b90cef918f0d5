/**
 * A small, complete, deterministic CDCL SAT solver on Int32 literals.
 *
 * Public API:
 * - `new Solver(numVars)`, `solver.addClause(lits)`, `solver.solve({ assumptions, phase, maxConflicts })`
 *   → `SatResult` (`sat` with a model, `unsat`, or `unknown` when the conflict budget ran out).
 * - `solveCnf(numVars, clauses, options)`: one-shot convenience.
 * - `lit(v, negative)`, `litVar(l)`, `litNegative(l)`: the literal encoding `2 * var + sign`
 *   (sign 1 = negated), the same encoding `ground.ts` uses for ground literals.
 *
 * Method: two watched literals, first-UIP clause learning, VSIDS-style activities kept in a binary
 * heap, phase saving, Luby restarts. No randomness, no clock: the same input gives the same model.
 * The solver can be reused: clauses learned under one call stay valid (they are implied by the
 * clauses), assumptions are per call.
 */
import { newBytes, newInt32s, newRegion } from "./slab.js";

/** Result of a SAT call; `model[v]` is 1 when variable v is true. */
export type SatResult =
  | { readonly status: "sat"; readonly model: Uint8Array }
  | { readonly status: "unsat" }
  | { readonly status: "unknown" };

/** Options of one `solve` call. */
export interface SolveOptions {
  /** Literals that must hold in this call only. */
  readonly assumptions?: ArrayLike<number>;
  /** Preferred first value per variable (1 = true) until phase saving takes over. */
  readonly phase?: ArrayLike<number>;
  /** Give up with `unknown` after this many conflicts (default: no limit). */
  readonly maxConflicts?: number;
}

/** The literal of variable `v`, negated when `negative`. */
export function lit(v: number, negative: boolean): number {
  return 2 * v + (negative ? 1 : 0);
}
/** The variable of a literal. */
export function litVar(l: number): number {
  return l >> 1;
}
/** True when the literal is negated. */
export function litNegative(l: number): boolean {
  return (l & 1) === 1;
}

const UNDEF = 0;
const TRUE = 1;
const FALSE = -1;

function luby(i: number): number {
  // Luby sequence 1,1,2,1,1,2,4,…: restart intervals with good worst-case behaviour.
  let size = 1;
  let seq = 0;
  while (size < i + 1) {
    seq++;
    size = 2 * size + 1;
  }
  let x = i;
  while (size - 1 !== x) {
    size = (size - 1) >> 1;
    seq--;
    x = x % size;
  }
  return 2 ** seq;
}

/** An incremental CDCL solver over variables 0…numVars-1. */
export class Solver {
  readonly numVars: number;
  private ok = true;
  // Clause store: all clauses in one growing array; `cStart[c]`, `cLen[c]`. Positions 0 and 1 of
  // a clause are its watched literals.
  private lits = newInt32s(64);
  private litsSize = 0;
  private cStart: number[] = [];
  private cLen: number[] = [];
  // Watch lists per literal, created when a clause first watches the literal.
  private readonly watches: (number[] | undefined)[];
  private readonly val: Int8Array;
  private readonly level: Int32Array;
  private readonly reason: Int32Array;
  private readonly trail: Int32Array;
  private trailSize = 0;
  private qhead = 0;
  private readonly trailLim: number[] = [];
  private readonly activity: Float64Array;
  private varInc = 1;
  private readonly heap: Int32Array;
  private heapSize = 0;
  private readonly heapPos: Int32Array;
  private readonly savedPhase: Uint8Array;
  private readonly seen: Uint8Array;
  // addClauseRange's work list, reused (storeClause copies it into the clause store).
  private readonly pending: number[] = [];

  /** Creates an empty solver for `numVars` variables. */
  constructor(numVars: number) {
    this.numVars = numVars;
    this.watches = new Array<number[] | undefined>(2 * numVars).fill(undefined);
    // One region for all per-variable arrays: a typed array above 64 bytes gets its own off-heap
    // store, which costs far more than a view (slab.ts). Widest elements first, so every view is
    // aligned.
    const n = numVars;
    const { buffer, offset: o } = newRegion(32 * n);
    this.activity = new Float64Array(buffer, o, n);
    this.level = new Int32Array(buffer, o + 8 * n, n);
    this.reason = new Int32Array(buffer, o + 12 * n, n).fill(-1);
    this.trail = new Int32Array(buffer, o + 16 * n, n);
    this.heap = new Int32Array(buffer, o + 20 * n, n);
    this.heapPos = new Int32Array(buffer, o + 24 * n, n);
    this.val = new Int8Array(buffer, o + 28 * n, 2 * n);
    this.savedPhase = new Uint8Array(buffer, o + 30 * n, n);
    this.seen = new Uint8Array(buffer, o + 31 * n, n);
    // All activities are 0 and ties go to the smaller variable: the identity is a valid heap (what
    // inserting 0, 1, 2, … one by one gives).
    for (let v = 0; v < numVars; v++) {
      this.heap[v] = v;
      this.heapPos[v] = v;
    }
    this.heapSize = numVars;
  }

  /** Adds a clause (at decision level 0). Returns false once the clause set is known unsatisfiable. */
  addClause(clause: ArrayLike<number>): boolean {
    return this.addClauseRange(clause, 0, clause.length);
  }

  /**
   * Adds the clause `lits[from…to-1]`, as addClause does; lets a caller with all its clauses in one
   * flat array add them without a view per clause.
   */
  addClauseRange(lits: ArrayLike<number>, from: number, to: number): boolean {
    if (!this.ok) return false;
    // The first `n` entries of `pending` are the clause so far (an explicit count: truncating an
    // array is a runtime call).
    const tmp = this.pending;
    let n = 0;
    for (let i = from; i < to; i++) {
      const l = lits[i] as number;
      if (l < 0 || l >= 2 * this.numVars) throw new RangeError(`literal ${l} out of range`);
      const v = this.val[l] as number;
      if (v === TRUE && this.level[l >> 1] === 0) return true;
      if (v === FALSE && this.level[l >> 1] === 0) continue;
      let dup = false;
      for (let k = 0; k < n; k++) {
        const m = tmp[k] as number;
        if (m === (l ^ 1)) return true;
        if (m === l) dup = true;
      }
      if (!dup) tmp[n++] = l;
    }
    if (n === 0) {
      this.ok = false;
      return false;
    }
    if (n === 1) {
      this.enqueue(tmp[0] as number, -1);
      if (this.propagate() !== -1) this.ok = false;
      return this.ok;
    }
    this.storeClause(tmp, n);
    return true;
  }

  /** Decides satisfiability of the clauses under the call's assumptions. */
  solve(options: SolveOptions = {}): SatResult {
    if (!this.ok) return { status: "unsat" };
    const assumptions = options.assumptions ?? [];
    if (options.phase !== undefined) {
      for (let v = 0; v < this.numVars; v++) this.savedPhase[v] = (options.phase[v] ?? 0) === 1 ? 1 : 0;
    }
    const maxConflicts = options.maxConflicts ?? Infinity;
    let conflicts = 0;
    let restartIndex = 0;
    let restartLimit = 64 * luby(0);
    let sinceRestart = 0;
    const learnt: number[] = [];
    for (;;) {
      const confl = this.propagate();
      if (confl !== -1) {
        conflicts++;
        sinceRestart++;
        if (this.trailLim.length === 0) {
          this.ok = false;
          return { status: "unsat" };
        }
        const bt = this.analyze(confl, learnt);
        this.cancelUntil(bt);
        if (learnt.length === 1) {
          this.enqueue(learnt[0] as number, -1);
        } else {
          const c = this.storeClause(learnt, learnt.length);
          this.enqueue(learnt[0] as number, c);
        }
        this.varInc *= 1 / 0.95;
        if (conflicts >= maxConflicts) {
          this.cancelUntil(0);
          return { status: "unknown" };
        }
        continue;
      }
      if (sinceRestart >= restartLimit) {
        sinceRestart = 0;
        restartIndex++;
        restartLimit = 64 * luby(restartIndex);
        this.cancelUntil(0);
        continue;
      }
      // Assumptions are decided first, one decision level each.
      let next = -1;
      while (this.trailLim.length < assumptions.length) {
        const a = assumptions[this.trailLim.length] as number;
        const av = this.val[a] as number;
        if (av === TRUE) {
          this.trailLim.push(this.trailSize);
        } else if (av === FALSE) {
          this.cancelUntil(0);
          return { status: "unsat" };
        } else {
          next = a;
          break;
        }
      }
      if (next === -1) {
        const v = this.pickBranchVar();
        if (v === -1) {
          const model = newBytes(this.numVars);
          for (let i = 0; i < this.numVars; i++) model[i] = this.val[2 * i] === TRUE ? 1 : 0;
          this.cancelUntil(0);
          return { status: "sat", model };
        }
        next = this.savedPhase[v] === 1 ? 2 * v : 2 * v + 1;
      }
      this.trailLim.push(this.trailSize);
      this.enqueue(next, -1);
    }
  }

  // Stores the clause `c[0…len-1]`; its first two literals become its watches.
  private storeClause(c: readonly number[], len: number): number {
    const need = this.litsSize + len;
    if (need > this.lits.length) {
      const bigger = newInt32s(Math.max(need, 2 * this.lits.length));
      bigger.set(this.lits.subarray(0, this.litsSize));
      this.lits = bigger;
    }
    const start = this.litsSize;
    for (let i = 0; i < len; i++) this.lits[start + i] = c[i] as number;
    this.litsSize = need;
    const idx = this.cStart.length;
    this.cStart.push(start);
    this.cLen.push(len);
    (this.watches[c[0] as number] ??= []).push(idx);
    (this.watches[c[1] as number] ??= []).push(idx);
    return idx;
  }

  private enqueue(l: number, from: number): void {
    this.val[l] = TRUE;
    this.val[l ^ 1] = FALSE;
    const v = l >> 1;
    this.level[v] = this.trailLim.length;
    this.reason[v] = from;
    this.trail[this.trailSize++] = l;
  }

  // Returns the index of a conflicting clause, or -1.
  private propagate(): number {
    const lits = this.lits;
    const val = this.val;
    while (this.qhead < this.trailSize) {
      const falseLit = (this.trail[this.qhead++] as number) ^ 1;
      const ws = this.watches[falseLit];
      if (ws === undefined) continue;
      let i = 0;
      let j = 0;
      const n = ws.length;
      while (i < n) {
        const ci = ws[i++] as number;
        const s = this.cStart[ci] as number;
        const len = this.cLen[ci] as number;
        if (lits[s] === falseLit) {
          lits[s] = lits[s + 1] as number;
          lits[s + 1] = falseLit;
        }
        const first = lits[s] as number;
        if (val[first] === TRUE) {
          ws[j++] = ci;
          continue;
        }
        let moved = false;
        for (let k = s + 2; k < s + len; k++) {
          const l = lits[k] as number;
          if (val[l] !== FALSE) {
            lits[s + 1] = l;
            lits[k] = falseLit;
            (this.watches[l] ??= []).push(ci);
            moved = true;
            break;
          }
        }
        if (moved) continue;
        ws[j++] = ci;
        if (val[first] === FALSE) {
          while (i < n) ws[j++] = ws[i++] as number;
          ws.length = j;
          this.qhead = this.trailSize;
          return ci;
        }
        this.enqueue(first, ci);
      }
      // Truncating is a runtime call; skip it when no watch moved away.
      if (j !== n) ws.length = j;
    }
    return -1;
  }

  // First-UIP learning; fills `out` (asserting literal first, then the literal of the backjump
  // level second) and returns the backjump level.
  private analyze(confl: number, out: number[]): number {
    out.length = 0;
    out.push(-1);
    const cur = this.trailLim.length;
    let pathC = 0;
    let p = -1;
    let idx = this.trailSize - 1;
    let c = confl;
    do {
      const s = this.cStart[c] as number;
      const len = this.cLen[c] as number;
      for (let k = p === -1 ? 0 : 1; k < len; k++) {
        const q = this.lits[s + k] as number;
        const v = q >> 1;
        if (this.seen[v] === 0 && (this.level[v] as number) > 0) {
          this.bump(v);
          this.seen[v] = 1;
          if ((this.level[v] as number) >= cur) pathC++;
          else out.push(q);
        }
      }
      while (this.seen[(this.trail[idx] as number) >> 1] === 0) idx--;
      p = this.trail[idx] as number;
      idx--;
      c = this.reason[p >> 1] as number;
      this.seen[p >> 1] = 0;
      pathC--;
    } while (pathC > 0);
    out[0] = p ^ 1;
    let bt = 0;
    let at = 1;
    for (let k = 1; k < out.length; k++) {
      const lv = this.level[(out[k] as number) >> 1] as number;
      if (lv > bt) {
        bt = lv;
        at = k;
      }
    }
    if (out.length > 1) {
      const t = out[1] as number;
      out[1] = out[at] as number;
      out[at] = t;
    }
    for (let k = 1; k < out.length; k++) this.seen[(out[k] as number) >> 1] = 0;
    return bt;
  }

  private cancelUntil(lvl: number): void {
    if (this.trailLim.length <= lvl) return;
    const stop = this.trailLim[lvl] as number;
    for (let i = this.trailSize - 1; i >= stop; i--) {
      const l = this.trail[i] as number;
      const v = l >> 1;
      this.savedPhase[v] = (l & 1) === 0 ? 1 : 0;
      this.val[l] = UNDEF;
      this.val[l ^ 1] = UNDEF;
      this.reason[v] = -1;
      if (this.heapPos[v] === -1) this.heapInsert(v);
    }
    this.trailSize = stop;
    this.qhead = stop;
    this.trailLim.length = lvl;
  }

  private pickBranchVar(): number {
    while (this.heapSize > 0) {
      const v = this.heapPop();
      if (this.val[2 * v] === UNDEF) return v;
    }
    return -1;
  }

  private bump(v: number): void {
    const a = (this.activity[v] as number) + this.varInc;
    this.activity[v] = a;
    if (a > 1e100) {
      for (let i = 0; i < this.numVars; i++) this.activity[i] = (this.activity[i] as number) * 1e-100;
      this.varInc *= 1e-100;
    }
    const pos = this.heapPos[v] as number;
    if (pos !== -1) this.siftUp(pos);
  }

  // Binary max-heap on activity; ties go to the smaller variable so the order is total.
  private before(a: number, b: number): boolean {
    const x = this.activity[a] as number;
    const y = this.activity[b] as number;
    return x > y || (x === y && a < b);
  }
  private heapInsert(v: number): void {
    this.heap[this.heapSize] = v;
    this.heapPos[v] = this.heapSize;
    this.heapSize++;
    this.siftUp(this.heapSize - 1);
  }
  private heapPop(): number {
    const top = this.heap[0] as number;
    this.heapSize--;
    this.heapPos[top] = -1;
    if (this.heapSize > 0) {
      const last = this.heap[this.heapSize] as number;
      this.heap[0] = last;
      this.heapPos[last] = 0;
      this.siftDown(0);
    }
    return top;
  }
  private siftUp(pos: number): void {
    const v = this.heap[pos] as number;
    let i = pos;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pv = this.heap[parent] as number;
      if (!this.before(v, pv)) break;
      this.heap[i] = pv;
      this.heapPos[pv] = i;
      i = parent;
    }
    this.heap[i] = v;
    this.heapPos[v] = i;
  }
  private siftDown(pos: number): void {
    const v = this.heap[pos] as number;
    let i = pos;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.heapSize) break;
      const r = l + 1;
      let c = l;
      if (r < this.heapSize && this.before(this.heap[r] as number, this.heap[l] as number)) c = r;
      const cv = this.heap[c] as number;
      if (!this.before(cv, v)) break;
      this.heap[i] = cv;
      this.heapPos[cv] = i;
      i = c;
    }
    this.heap[i] = v;
    this.heapPos[v] = i;
  }
}

/** One-shot: satisfiability of `clauses` (arrays of literals) over `numVars` variables. */
export function solveCnf(
  numVars: number,
  clauses: readonly ArrayLike<number>[],
  options: SolveOptions = {},
): SatResult {
  const s = new Solver(numVars);
  for (const c of clauses) if (!s.addClause(c)) return { status: "unsat" };
  return s.solve(options);
}
