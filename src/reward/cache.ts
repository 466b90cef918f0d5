/** A small bounded least-recently-used map (insertion order of a `Map` is the recency order). */

/** Bounded LRU map; `get` refreshes recency, `set` evicts the oldest entry past `capacity`. */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  private hitCount = 0;
  private missCount = 0;

  /** A cache holding at most `capacity` entries (0 disables caching). */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`LRU capacity must be a non-negative integer, got ${capacity}`);
    }
  }

  /** The value for `key`, marking it most recently used. */
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) {
      this.missCount++;
      return undefined;
    }
    this.hitCount++;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  /** Stores `value` under `key`, evicting the least recently used entry when full. */
  set(key: K, value: V): void {
    if (this.capacity === 0) return;
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next();
      if (oldest.done !== true) this.map.delete(oldest.value);
    }
  }

  /** Drops the least recently used entry; false when the cache is empty. */
  evictOldest(): boolean {
    const oldest = this.map.keys().next();
    if (oldest.done === true) return false;
    this.map.delete(oldest.value);
    return true;
  }

  /** Number of entries held. */
  get size(): number {
    return this.map.size;
  }

  /** Hit and miss counts since creation, for metrics. */
  get stats(): { readonly hits: number; readonly misses: number } {
    return { hits: this.hitCount, misses: this.missCount };
  }
}
