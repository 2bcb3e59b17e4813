import { describe, it, expect, beforeEach } from 'vitest';
import type { Emulator } from '../src/emulator.js';
import type { LogsState } from '../src/aic/logs/model.js';
import { testEmulator, call, aicToken, advance } from './helpers.js';

const T0 = Date.parse('2026-11-23T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

let emu: Emulator;
let key: { id: string; secret: string };

function creds(k = key) {
  return { 'x-api-key': k.id, 'x-api-secret': k.secret };
}
function logs(path: string, headers: Record<string, string> = creds()) {
  return call(emu, 'dev', 'GET', path, { headers });
}
async function append(entries: Array<{ source: string; payload: unknown; timestamp?: string }>, env = 'dev') {
  const res = await call(emu, env, 'POST', `/__emulator/logs/entries?env=${env}`, { body: entries });
  expect(res.status).toBe(200);
}
function q(params: Record<string, string>) {
  return new URLSearchParams(params).toString();
}

beforeEach(() => {
  emu = testEmulator();
  const k = emu.env('dev')!.slice<{ logApiKeys: Array<{ id: string; secret: string }> }>('credentials').logApiKeys[0]!;
  key = { id: k.id, secret: k.secret };
});

describe('GET /monitoring/logs/sources', () => {
  it('lists the documented sources in the documented envelope (S4 L13960–13990)', async () => {
    const res = await logs('/monitoring/logs/sources');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      result: ['am-access', 'am-activity', 'am-authentication', 'am-config', 'am-core', 'am-everything', 'idm-access', 'idm-activity', 'idm-authentication', 'idm-config', 'idm-core', 'idm-everything', 'idm-recon', 'idm-sync'],
      resultCount: 14,
      pagedResultsCookie: null,
      totalPagedResultsPolicy: 'NONE',
      totalPagedResults: 1,
      remainingPagedResults: 0,
    });
  });
  it('adds the ws-* sources where WS-Federation is enabled (S4 L4820–4845)', async () => {
    emu.env('dev')!.slice<LogsState>('logs').wsFederation = true;
    const res = await logs('/monitoring/logs/sources');
    expect(res.body.resultCount).toBe(18);
    expect(res.body.result.slice(-4)).toEqual(['ws-activity', 'ws-config', 'ws-core', 'ws-everything']);
  });
});

describe('API key authentication (S4 L13918–13990)', () => {
  const denied = { code: 401, reason: 'Unauthorized', message: 'Access Denied' };
  it('missing headers → 401', async () => {
    for (const path of ['/monitoring/logs/sources', '/monitoring/logs?source=am-access', '/monitoring/logs/tail?source=am-access']) {
      const res = await logs(path, {});
      expect(res.status).toBe(401);
      expect(res.body).toEqual(denied);
    }
    const onlyKey = await logs('/monitoring/logs?source=am-access', { 'x-api-key': key.id });
    expect(onlyKey.status).toBe(401);
  });
  it('wrong secret or unknown key → 401', async () => {
    expect((await logs('/monitoring/logs?source=am-access', creds({ id: key.id, secret: 'nope' }))).status).toBe(401);
    expect((await logs('/monitoring/logs?source=am-access', creds({ id: 'nope', secret: key.secret }))).status).toBe(401);
    expect((await logs('/monitoring/logs?source=am-access')).status).toBe(200);
  });
  it('a deleted key fails at once; a new key works at once', async () => {
    const st = emu.env('dev')!.slice<{ logApiKeys: Array<{ id: string; secret: string; name: string }> }>('credentials');
    expect((await logs('/monitoring/logs/sources')).status).toBe(200);
    st.logApiKeys.splice(0, st.logApiKeys.length);
    const res = await logs('/monitoring/logs/sources');
    expect(res.status).toBe(401);
    expect(res.body).toEqual(denied);
    st.logApiKeys.push({ id: 'k2', secret: 's2', name: 'second' });
    expect((await logs('/monitoring/logs/sources', creds({ id: 'k2', secret: 's2' }))).status).toBe(200);
  });
  it('through the /keys API: a created key works at once, a deleted key fails at once', async () => {
    const token = await aicToken(emu, 'dev', ['fr:idm:*']);
    const created = await call(emu, 'dev', 'POST', '/keys?_action=create', { token, body: { name: 'shipper' } });
    expect(created.status).toBe(201);
    const k = { id: created.body.api_key_id, secret: created.body.api_key_secret };
    expect((await logs('/monitoring/logs?source=am-access', creds(k))).status).toBe(200);
    expect((await call(emu, 'dev', 'DELETE', `/keys/${k.id}`, { token })).status).toBe(200);
    const res = await logs('/monitoring/logs?source=am-access', creds(k));
    expect(res.status).toBe(401);
    expect(res.body).toEqual(denied);
  });
  it('keys are per environment', async () => {
    const res = await call(emu, 'staging', 'GET', '/monitoring/logs/sources', { headers: creds() });
    expect(res.status).toBe(401);
  });
});

