/**
 * A read-only Map whose values are built on demand from an index entry. A key is found with `lookup` (cheap, no
 * index of every key) until something needs them all (size, keys, iteration), which builds the ordered index
 * once. The last few values are kept, most recently used first out last (a plan asks for the same profile
 * several times); iterating builds each value in turn without keeping them all, so walking 50,000 profiles holds
 * a handful at a time (issue 16).
 */
const KEEP = 16;

export class LazyMap<K, E, V> implements ReadonlyMap<K, V> {
  private readonly recent = new Map<K, V>();
  private all: ReadonlyMap<K, E> | undefined;

  constructor(
    private readonly lookup: (key: K) => E | undefined,
    private readonly buildIndex: () => ReadonlyMap<K, E>,
    private readonly build: (key: K, entry: E) => V,
  ) {}

  private get index(): ReadonlyMap<K, E> {
    this.all ??= this.buildIndex();
    return this.all;
  }

  private find(key: K): E | undefined {
    return this.all === undefined ? this.lookup(key) : this.all.get(key);
  }

  get size(): number {
    return this.index.size;
  }

  has(key: K): boolean {
    return this.recent.has(key) || this.find(key) !== undefined;
  }

  get(key: K): V | undefined {
    const kept = this.recent.get(key);
    if (kept !== undefined) {
      this.recent.delete(key);
      this.recent.set(key, kept);
      return kept;
    }
    const entry = this.find(key);
    if (entry === undefined) return undefined;
    const value = this.build(key, entry);
    if (this.recent.size >= KEEP) this.recent.delete(this.recent.keys().next().value as K);
    this.recent.set(key, value);
    return value;
  }

  keys(): MapIterator<K> {
    return this.index.keys();
  }

  *entries(): MapIterator<[K, V]> {
    for (const key of this.index.keys()) yield [key, this.get(key) as V];
  }

  *values(): MapIterator<V> {
    for (const key of this.index.keys()) yield this.get(key) as V;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}
