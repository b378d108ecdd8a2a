/*
 * Short-lived read caches for the public pages: a registration page is read far more often than
 * its settings, tokens or portal facts change. Every entry is dropped after `ttlMs` (so changes made
 * by another instance show within that time) and at once when this instance writes: writers bump
 * the shared ChangeSignal (see the invalidating proxies bound in src/container/registration.module.ts).
 */

/**
 * How long the public pages may show settings, tokens, portal facts and pages read or rendered
 * earlier: changes made by another instance show within this time; this instance's own writes drop
 * the caches at once.
 */
export const PUBLIC_CACHE_MS = 1000;

/** A counter bumped by every write that could change what the public pages show. */
export class ChangeSignal {
  private generation = 0;

  get current(): number {
    return this.generation;
  }

  bump(): void {
    this.generation += 1;
  }
}

/** Milliseconds from a monotonic source; injected so tests can move it. */
export type Millis = () => number;

/** How a cache of public reads is kept: dropped on `signal`, kept `cacheMs` (0: never), timed by `millis`. */
export interface CacheSettings {
  readonly signal: ChangeSignal;
  readonly cacheMs: number;
  readonly millis: Millis;
}

interface Entry<V> {
  readonly value: V;
  readonly at: number;
  readonly generation: number;
}

/** A bounded cache whose entries expire after ttlMs or on the next ChangeSignal bump. */
export class ReadCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly inflight = new Map<K, { readonly promise: Promise<V>; readonly generation: number }>();

  constructor(
    private readonly signal: ChangeSignal,
    private readonly ttlMs: number,
    private readonly now: Millis,
    private readonly maxEntries = 500,
  ) {}

  /**
   * The cached value, or `load()`'s (shared by concurrent callers). `keep(value)` false leaves a
   * value uncached (e.g. a miss that an attacker could use to fill memory).
   */
  async get(key: K, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    if (this.ttlMs <= 0) return load();
    const hit = this.entries.get(key);
    if (hit && hit.generation === this.signal.current && this.now() - hit.at < this.ttlMs) return hit.value;
    const generation = this.signal.current;
    const pending = this.inflight.get(key);
    if (pending && pending.generation === generation) return pending.promise;
    const at = this.now();
    const loading = load().finally(() => {
      if (this.inflight.get(key)?.promise === loading) this.inflight.delete(key);
    });
    this.inflight.set(key, { promise: loading, generation });
    const value = await loading;
    // A write during the load may have changed what was read: do not keep a possibly stale value.
    if (keep(value) && generation === this.signal.current) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
      this.entries.delete(key);
      this.entries.set(key, { value, at, generation });
    }
    return value;
  }

  /** The cached value when it is fresh, without loading anything; undefined otherwise. */
  peek(key: K): V | undefined {
    if (this.ttlMs <= 0) return undefined;
    const hit = this.entries.get(key);
    return hit && hit.generation === this.signal.current && this.now() - hit.at < this.ttlMs ? hit.value : undefined;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Wraps a repository so that every call that may write bumps the signal, before and after it runs.
 * Methods named find…/list…/get…/count…/search…/is…/has…, and those listed in `reads`, are reads;
 * `ignore` lists writes that must not invalidate (e.g. a token's use counter, which the public pages
 * re-check where it matters). Methods a later version adds are writes by default, so nothing cached
 * outlives a change.
 */
export function invalidatingOnWrite<T extends object>(target: T, signal: ChangeSignal, opts: { reads?: readonly string[]; ignore?: readonly string[] } = {}): T {
  const READ = /^(find|list|get|count|search|is|has)([A-Z]|$)/;
  const passThrough = new Set([...(opts.reads ?? []), ...(opts.ignore ?? [])]);
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value: unknown = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      const fn = value as (...a: unknown[]) => unknown;
      if (typeof prop !== 'string' || prop === 'constructor' || READ.test(prop) || passThrough.has(prop)) return fn.bind(obj);
      return (...args: unknown[]) => {
        signal.bump();
        const result = fn.apply(obj, args);
        if (result instanceof Promise) return result.finally(() => signal.bump());
        signal.bump();
        return result;
      };
    },
  });
}
