// Every cache corsica keeps per request input (origins, header lists, options returned by
// functions) is bounded, so that a client sending endless distinct values costs memory only up to
// a limit. Past it the cache starts again empty: simpler than LRU, and a working set refills it.

/** Stores `value` under `key`, first emptying `map` when it holds `limit` entries; returns `value`. */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, limit: number): V {
  if (map.size >= limit) map.clear();
  map.set(key, value);
  return value;
}