describe('GET /monitoring/logs: window, envelope, paging', () => {
  it('defaults to the last 24 h and returns the documented envelope', async () => {
    await append([
      { source: 'am-core', payload: { message: 'old', level: 'INFO' }, timestamp: iso(T0 - 25 * 3600_000) },
      { source: 'am-core', payload: { message: 'recent', level: 'INFO' }, timestamp: iso(T0 - 23 * 3600_000) },
      { source: 'am-core', payload: 'a plain text line', timestamp: iso(T0) },
    ]);
    const res = await logs('/monitoring/logs?source=am-core');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      result: [
        { payload: { message: 'recent', level: 'INFO' }, timestamp: iso(T0 - 23 * 3600_000), type: 'application/json', source: 'am-core' },
        { payload: 'a plain text line', timestamp: iso(T0), type: 'text/plain', source: 'am-core' },
      ],
      resultCount: '2',
      pagedResultsCookie: null,
      totalPagedResultsPolicy: 'NONE',
      totalPagedResults: -1,
      remainingPagedResults: -1,
    });
  });
  it('beginTime/endTime select a window; beginTime defaults to 24 h before endTime', async () => {
    await append([
      { source: 'am-core', payload: { n: 1 }, timestamp: iso(T0 - 30 * 3600_000) },
      { source: 'am-core', payload: { n: 2 }, timestamp: iso(T0 - 26 * 3600_000) },
      { source: 'am-core', payload: { n: 3 }, timestamp: iso(T0 - 2 * 3600_000) },
    ]);
    let res = await logs(`/monitoring/logs?${q({ source: 'am-core', endTime: iso(T0 - 25 * 3600_000) })}`);
    expect(res.body.result.map((e: any) => e.payload.n)).toEqual([1, 2]);
    res = await logs(`/monitoring/logs?${q({ source: 'am-core', beginTime: iso(T0 - 27 * 3600_000), endTime: iso(T0 - 26 * 3600_000) })}`);
    expect(res.body.result.map((e: any) => e.payload.n)).toEqual([2]);
    res = await logs(`/monitoring/logs?${q({ source: 'am-core', beginTime: iso(T0 - 3 * 3600_000) })}`);
    expect(res.body.result.map((e: any) => e.payload.n)).toEqual([3]);
  });
  it('refuses a window over 24 h, a reversed window and malformed times', async () => {
    const exactly = await logs(`/monitoring/logs?${q({ source: 'am-core', beginTime: iso(T0 - 24 * 3600_000), endTime: iso(T0) })}`);
    expect(exactly.status).toBe(200);
    let res = await logs(`/monitoring/logs?${q({ source: 'am-core', beginTime: iso(T0 - 24 * 3600_000 - 1), endTime: iso(T0) })}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 400, reason: 'Bad Request', message: 'beginTime must be 24 hours or less before endTime' });
    res = await logs(`/monitoring/logs?${q({ source: 'am-core', beginTime: iso(T0 - 25 * 3600_000) })}`);
    expect(res.status).toBe(400);
    res = await logs(`/monitoring/logs?${q({ source: 'am-core', beginTime: iso(T0), endTime: iso(T0 - 1000) })}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('beginTime must be before endTime');
    res = await logs(`/monitoring/logs?${q({ source: 'am-core', beginTime: 'yesterday' })}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(400);
  });
  it('source is required and must be known', async () => {
    let res = await logs('/monitoring/logs');
    expect(res.status).toBe(400);
    res = await logs('/monitoring/logs?source=am-nothing');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 400, reason: 'Bad Request', message: 'Invalid source: am-nothing' });
  });
  it('pages with the cookie until it is null, in time order, without gaps or repeats', async () => {
    const entries = Array.from({ length: 2500 }, (_, i) => ({ source: i % 2 ? 'am-core' : 'am-access', payload: { n: i }, timestamp: iso(T0 - 3600_000 + i * 1000) }));
    await append(entries);
    const seen: number[] = [];
    let cookie: string | null = null;
    const sizes: number[] = [];
    do {
      const params: Record<string, string> = { source: 'am-access,am-core', beginTime: iso(T0 - 2 * 3600_000), endTime: iso(T0) };
      if (cookie) params._pagedResultsCookie = cookie;
      const res = await logs(`/monitoring/logs?${q(params)}`);
      expect(res.status).toBe(200);
      sizes.push(res.body.result.length);
      expect(res.body.resultCount).toBe(String(res.body.result.length));
      seen.push(...res.body.result.map((e: any) => e.payload.n));
      cookie = res.body.pagedResultsCookie;
    } while (cookie);
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(seen).toEqual(Array.from({ length: 2500 }, (_, i) => i));
  });
  it('_pageSize pages smaller, is capped at 1000, and must be a positive integer', async () => {
    await append(Array.from({ length: 1200 }, (_, i) => ({ source: 'am-core', payload: { n: i }, timestamp: iso(T0 - 1200 + i) })));
    let res = await logs(`/monitoring/logs?${q({ source: 'am-core', _pageSize: '7' })}`);
    expect(res.body.result.map((e: any) => e.payload.n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    res = await logs(`/monitoring/logs?${q({ source: 'am-core', _pageSize: '7', _pagedResultsCookie: res.body.pagedResultsCookie })}`);
    expect(res.body.result.map((e: any) => e.payload.n)).toEqual([7, 8, 9, 10, 11, 12, 13]);
    res = await logs(`/monitoring/logs?${q({ source: 'am-core', _pageSize: '5000' })}`);
    expect(res.body.result).toHaveLength(1000);
    expect(res.body.pagedResultsCookie).toEqual(expect.any(String));
    for (const bad of ['0', '-3', 'abc', '1.5']) expect((await logs(`/monitoring/logs?${q({ source: 'am-core', _pageSize: bad })}`)).status).toBe(400);
    expect((await logs(`/monitoring/logs?${q({ source: 'am-core', _pagedResultsCookie: 'garbage!' })}`)).status).toBe(400);
  });
  it('a full last page has a null cookie', async () => {
    await append(Array.from({ length: 4 }, (_, i) => ({ source: 'am-core', payload: { n: i }, timestamp: iso(T0 - 10 + i) })));
    let res = await logs(`/monitoring/logs?${q({ source: 'am-core', _pageSize: '2' })}`);
    expect(res.body.pagedResultsCookie).toEqual(expect.any(String));
    res = await logs(`/monitoring/logs?${q({ source: 'am-core', _pageSize: '2', _pagedResultsCookie: res.body.pagedResultsCookie })}`);
    expect(res.body.result.map((e: any) => e.payload.n)).toEqual([2, 3]);
    expect(res.body.pagedResultsCookie).toBeNull();
  });
});

describe('sources: several, *-everything', () => {
  beforeEach(async () => {
    await append([
      { source: 'am-access', payload: { s: 'am-access' }, timestamp: iso(T0 - 6000) },
      { source: 'am-authentication', payload: { s: 'am-authentication' }, timestamp: iso(T0 - 5000) },
      { source: 'am-core', payload: 'am-core text', timestamp: iso(T0 - 4000) },
      { source: 'idm-activity', payload: { s: 'idm-activity' }, timestamp: iso(T0 - 3000) },
      { source: 'idm-sync', payload: { s: 'idm-sync' }, timestamp: iso(T0 - 2000) },
      { source: 'am-config', payload: { s: 'am-config' }, timestamp: iso(T0 - 1000) },
    ]);
  });
  const srcs = (res: any) => res.body.result.map((e: any) => e.source);
  it('comma-separated sources merge in time order', async () => {
    const res = await logs('/monitoring/logs?source=idm-sync,am-access,am-core');
    expect(srcs(res)).toEqual(['am-access', 'am-core', 'idm-sync']);
    expect(res.body.result[1].type).toBe('text/plain');
  });
  it('am-everything and idm-everything aggregate their family, naming each entry\'s own source', async () => {
    expect(srcs(await logs('/monitoring/logs?source=am-everything'))).toEqual(['am-access', 'am-authentication', 'am-core', 'am-config']);
    expect(srcs(await logs('/monitoring/logs?source=idm-everything'))).toEqual(['idm-activity', 'idm-sync']);
    expect(srcs(await logs('/monitoring/logs?source=am-everything,am-core,idm-sync'))).toEqual(['am-access', 'am-authentication', 'am-core', 'idm-sync', 'am-config']);
  });
});

describe('transactionId', () => {
  it('selects the entries of one request by the part before the /', async () => {
    await append([
      { source: 'am-access', payload: { transactionId: 'tx-1/0', n: 1 }, timestamp: iso(T0 - 3000) },
      { source: 'am-authentication', payload: { transactionId: 'tx-1/1', n: 2 }, timestamp: iso(T0 - 2000) },
      { source: 'am-access', payload: { transactionId: 'tx-2/0', n: 3 }, timestamp: iso(T0 - 1000) },
      { source: 'am-core', payload: 'no transaction', timestamp: iso(T0 - 500) },
    ]);
    let res = await logs(`/monitoring/logs?${q({ source: 'am-everything', transactionId: 'tx-1' })}`);
    expect(res.body.result.map((e: any) => e.payload.n)).toEqual([1, 2]);
    res = await logs(`/monitoring/logs?${q({ source: 'am-everything', transactionId: 'tx-1/7' })}`);
    expect(res.body.result.map((e: any) => e.payload.n)).toEqual([1, 2]);
    res = await logs(`/monitoring/logs?${q({ source: 'am-everything', transactionId: 'tx-' })}`);
    expect(res.body.result).toEqual([]);
  });
});

describe('_queryFilter over entries (S4 L6155–6240)', () => {
  beforeEach(async () => {
    await append([
      { source: 'am-authentication', payload: { level: 'INFO', eventName: 'AM-NODE-LOGIN-COMPLETED', principal: ['bjensen'], entries: [{ info: { nodeType: 'ScriptedDecisionNode' } }], client: { ip: '10.104.1.5' }, elapsed: 5 }, timestamp: iso(T0 - 4000) },
      { source: 'am-authentication', payload: { level: 'ERROR', eventName: 'AM-LOGIN-COMPLETED', principal: ['amadmin'], entries: [], client: { ip: '10.104.1.6' }, elapsed: 50 }, timestamp: iso(T0 - 3000) },
      { source: 'am-core', payload: 'WARNING something odd', timestamp: iso(T0 - 2000) },
      { source: 'am-core', payload: 'INFO all good', timestamp: iso(T0 - 1000) },
    ]);
  });
  const cases: Array<[string, number]> = [
    ['/payload/level eq "ERROR"', 1],
    ['/payload/client/ip co "104.1.5"', 1],
    ['/payload/eventName sw "AM-NODE"', 1],
    ['/payload/elapsed gt 5', 1],
    ['/payload/elapsed ge 5', 2],
    ['/payload/elapsed lt 50', 1],
    ['/payload/elapsed le 50', 2],
    ['/payload/entries/info/nodeType pr', 1],
    ['/payload/entries/info/nodeType eq "ScriptedDecisionNode"', 1],
    ['/payload/principal eq "amadmin"', 1],
    ['/payload co "WARNING"', 1],
    ['/payload/level eq "INFO" or /payload co "INFO"', 2],
    ['/payload/client/ip co "10.104" and /payload/level eq "ERROR"', 1],
    ['!(/payload/level eq "ERROR")', 3],
    ['/source eq "am-core"', 2],
    ['/type eq "text/plain" and !(/payload co "warning")', 1],
    ['true', 4],
    ['false', 0],
  ];
  for (const [filter, n] of cases) {
    it(`${filter} → ${n}`, async () => {
      const res = await logs(`/monitoring/logs?${q({ source: 'am-everything', _queryFilter: filter })}`);
      expect(res.status).toBe(200);
      expect(res.body.result).toHaveLength(n);
    });
  }
  it('a malformed filter → 400 naming the position', async () => {
    const res = await logs(`/monitoring/logs?${q({ source: 'am-everything', _queryFilter: '/payload/level eq ERROR' })}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 400, reason: 'Bad Request', message: expect.stringContaining('position 18') });
    const tail = await logs(`/monitoring/logs/tail?${q({ source: 'am-everything', _queryFilter: '(/payload/level eq "x"' })}`);
    expect(tail.status).toBe(400);
    expect(tail.body.message).toContain('position 22');
  });
});

