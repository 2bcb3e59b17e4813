// The router of an environment's app (issue #17). Hono's default SmartRouter tries RegExpRouter first, which refuses
// this route table (a static segment beside a parameter one: `/am/json/serverinfo/version` and
// `/am/json/serverinfo/:id`, `/v3/campaigns/delete` and `/v3/campaigns/:id`), so every app fell back to the
// TrieRouter after a failed build, walking the trie on every request. This is the TrieRouter directly, with a bounded cache of match results by method and path: a client
// calling the same URLs again (every SDK, every load test) pays one Map lookup. Match results are read-only to Hono
// (RegExpRouter shares its static results the same way), and adding a route clears the cache.
//
// With a pipeline (the app's error and not-found handlers, given by app.ts), a match of several handlers (the global
// middlewares, a route's own, its handler) is answered as ONE precomposed handler (composeChain below): Hono then
// takes its single-handler fast path, where a Response returned synchronously goes back to @hono/node-server
// synchronously, instead of its compose() (an async function, an await and promises per layer per request).
import { TrieRouter } from 'hono/router/trie-router';
import type { Result, Router } from 'hono/router';
import type { Context } from 'hono';

/** Distinct method + path pairs kept before the cache starts over. */
const CACHE_LIMIT = 2048;

/** What a composed chain needs of its app: Hono's onError and notFound handlers. */
export interface Pipeline {
  onError(err: Error, c: Context): Response | Promise<Response>;
  notFound(c: Context): Response | Promise<Response>;
}

type Handler = (c: Context, next: () => unknown) => unknown;
/** One match of Hono's routers: `[[handler, route], params]`. */
type Entry = [[Handler, unknown], unknown];

const NOT_FINALIZED = 'Context is not finalized. Did you forget to return a Response object or `await next()`?';

/**
 * Hono's compose() (hono/dist/compose.js) and the end of its #dispatch, without a promise where no layer makes one:
 * layer i runs with `c.req.routeIndex = i` (so c.req.param() reads its own match's params) and next = layer i+1; a
 * layer's Error (thrown, or rejected) is rendered by onError at that layer with c.error set, so the layers around it
 * see the error response in c.res; anything else thrown rejects; a second next() rejects with Hono's error; a chain
 * that ends without a response runs notFound; a layer's result becomes c.res when c is not finalized yet (or it is
 * the error response). The composed handler returns c.res (or a promise of it), and throws Hono's "not finalized"
 * error when nothing answered, which Hono's fast path hands to its error handler as its compose path does.
 */
export function composeChain(handlers: readonly Handler[], pipeline: Pipeline): Handler {
  const n = handlers.length;
  return (c) => {
    let index = -1;
    // a synchronous chain makes no closure but the next() of each layer: the promise path's callbacks are made when a
    // layer answers a promise (issue #17)
    const dispatch = (i: number): Context | Promise<Context> => {
      if (i <= index) return Promise.reject(new Error('next() called multiple times'));
      index = i;
      let res: unknown;
      if (i === n) {
        if (c.finalized !== false) return c;
        res = pipeline.notFound(c);
        if (res instanceof Promise) return res.then((r: unknown) => settle(c, r));
      } else {
        c.req.routeIndex = i;
        try {
          res = handlers[i]!(c, () => dispatch(i + 1));
        } catch (err) {
          return fail(c, pipeline, err);
        }
        if (res instanceof Promise) return res.then((r: unknown) => settle(c, r), (err: unknown) => fail(c, pipeline, err));
      }
      return settle(c, res);
    };
    const out = dispatch(0);
    return out instanceof Promise ? out.then(finish) : finish(out);
  };
}

/** A layer's result becomes c.res when c is not finalized yet. */
function settle(c: Context, res: unknown): Context {
  if (res && c.finalized === false) c.res = res as Response;
  return c;
}

/** A layer's Error (thrown or rejected) rendered by onError, its response in c.res; anything else rejects. */
function fail(c: Context, pipeline: Pipeline, err: unknown): Context | Promise<Context> {
  if (!(err instanceof Error)) return Promise.reject(err);
  c.error = err;
  const res = pipeline.onError(err, c);
  if (res instanceof Promise) {
    return res.then((r: unknown) => {
      if (r) c.res = r as Response;
      return c;
    });
  }
  if (res) c.res = res;
  return c;
}

function finish(c: Context): Response {
  if (!c.finalized) throw new Error(NOT_FINALIZED);
  return c.res;
}

export class CachingRouter<T> implements Router<T> {
  readonly name = 'CachingTrieRouter';
  private readonly trie = new TrieRouter<T>();
  /** Match results by method, then path (no `method path` key string built per request). */
  private readonly cache = new Map<string, Map<string, Result<T>>>();
  private size = 0;
  private pipeline: Pipeline | undefined;
  /** Composed handlers by their handler list (ids joined): one per distinct chain, not per path. */
  private readonly chains = new Map<string, Handler>();
  private readonly ids = new Map<unknown, number>();

  /** Answer every match of more than one handler as one composed handler (see composeChain). */
  compose(pipeline: Pipeline): void {
    this.pipeline = pipeline;
    this.clear();
  }

  add(method: string, path: string, handler: T): void {
    this.clear();
    this.trie.add(method, path, handler);
  }

  private clear(): void {
    this.cache.clear();
    this.chains.clear();
    this.size = 0;
  }

  match(method: string, path: string): Result<T> {
    let byPath = this.cache.get(method);
    if (byPath === undefined) this.cache.set(method, (byPath = new Map()));
    let result = byPath.get(path);
    if (result === undefined) {
      result = this.trie.match(method, path);
      if (this.pipeline && result[0].length > 1) result = this.composed(result);
      if (this.size >= CACHE_LIMIT) {
        for (const m of this.cache.values()) m.clear();
        this.size = 0;
      }
      byPath.set(path, result);
      this.size++;
    }
    return result;
  }

  /**
   * A match result whose handler list has length 1 for Hono's fast path (`matchResult[0].length === 1`, then
   * `matchResult[0][0][0][0]`) while index i still holds match i's params for c.req.param() under routeIndex i: an
   * array-like `{ length: 1, 0: [[chain, route0], params0], 1: match1, … }`. (Hono's matchedRoutes/routePath helpers
   * would see only the first route; the emulator does not use them.)
   */
  private composed(result: Result<T>): Result<T> {
    const entries = result[0] as unknown as Entry[];
    let key = '';
    for (const e of entries) {
      let id = this.ids.get(e[0][0]);
      if (id === undefined) this.ids.set(e[0][0], (id = this.ids.size));
      key += id + ',';
    }
    let chain = this.chains.get(key);
    if (chain === undefined) {
      chain = composeChain(
        entries.map((e) => e[0][0]),
        this.pipeline!,
      );
      this.chains.set(key, chain);
    }
    const list: Record<number, unknown> & { length: number } = { length: 1 };
    list[0] = [[chain, entries[0]![0][1]], entries[0]![1]];
    for (let i = 1; i < entries.length; i++) list[i] = entries[i];
    return (result.length > 1 ? [list, result[1]] : [list]) as unknown as Result<T>;
  }
}
