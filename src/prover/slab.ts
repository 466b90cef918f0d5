/**
 * Bump allocation of the prover's per-theory typed arrays (internal to the prover).
 *
 * In V8 a typed array of more than 64 bytes gets its own off-heap backing store: about 1 µs to
 * allocate, plus work for the garbage collector to free it, against well under 0.1 µs for a view
 * on an existing buffer. The prover makes several such arrays per theory (grounded columns, rule
 * index, models, certificates), so they are carved out of shared 32 KiB buffers instead.
 *
 * Each region is handed out once and never reused: an array from here starts zeroed, like a fresh
 * one, and no two arrays overlap. A buffer is freed once no view on it is reachable. The arrays
 * behave as fresh ones except for `.buffer` / `.byteOffset` (nothing in the prover reads those).
 */

const SLAB_BYTES = 32768;
// Larger requests, and small ones (kept on the JS heap by V8, which is cheaper still), get an
// array of their own.
const MAX_CARVED = SLAB_BYTES / 4;
const MIN_CARVED = 65;

let slab = new ArrayBuffer(SLAB_BYTES);
let used = 0;

// Offset of a fresh region of `bytes` bytes in `slab`, 8-byte aligned (any element type fits).
function reserve(bytes: number): number {
  if (used + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const at = used;
  used = (used + bytes + 7) & ~7;
  return at;
}

/** A region of `bytes` zeroed bytes at `offset` in `buffer`, 8-byte aligned: for several views. */
export interface Region {
  readonly buffer: ArrayBuffer;
  readonly offset: number;
}

/** A fresh region of `bytes` bytes (a buffer of its own when large). */
export function newRegion(bytes: number): Region {
  if (bytes > MAX_CARVED) return { buffer: new ArrayBuffer(bytes), offset: 0 };
  const offset = reserve(bytes);
  return { buffer: slab, offset };
}

/** A zeroed `Uint8Array` of length n. */
export function newBytes(n: number): Uint8Array {
  if (n < MIN_CARVED || n > MAX_CARVED) return new Uint8Array(n);
  const at = reserve(n); // before reading `slab`, which it may replace
  return new Uint8Array(slab, at, n);
}

/** A zeroed `Int8Array` of length n. */
export function newInt8s(n: number): Int8Array {
  if (n < MIN_CARVED || n > MAX_CARVED) return new Int8Array(n);
  const at = reserve(n); // before reading `slab`, which it may replace
  return new Int8Array(slab, at, n);
}

/** A zeroed `Int32Array` of length n. */
export function newInt32s(n: number): Int32Array {
  const bytes = 4 * n;
  if (bytes < MIN_CARVED || bytes > MAX_CARVED) return new Int32Array(n);
  const at = reserve(bytes); // before reading `slab`, which it may replace
  return new Int32Array(slab, at, n);
}

/** A zeroed `Float64Array` of length n. */
export function newFloat64s(n: number): Float64Array {
  const bytes = 8 * n;
  if (bytes < MIN_CARVED || bytes > MAX_CARVED) return new Float64Array(n);
  const at = reserve(bytes); // before reading `slab`, which it may replace
  return new Float64Array(slab, at, n);
}