describe('GET /monitoring/logs/tail', () => {
  it('first call: the last 15 s; then only what came after, via the cookie', async () => {
    await append([
      { source: 'am-core', payload: { n: 1 }, timestamp: iso(T0 - 20_000) },
      { source: 'am-core', payload: { n: 2 }, timestamp: iso(T0 - 10_000) },
      { source: 'idm-core', payload: { n: 3 }, timestamp: iso(T0 - 5_000) },
    ]);
    let res = await logs('/monitoring/logs/tail?source=am-core,idm-core');
    expect(res.status).toBe(200);
    expect(res.body.result.map((e: any) => e.payload.n)).toEqual([2, 3]);
    expect(res.body).toMatchObject({ resultCount: '2', totalPagedResultsPolicy: 'NONE', totalPagedResults: -1, remainingPagedResults: -1 });
    let cookie = res.body.pagedResultsCookie;
    expect(cookie).toEqual(expect.any(String));

    res = await logs(`/monitoring/logs/tail?${q({ source: 'am-core,idm-core', _pagedResultsCookie: cookie })}`);
    expect(res.body.result).toEqual([]);
    cookie = res.body.pagedResultsCookie;

    await advance(emu, 2000);
    await append([{ source: 'am-core', payload: { n: 4 } }, { source: 'am-access', payload: { n: 5 } }, { source: 'idm-core', payload: { n: 6 } }]);
    res = await logs(`/monitoring/logs/tail?${q({ source: 'am-core,idm-core', _pagedResultsCookie: cookie })}`);
    expect(res.body.result.map((e: any) => e.payload.n)).toEqual([4, 6]);
    cookie = res.body.pagedResultsCookie;
    // same millisecond: entries written after the previous call still come, exactly once
    await append([{ source: 'am-core', payload: { n: 7 } }]);
    res = await logs(`/monitoring/logs/tail?${q({ source: 'am-core,idm-core', _pagedResultsCookie: cookie })}`);
    expect(res.body.result.map((e: any) => e.payload.n)).toEqual([7]);
  });
  it('an empty first call still hands out a cookie that catches what follows', async () => {
    let res = await logs('/monitoring/logs/tail?source=am-everything');
    expect(res.body.result).toEqual([]);
    const cookie = res.body.pagedResultsCookie;
    await append([{ source: 'am-authentication', payload: { n: 1 } }]);
    res = await logs(`/monitoring/logs/tail?${q({ source: 'am-everything', _pagedResultsCookie: cookie })}`);
    expect(res.body.result.map((e: any) => e.payload.n)).toEqual([1]);
  });
  it('returns at most 15,000 lines a call and resumes after them', async () => {
    await append(Array.from({ length: 15_010 }, (_, i) => ({ source: 'am-core', payload: `line ${i}`, timestamp: iso(T0 - 10_000 + Math.floor(i / 2000)) })));
    let res = await logs('/monitoring/logs/tail?source=am-core');
    expect(res.body.result).toHaveLength(15_000);
    expect(res.body.resultCount).toBe('15000');
    res = await logs(`/monitoring/logs/tail?${q({ source: 'am-core', _pagedResultsCookie: res.body.pagedResultsCookie })}`);
    expect(res.body.result.map((e: any) => e.payload)).toEqual(Array.from({ length: 10 }, (_, i) => `line ${15_000 + i}`));
  });
  it('filters too', async () => {
    await append([{ source: 'am-core', payload: { level: 'ERROR' } }, { source: 'am-core', payload: { level: 'DEBUG' } }]);
    const res = await logs(`/monitoring/logs/tail?${q({ source: 'am-core', _queryFilter: '/payload/level eq "ERROR"' })}`);
    expect(res.body.result).toEqual([{ payload: { level: 'ERROR' }, timestamp: iso(T0), type: 'application/json', source: 'am-core' }]);
  });
});

