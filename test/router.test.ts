// CachingRouter (core/router.ts): the TrieRouter's match results, cached by method and path, bounded, and dropped when
// a route is added.
import { describe, expect, it } from 'vitest';
import { TrieRouter } from 'hono/router/trie-router';
import { CachingRouter } from '../src/core/router.js';

const routes: Array<[string, string, string]> = [
  ['GET', '/environment/variables', 'list'],
  ['GET', '/environment/variables/:name', 'get'],
  ['PUT', '/environment/variables/:name', 'put'],
  ['ALL', '*', 'mw'],
  ['GET', '/am/json/serverinfo/version', 'version'],
  ['GET', '/am/json/serverinfo/:id', 'info'],
];

describe('CachingRouter', () => {
  it('answers what the trie answers, the same result object on a repeat, and forgets on add', () => {
    const cached = new CachingRouter<string>();
    const trie = new TrieRouter<string>();
    for (const [m, p, h] of routes) {
      cached.add(m, p, h);
      trie.add(m, p, h);
    }
    const calls: Array<[string, string]> = [['GET', '/environment/variables'], ['GET', '/environment/variables/esv-a'], ['PUT', '/environment/variables/esv-a'], ['DELETE', '/environment/variables/esv-a'], ['GET', '/am/json/serverinfo/version'], ['GET', '/am/json/serverinfo/x'], ['GET', '/nowhere']];
    for (const [m, p] of calls) {
      const first = cached.match(m, p);
      expect(first).toEqual(trie.match(m, p));
      expect(cached.match(m, p)).toBe(first);
    }
    const before = cached.match('GET', '/environment/variables/esv-a');
    cached.add('GET', '/environment/variables/esv-a', 'exact');
    trie.add('GET', '/environment/variables/esv-a', 'exact');
    const after = cached.match('GET', '/environment/variables/esv-a');
    expect(after).not.toBe(before);
    expect(after).toEqual(trie.match('GET', '/environment/variables/esv-a'));
  });

  it('stays correct past its bound', () => {
    const cached = new CachingRouter<string>();
    const trie = new TrieRouter<string>();
    for (const [m, p, h] of routes) {
      cached.add(m, p, h);
      trie.add(m, p, h);
    }
    for (let i = 0; i < 5000; i++) {
      const m = i % 2 ? 'GET' : 'PUT';
      const p = `/environment/variables/esv-${i % 3000}`;
      expect(cached.match(m, p)).toEqual(trie.match(m, p));
    }
  });
});
