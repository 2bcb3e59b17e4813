// Log pages are written as JSON text (access kinds' payloadJson, routes pageBody) instead of building objects and
// calling c.json (issue #17): the bytes must be exactly what JSON.stringify of the old objects gave, for every kind
// of entry, and the HTTP response the same status, headers and body.
import { describe, it, expect } from 'vitest';
import { testEmulator, aicToken, call } from './helpers.js';
import { accessRecord, writeAccessAttempt, writeAccessOutcome } from '../src/aic/logs/access.js';
import { wireEntry, wireEntryJson } from '../src/aic/logs/service.js';
import { pageBody } from '../src/aic/logs/routes.js';

const pageJson = (entries: readonly LogEntry[], cookie: string | null) => Buffer.from(pageBody(entries, cookie)).toString('utf8');
import type { Environment } from '../src/environment.js';
import type { LogEntry } from '../src/core/logbook.js';

/** The rendering before payloadJson: objects, then JSON.stringify (what c.json did). */
function oldPage(entries: readonly LogEntry[], cookie: string | null): string {
  return JSON.stringify({ result: entries.map(wireEntry), resultCount: String(entries.length), pagedResultsCookie: cookie, totalPagedResultsPolicy: 'NONE', totalPagedResults: -1, remainingPagedResults: -1 });
}

function allEntries(env: Environment): LogEntry[] {
  return env.logbook.sources().flatMap((s) => env.logbook.view(s));
}

const headerSets: Array<Record<string, string>> = [
  {},
  { host: 'dev.localhost', 'user-agent': 'frodo/3.3.3', accept: 'application/json' },
  { 'x-forwarded-for': '203.0.113.7, 10.0.0.1', 'x-real-ip': '10.0.0.9', authorization: 'Bearer secret', cookie: 'a=b' },
  { 'x-real-ip': '192.0.2.1', 'x-odd': 'quote " backslash \\ tab \t ünïcødé \u2028 😀', '123': 'numeric header name' },
  { 'x-forwarded-for': ' 198.51.100.5 ', 'accept-api-version': 'resource=4.0, protocol=2.1' },
];
const urls = [
  'http://dev.localhost/am/json/serverinfo/version',
  'https://dev.example.com:8443/am/json/realms/root/realms/alpha/users?_queryFilter=true&_fields=userName&_fields=mail',
  'http://dev.localhost/am/oauth2/realms/root/realms/alpha/access_token?access_token=hidden&x=%22quoted%22',
  'http://dev.localhost/am/json/realms/root/realms/bravo/realms/sub/sessions?_action=validate&tokenId=secret',
  'http://dev.localhost/am/json/authenticate?authIndexType=service&authIndexValue=Login',
  'http://dev.localhost/environment/variables/esv-smtp-host',
  'http://dev.localhost/openidm/managed/alpha_user?_queryId=query-all-ids',
  'http://dev.localhost/openidm/managed/alpha_user/%C3%A9t%C3%A9?_action=patch&_prettyPrint=true',
  'http://127.0.0.1:8080/iga/governance/requests?_pageSize=5&_pageSize=6',
];
const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const statuses = [200, 201, 204, 304, 400, 401, 403, 404, 409, 412, 418, 429, 500, 503];