describe('rate limit: 60/min per environment, shared by /logs and /tail (S4 L6473–6510)', () => {
  it('exact headers across a window boundary driven by the clock', async () => {
    const reset1 = String((T0 + 60_000) / 1000);
    for (let i = 1; i <= 60; i++) {
      const res = await logs(i % 2 ? '/monitoring/logs?source=am-core' : '/monitoring/logs/tail?source=am-core');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('60');
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(60 - i));
      expect(res.headers.get('x-ratelimit-reset')).toBe(reset1);
    }
    const refused = await logs('/monitoring/logs?source=am-core');
    expect(refused.status).toBe(429);
    expect(refused.body.result).toBeUndefined();
    expect(refused.body).toEqual({ code: 429, reason: 'Too Many Requests', message: 'Too Many Requests' });
    expect(refused.headers.get('x-ratelimit-limit')).toBe('60');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('x-ratelimit-reset')).toBe(reset1);
    expect((await logs('/monitoring/logs/tail?source=am-core')).status).toBe(429);
    // another environment has its own quota
    const stagingKey = emu.env('staging')!.slice<{ logApiKeys: Array<{ id: string; secret: string }> }>('credentials').logApiKeys[0]!;
    expect((await call(emu, 'staging', 'GET', '/monitoring/logs?source=am-core', { headers: creds(stagingKey) })).status).toBe(200);

    await advance(emu, 59_999);
    expect((await logs('/monitoring/logs?source=am-core')).status).toBe(429);
    await advance(emu, 1);
    const next = await logs('/monitoring/logs?source=am-core');
    expect(next.status).toBe(200);
    expect(next.headers.get('x-ratelimit-remaining')).toBe('59');
    expect(next.headers.get('x-ratelimit-reset')).toBe(String((T0 + 120_000) / 1000));
  });
  it('a bad request still counts and carries the headers; the limit is configurable per environment', async () => {
    emu.env('dev')!.slice<LogsState>('logs').rateLimit = 2;
    let res = await logs('/monitoring/logs?source=bogus');
    expect(res.status).toBe(400);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(res.headers.get('x-ratelimit-limit')).toBe('2');
    res = await logs('/monitoring/logs?source=am-core');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect((await logs('/monitoring/logs?source=am-core')).status).toBe(429);
    // the control plane can open a fresh window
    expect((await call(emu, 'dev', 'DELETE', '/__emulator/logs/rate-limit?env=dev')).status).toBe(204);
    expect((await logs('/monitoring/logs?source=am-core')).headers.get('x-ratelimit-remaining')).toBe('1');
  });
});

