// Which methods a path answers to (issue #19 item 9): a known path called with a method it does not support answers
// 405 with `Allow` (RFC 9110 §15.5.6), not 404. Built once per app from its route table, consulted only on a miss.
import { TrieRouter } from 'hono/router/trie-router';

interface RouteEntry {
  method: string;
  path: string;
}

/** A lookup from a request path to the methods its routes declare; `app.use` middleware (method ALL) is not a route. */
export function methodIndex(routes: readonly RouteEntry[]): (path: string) => string[] {
  const router = new TrieRouter<string>();
  for (const r of routes) if (r.method !== 'ALL') router.add('ALL', r.path, r.method.toUpperCase());
  return (path) => {
    const [matches] = router.match('GET', path) as [Array<[string, unknown]>, unknown];
    const methods = new Set(matches.map(([m]) => m));
    if (methods.has('GET')) methods.add('HEAD'); // Hono answers HEAD from GET routes
    return [...methods].sort();
  };
}