describe('log entries written as JSON text', () => {
  it('access entries: payloadJson is JSON.stringify(payload) for a varied set of records', () => {
    const emu = testEmulator();
    const env = emu.env('dev')!;
    let i = 0;
    for (const url of urls) {
      for (const headers of headerSets) {
        const method = methods[i % methods.length]!;
        const detail = i % 5 === 0 ? { client_id: 'frodo"cli', grant_type: 'client_credentials', scope: 'fr:idm:* fr:am:*' } : undefined;
        const tx = i % 3 === 0 ? `caller-supplied-"${i}"` : i % 3 === 1 ? `with-hop-${i}/7` : `b5e1c0de-0000-4000-8000-${String(i).padStart(12, '0')}`;
        const r = accessRecord(env.logbook, method, url, headers, tx, detail);
        writeAccessAttempt(env, r);
        const principal = i % 4 === 0 ? undefined : { id: i % 4 === 1 ? 'svc-account' : `user "ü" ${i}`, tokenId: i % 2 ? `tok-${i}` : undefined };
        writeAccessOutcome(env, r, new URL(url).pathname, statuses[i % statuses.length]!, i % 7 === 0 ? 0 : i * 13, principal as never);
        i++;
      }
    }
    // an elapsed time JSON writes as null
    const odd = accessRecord(env.logbook, 'GET', urls[0]!, headerSets[1]!, 'tx-odd');
    writeAccessOutcome(env, odd, '/am/json/serverinfo/version', 200, Number.NaN, undefined);
    const entries = allEntries(env);
    expect(entries.length).toBeGreaterThan(urls.length * headerSets.length);
    for (const e of entries) {
      expect(e.payloadJson).toBe(JSON.stringify(e.payload));
      expect(wireEntryJson(e)).toBe(JSON.stringify(wireEntry(e)));
    }
    // a page, and the empty page
    expect(pageJson(entries, 'eyJ0IjoxLCJzIjoyfQ')).toBe(oldPage(entries, 'eyJ0IjoxLCJzIjoyfQ'));
    expect(pageJson([], null)).toBe(oldPage([], null));
    // the buffer grows past its first guess (non-ASCII text takes up to 3 bytes a code unit)
    const big = accessRecord(env.logbook, 'GET', urls[0]!, { 'x-big': 'é😀€'.repeat(3000) }, 'tx-big');
    writeAccessOutcome(env, big, '/am/json/serverinfo/version', 200, 1, undefined);
    const withBig = allEntries(env);
    expect(pageJson(withBig, null)).toBe(oldPage(withBig, null));
    const alone = withBig.filter((e) => e.payloadJson!.includes('x-big'));
    expect(alone).toHaveLength(1);
    expect(pageJson(alone, null)).toBe(oldPage(alone, null));
  });

  it('payload entries (audit, appended, plain text) render as before', () => {
    const emu = testEmulator();
    const env = emu.env('dev')!;
    const t = env.clock.now();
    env.logbook.append('idm-core', 'plain text line with "quotes" and \n newline', t);
    env.logbook.append('am-core', { transactionId: 'x/1', nested: { a: [1, null, 'b'], u: undefined, d: new Date(0) }, '2': 'int key first' }, t);
    env.logbook.append('custom "source"', { level: 'ERROR' }, t + 1);
    env.logbook.append('idm-activity', undefined, t + 2); // no payload key at all, as JSON.stringify leaves it out
    const entries = allEntries(env);
    for (const e of entries) expect(wireEntryJson(e)).toBe(JSON.stringify(wireEntry(e)));
    expect(pageJson(entries, null)).toBe(oldPage(entries, null));
  });

  it('a query and a tail answer the old page, with the same status and headers', async () => {
    const emu = testEmulator();
    const env = emu.env('dev')!;
    const token = await aicToken(emu, 'dev', ['fr:idc:esv:*', 'fr:idm:*']);
    await call(emu, 'dev', 'GET', '/environment/variables/esv-smtp-host', { token, headers: { 'user-agent': 'ua "x"' } });
    await call(emu, 'dev', 'GET', '/environment/variables/esv-nope', { token });
    await call(emu, 'dev', 'GET', '/am/json/serverinfo/version?x=1&x=2&access_token=t', { headers: { 'x-forwarded-for': '203.0.113.9' } });
    await call(emu, 'dev', 'POST', '/am/oauth2/access_token', { raw: 'grant_type=client_credentials&client_id=nobody&scope=a%20b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await call(emu, 'dev', 'POST', '/__emulator/logs/entries?env=dev', { body: [{ source: 'idm-core', payload: 'text' }, { source: 'am-core', payload: { level: 'WARNING' } }] });
    const key = env.slice<{ logApiKeys: Array<{ id: string; secret: string }> }>('credentials').logApiKeys[0]!;
    const keyHeaders = { 'x-api-key': key.id, 'x-api-secret': key.secret };
    const sources = 'am-everything,idm-everything';
    const q = await call(emu, 'dev', 'GET', `/monitoring/logs?source=${sources}&_pageSize=3`, { headers: keyHeaders });
    expect(q.status).toBe(200);
    expect(q.headers.get('content-type')).toBe('application/json');
    expect([...q.headers.keys()].sort()).toEqual(['content-type', 'x-forgerock-transactionid', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']);
    const all = env.logbook.sources().flatMap((s) => env.logbook.view(s)).sort((a, b) => a.t - b.t || a.seq - b.seq);
    expect(q.text).toBe(oldPage(all.slice(0, 3), q.body.pagedResultsCookie));
    expect(q.body.pagedResultsCookie).not.toBeNull();
    const tail = await call(emu, 'dev', 'GET', `/monitoring/logs/tail?source=${sources}`, { headers: keyHeaders });
    expect(tail.status).toBe(200);
    expect(tail.headers.get('content-type')).toBe('application/json');
    expect(tail.text).toBe(oldPage(all, tail.body.pagedResultsCookie));
  });
});

describe('transaction queries over kept numbers', () => {
  it('a transactionId query finds the same entries as comparing each entry’s id', async () => {
    const emu = testEmulator();
    const env = emu.env('dev')!;
    const token = await aicToken(emu, 'dev', ['fr:idc:esv:*']);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      // generated ids (kept as numbers) and callers' ids (kept as strings, one with a hop suffix)
      const headers: Record<string, string> = i % 3 === 0 ? { 'x-forgerock-transactionid': i === 3 ? `caller-${i}/4` : `caller-${i}` } : {};
      const res = await call(emu, 'dev', 'GET', i % 2 ? '/am/json/serverinfo/version' : '/environment/variables/esv-smtp-host', { token, headers });
      ids.push(res.headers.get('x-forgerock-transactionid')!);
    }
    await call(emu, 'dev', 'POST', '/am/oauth2/access_token', { raw: 'grant_type=client_credentials&client_id=nobody', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const key = env.slice<{ logApiKeys: Array<{ id: string; secret: string }> }>('credentials').logApiKeys[0]!;
    const base = (v: string) => v.split('/')[0]!;
    const all = env.logbook.sources().flatMap((s) => env.logbook.view(s));
    for (const id of [...ids, `${ids[1]}/0`, 'caller-3', 'nothing', ids[1]!.slice(0, -1)]) {
      const res = await call(emu, 'dev', 'GET', `/monitoring/logs?source=am-everything,idm-everything&transactionId=${encodeURIComponent(id)}`, { headers: { 'x-api-key': key.id, 'x-api-secret': key.secret } });
      expect(res.status).toBe(200);
      const expected = all.filter((e) => e.tx !== undefined && base(e.tx) === base(id));
      expect(res.body.result).toHaveLength(expected.length);
      if (!['nothing', ids[1]!.slice(0, -1)].includes(id)) expect(expected.length).toBeGreaterThan(0);
    }
  });
});