describe('entries written by the emulator itself', () => {
  it('every AIC request leaves its access entry; the transaction id finds it, naming the principal', async () => {
    const token = await aicToken(emu, 'dev', ['fr:idc:esv:read'], 'sa-logs-test');
    const res = await call(emu, 'dev', 'GET', '/environment/variables', { token, headers: { 'x-forwarded-for': '203.0.113.9, 10.0.0.1', 'user-agent': 'vitest' } });
    const tx = res.headers.get('x-forgerock-transactionid')!;
    expect(tx).toMatch(/.+/);
    const found = await logs(`/monitoring/logs?${q({ source: 'idm-everything', transactionId: tx })}`);
    expect(found.status).toBe(200);
    const access = found.body.result.find((e: any) => e.source === 'idm-access');
    expect(access).toBeDefined();
    expect(access.type).toBe('application/json');
    expect(access.timestamp).toBe(iso(T0));
    expect(access.payload).toMatchObject({
      eventName: 'access',
      level: 'INFO',
      source: 'audit',
      topic: 'access',
      transactionId: `${tx}/0`,
      userId: 'sa-logs-test',
      client: { ip: '203.0.113.9' },
      http: { request: { method: 'GET', path: 'http://dev.localhost/environment/variables', secure: false } },
      request: { operation: 'READ', protocol: 'CREST' },
      response: { elapsedTime: 0, elapsedTimeUnits: 'MILLISECONDS', status: res.status < 400 ? 'SUCCESSFUL' : 'FAILED', statusCode: String(res.status) },
    });
    // credentials never reach the logs
    expect(access.payload.http.request.headers.authorization).toBeUndefined();
    expect(access.payload.http.request.headers['user-agent']).toEqual(['vitest']);
  });
  it('an anonymous or failed request is logged too; AM paths write attempt and outcome to am-access', async () => {
    const res = await call(emu, 'dev', 'GET', '/am/json/realms/root/realms/alpha/no-such-endpoint?_action=x&tokenId=secret', { headers: { 'x-forgerock-transactionid': 'frodo-123' } });
    expect(res.headers.get('x-forgerock-transactionid')).toBe('frodo-123');
    const found = await logs(`/monitoring/logs?${q({ source: 'am-everything', transactionId: 'frodo-123' })}`);
    const events = found.body.result.map((e: any) => `${e.source}:${e.payload.eventName}`);
    expect(events).toEqual(['am-access:AM-ACCESS-ATTEMPT', 'am-access:AM-ACCESS-OUTCOME']);
    const outcome = found.body.result[1].payload;
    expect(outcome).toMatchObject({
      realm: '/alpha',
      transactionId: 'frodo-123/0',
      response: { status: 'FAILED', statusCode: String(res.status), detail: { reason: expect.any(String) }, elapsedTimeUnits: 'MILLISECONDS' },
      http: { request: { method: 'GET', queryParameters: { _action: ['x'] } } },
    });
    expect(outcome.http.request.queryParameters.tokenId).toBeUndefined();
    expect(outcome._id).toBe(found.body.result[0].payload._id);
  });
  it('a refused request is logged with its status, as anonymous', async () => {
    const res = await call(emu, 'dev', 'GET', '/environment/variables', { headers: { 'x-forgerock-transactionid': 'no-token-1' } });
    expect(res.status).toBe(401);
    const found = await logs(`/monitoring/logs?${q({ source: 'idm-access', transactionId: 'no-token-1' })}`);
    expect(found.body.result).toHaveLength(1);
    expect(found.body.result[0].payload).toMatchObject({ userId: 'anonymous', roles: ['internal/role/openidm-reg'], response: { status: 'FAILED', statusCode: '401' } });
  });
  it('a token request: access attempt with its grant detail, an am-authentication outcome, success or failure', async () => {
    const form = (secret: string) => new URLSearchParams({ grant_type: 'client_credentials', client_id: 'emulator-admin-client', client_secret: secret, scope: 'fr:idm:*' }).toString();
    const headers = (tx: string) => ({ 'content-type': 'application/x-www-form-urlencoded', 'x-forgerock-transactionid': tx });
    const ok = await call(emu, 'dev', 'POST', '/am/oauth2/realms/root/realms/alpha/access_token', { raw: form('dev-admin-secret'), headers: headers('tok-ok') });
    expect(ok.status).toBe(200);
    expect(ok.body.access_token).toEqual(expect.any(String));
    let found = await logs(`/monitoring/logs?${q({ source: 'am-everything', transactionId: 'tok-ok' })}`);
    expect(found.body.result.map((e: any) => `${e.source}:${e.payload.eventName}`)).toEqual(['am-access:AM-ACCESS-ATTEMPT', 'am-authentication:AM-LOGIN-COMPLETED', 'am-access:AM-ACCESS-OUTCOME']);
    expect(found.body.result[0].payload.request).toEqual({ detail: { client_id: 'emulator-admin-client', grant_type: 'client_credentials', scope: 'fr:idm:*' } });
    expect(found.body.result[0].payload.component).toBe('OAuth');
    expect(found.body.result[1].payload).toMatchObject({ principal: ['emulator-admin-client'], result: 'SUCCESSFUL', topic: 'authentication', component: 'Authentication', transactionId: 'tok-ok/1' });
    const bad = await call(emu, 'dev', 'POST', '/am/oauth2/realms/root/realms/alpha/access_token', { raw: form('wrong'), headers: headers('tok-bad') });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    found = await logs(`/monitoring/logs?${q({ source: 'am-authentication', transactionId: 'tok-bad', _queryFilter: '/payload/result eq "FAILED"' })}`);
    expect(found.body.result).toHaveLength(1);
    // the secret never reaches the logs
    const all = await logs(`/monitoring/logs?${q({ source: 'am-everything', transactionId: 'tok-bad' })}`);
    expect(all.text).not.toContain('wrong');
  });
  it('the control plane and the logs API themselves are not tenant traffic', async () => {
    await call(emu, 'dev', 'GET', '/__emulator/environments');
    await logs('/monitoring/logs/sources');
    const res = await logs('/monitoring/logs?source=am-everything,idm-everything');
    expect(res.body.result).toEqual([]);
  });
  it('an ESV change: its transaction id on idm-everything returns the access and activity entries, naming the service account', async () => {
    const token = await aicToken(emu, 'dev', ['fr:idc:esv:read', 'fr:idc:esv:update'], 'sa-esv-writer');
    const put = await call(emu, 'dev', 'PUT', '/environment/variables/esv-logs-test', { token, body: { valueBase64: Buffer.from('hello').toString('base64'), description: 'x', expressionType: 'string' } });
    expect(put.status).toBe(200);
    const tx = put.headers.get('x-forgerock-transactionid')!;
    const found = await logs(`/monitoring/logs?${q({ source: 'idm-everything', transactionId: tx })}`);
    expect(found.body.result.length).toBeGreaterThanOrEqual(2);
    const of = (source: string) => found.body.result.filter((e: any) => e.source === source);
    expect(of('idm-access')[0].payload).toMatchObject({ userId: 'sa-esv-writer', request: { operation: 'UPDATE' }, http: { request: { method: 'PUT' } } });
    expect(of('idm-activity').some((e: any) => e.payload.userId === 'sa-esv-writer' && e.payload.runAs === 'sa-esv-writer' && /esv-logs-test/.test(e.payload.objectId))).toBe(true);
  });
});

