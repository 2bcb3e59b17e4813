// The router of an environment's app (issue #17). Hono's default SmartRouter tries RegExpRouter first, which refuses
// this route table (a static segment beside a parameter one: `/am/json/serverinfo/version` and
// `/am/json/serverinfo/:id`, `/v3/campaigns/delete` and `/v3/campaigns/:id`), so every app fell back to the
// TrieRouter after a failed build, walking the trie on every request. This is the TrieRouter directly, with a bounded cache of match results by method and path: a client
// calling the same URLs again (every SDK, every load test) pays one Map lookup. Match results are read-only to Hono
// (RegExpRouter shares its static results the same way), and adding a route clears the cache.
import { TrieRouter } from 'hono/router/trie-router';
import type { Result, Router } from 'hono/router';

/** Distinct method + path pairs kept before the cache starts over. */
const CACHE_LIMIT = 2048;

export class CachingRouter<T> implements Router<T> {
  readonly name = 'CachingTrieRouter';
  private readonly trie = new TrieRouter<T>();
  /** Match results by method, then path (no `method path` key string built per request). */
  private readonly cache = new Map<string, Map<string, Result<T>>>();
  private size = 0;

  add(method: string, path: string, handler: T): void {
    this.cache.clear();
    this.size = 0;
    this.trie.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    let byPath = this.cache.get(method);
    if (byPath === undefined) this.cache.set(method, (byPath = new Map()));
    let result = byPath.get(path);
    if (result === undefined) {
      result = this.trie.match(method, path);
      if (this.size >= CACHE_LIMIT) {
        for (const m of this.cache.values()) m.clear();
        this.size = 0;
      }
      byPath.set(path, result);
      this.size++;
    }
    return result;
  }
}