describe('retention and background traffic', () => {
  it('keeps 30 days of emulator time', async () => {
    await append([
      { source: 'am-core', payload: { n: 'old' }, timestamp: iso(T0 - 31 * 86400_000) },
      { source: 'am-core', payload: { n: 'kept' }, timestamp: iso(T0 - 29 * 86400_000) },
    ]);
    let res = await logs(`/monitoring/logs?${q({ source: 'am-core', beginTime: iso(T0 - 31 * 86400_000 - 3600_000), endTime: iso(T0 - 31 * 86400_000 + 3600_000) })}`);
    expect(res.body.result).toEqual([]);
    res = await logs(`/monitoring/logs?${q({ source: 'am-core', beginTime: iso(T0 - 29 * 86400_000 - 3600_000), endTime: iso(T0 - 29 * 86400_000 + 3600_000) })}`);
    expect(res.body.result.map((e: any) => e.payload.n)).toEqual(['kept']);
    expect(emu.env('dev')!.logbook.view('am-core').length).toBe(1);
  });
  it('generates deterministic authentication and access traffic when enabled', async () => {
    const run = async () => {
      emu = testEmulator();
      const res = await call(emu, 'dev', 'POST', '/__emulator/logs/traffic?env=dev', { body: { ratePerMinute: 30 } });
      expect(res.status).toBe(200);
      await advance(emu, 60_000);
      const k = emu.env('dev')!.slice<{ logApiKeys: Array<{ id: string; secret: string }> }>('credentials').logApiKeys[0]!;
      const page = await call(emu, 'dev', 'GET', `/monitoring/logs?${q({ source: 'am-everything,idm-everything', beginTime: iso(T0 - 3600_000) })}`, { headers: creds(k) });
      return page.body.result as any[];
    };
    const a = await run();
    const b = await run();
    expect(a.length).toBeGreaterThan(30);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(new Set(a.map((e) => e.source))).toEqual(expect.any(Set));
    expect(a.some((e) => e.source === 'am-authentication' && e.payload.eventName === 'AM-NODE-LOGIN-COMPLETED')).toBe(true);
    expect(a.every((e) => Date.parse(e.timestamp) > T0 - 3600_000 && Date.parse(e.timestamp) <= T0 + 60_000)).toBe(true);
  });
});

describe('payload shapes match the documented examples (S4 L4814–6000)', () => {
  const keys = (o: object) => Object.keys(o).sort();
  it('idm-access and am-access attempt/outcome', async () => {
    const token = await aicToken(emu, 'dev', ['fr:idc:esv:read'], 'sa-shape');
    await call(emu, 'dev', 'GET', '/environment/variables', { token, headers: { 'x-forgerock-transactionid': 'shape-idm' } });
    await call(emu, 'dev', 'GET', '/am/json/realms/root/realms/alpha/serverinfo/*', { headers: { 'x-forgerock-transactionid': 'shape-am' } });
    const idm = (await logs('/monitoring/logs?source=idm-access&transactionId=shape-idm')).body.result[0].payload;
    // S4 idm-access example
    expect(keys(idm)).toEqual(['_id', 'client', 'eventName', 'http', 'level', 'request', 'response', 'roles', 'server', 'source', 'timestamp', 'topic', 'transactionId', 'userId']);
    expect(keys(idm.response)).toEqual(['elapsedTime', 'elapsedTimeUnits', 'status', 'statusCode']);
    expect(keys(idm.http.request)).toEqual(['headers', 'method', 'path', 'secure']);
    const am = (await logs('/monitoring/logs?source=am-access&transactionId=shape-am')).body.result.map((e: any) => e.payload);
    // S4 am-access example (attempt); the outcome adds response, trackingIds and (when authenticated) userId
    expect(keys(am[0])).toEqual(['_id', 'client', 'component', 'eventName', 'http', 'level', 'realm', 'request', 'source', 'timestamp', 'topic', 'transactionId']);
    expect(keys(am[1])).toEqual(['_id', 'client', 'component', 'eventName', 'http', 'level', 'realm', 'request', 'response', 'source', 'timestamp', 'topic', 'trackingIds', 'transactionId']);
    expect(am[1].timestamp).toBe(iso(T0));
  });
  it('activity, config and authentication entries written through core/audit.ts', async () => {
    const { auditActivity, auditAuthentication } = await import('../src/core/audit.js');
    const env = emu.env('dev')!;
    const principal = { type: 'serviceAccount' as const, id: 'sa-1', scopes: [], authorities: [], tokenId: 'jti-1', claims: {} };
    const ctx = { txId: 'shape-audit', principal };
    auditActivity(env, ctx, { objectId: 'managed/alpha_user/u1', operation: 'PATCH' });
    auditActivity(env, ctx, { source: 'idm-config', objectId: 'sync', operation: 'UPDATE', changedFields: ['/mappings'] });
    auditActivity(env, ctx, { source: 'am-config', objectId: 'ou=x', operation: 'UPDATE' });
    auditAuthentication(env, ctx, { result: 'SUCCESSFUL' });
    const res = await logs('/monitoring/logs?source=am-everything,idm-everything&transactionId=shape-audit');
    const by = Object.fromEntries(res.body.result.map((e: any) => [e.source, e.payload]));
    // S4 idm-activity example
    expect(keys(by['idm-activity'])).toEqual(['_id', 'changedFields', 'eventName', 'message', 'objectId', 'operation', 'passwordChanged', 'revision', 'runAs', 'status', 'timestamp', 'transactionId', 'userId']);
    expect(by['idm-activity']).toMatchObject({ eventName: 'activity', userId: 'sa-1', runAs: 'sa-1', transactionId: 'shape-audit/1', status: 'SUCCESS' });
    // S4 idm-config example
    expect(keys(by['idm-config'])).toEqual(['_id', 'changedFields', 'eventName', 'objectId', 'operation', 'revision', 'runAs', 'timestamp', 'transactionId', 'userId']);
    expect(by['idm-config']).toMatchObject({ eventName: 'CONFIG', changedFields: ['/mappings'], revision: null });
    // S4 am-config example (+ changedFields, listed in its format)
    expect(keys(by['am-config'])).toEqual(['_id', 'changedFields', 'eventName', 'level', 'objectId', 'operation', 'runAs', 'source', 'timestamp', 'topic', 'trackingIds', 'transactionId', 'userId']);
    expect(by['am-config']).toMatchObject({ eventName: 'AM-CONFIG-CHANGE', operation: 'MODIFY', userId: 'id=sa-1,ou=user,ou=am-config' });
    // S4 am-authentication example (+ result and userId, listed in its format)
    expect(keys(by['am-authentication'])).toEqual(['_id', 'component', 'entries', 'eventName', 'level', 'principal', 'realm', 'result', 'source', 'timestamp', 'topic', 'trackingIds', 'transactionId', 'userId']);
    expect(by['am-authentication']).toMatchObject({ principal: ['sa-1'], eventName: 'AM-LOGIN-COMPLETED', topic: 'authentication' });
  });
});
