// Issue #19 items 1, 2 and 5: bounded validation. Oversized and deeply nested bodies, and huge values, get the
// product's own 400/413 on every write route of both products and of the control plane, never a 500, and leave
// state unchanged.
import { describe, it, expect } from 'vitest';
import { testEmulator, call, aicToken, iscToken } from './helpers.js';
import { openApiDocument } from '../src/openapi.js';
import { jsonDepthExceeded, parseSize, MAX_JSON_DEPTH, MB } from '../src/core/limits.js';
import { decodeBase64 } from '../src/aic/esv/service.js';
import type { Emulator } from '../src/emulator.js';
import { listen } from '../src/server.js';
import { connect } from 'node:net';

const nested = (depth: number) => '['.repeat(depth - 1) + '{"a":1}' + ']'.repeat(depth - 1);
const WRITE = new Set(['post', 'put', 'patch', 'delete']);
const ADMIN_WRITES = ['/__emulator/reset', '/__emulator/seed', '/__emulator/clock', '/__emulator/token', '/__emulator/faults'];

function concrete(path: string): string {
  return path.replace(/\{[^}]+\}/g, (m) => (/version/i.test(m) ? '1' : /name/i.test(m) ? 'esv-limits-probe' : 'limits-probe-id'));
}

/** Every write operation the served OpenAPI document declares, for one product. */
function writeRoutes(emu: Emulator, envName: string): Array<{ method: string; path: string }> {
  const doc = openApiDocument(emu.env(envName)!) as { paths: Record<string, Record<string, unknown>> };
  const out: Array<{ method: string; path: string }> = [];
  for (const [path, ops] of Object.entries(doc.paths)) for (const m of Object.keys(ops)) if (WRITE.has(m)) out.push({ method: m.toUpperCase(), path: concrete(path) });
  return out;
}

/** The product's error body shape for a path (see wireError in src/core/limits.ts). */
function expectProductError(product: 'aic' | 'isc', path: string, status: number, body: any, what: string) {
  if (path.startsWith('/__emulator')) expect(typeof body?.error, what).toBe('string');
  else if (product === 'isc') {
    expect(body?.messages?.[0]?.text, what).toEqual(expect.any(String));
    expect(body?.detailCode, what).toEqual(expect.any(String));
  } else if (path.startsWith('/environment/')) expect(body, what).toEqual({ code: status, message: expect.any(String) });
  else if (path.startsWith('/iga/')) expect(body, what).toEqual({ message: expect.any(String) });
  else expect(body, what).toMatchObject({ code: status, reason: expect.any(String), message: expect.any(String) });
}

async function tokens(emu: Emulator) {
  const aic = await aicToken(emu, 'staging', ['fr:am:*', 'fr:idm:*', 'fr:idc:esv:*', 'fr:idc:promotion:*', 'fr:iga:*']);
  const admin = emu.isc.slice<any>('identities').identities.find((i: any) => i.authorities.includes('ORG_ADMIN'));
  return { staging: aic, isc: await iscToken(emu, admin.id) };
}

describe('jsonDepthExceeded', () => {
  it('counts bracket nesting outside strings, without recursion, up to any size', () => {
    expect(jsonDepthExceeded(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(jsonDepthExceeded(nested(MAX_JSON_DEPTH + 1))).toBe(MAX_JSON_DEPTH + 1);
    expect(jsonDepthExceeded(JSON.stringify({ s: '['.repeat(5000) + '\\"[[' }))).toBeUndefined();
    expect(jsonDepthExceeded('['.repeat(1_000_000), 10)).toBe(11);
    expect(jsonDepthExceeded('{"a":[1,2,{"b":[]}]}', 4)).toBeUndefined();
    expect(jsonDepthExceeded('{"a":[1,2,{"b":[]}]}', 3)).toBe(4);
  });
  it('parseSize reads CLI sizes', () => {
    expect(parseSize('1mb')).toBe(MB);
    expect(parseSize('512KB')).toBe(512 * 1024);
    expect(parseSize('2048')).toBe(2048);
    expect(parseSize('lots')).toBeUndefined();
    expect(parseSize('0')).toBeUndefined();
  });
});

describe('ESV values of any size (item 1)', () => {
  it('decodeBase64 checks an 8 MB value in one pass instead of overflowing the regex stack', () => {
    const big = Buffer.alloc(6 * MB, 7).toString('base64');
    expect(decodeBase64(big)?.length).toBe(6 * MB);
    expect(decodeBase64(big.slice(0, -1) + '!')).toBeUndefined();
    expect(decodeBase64('QUJD')?.toString()).toBe('ABC');
    expect(decodeBase64('QUI=')?.toString()).toBe('AB');
    expect(decodeBase64('QQ==')?.toString()).toBe('A');
    for (const bad of ['QUJ', 'Q===', '====', 'QU=I', 'QUJD=']) expect(decodeBase64(bad), bad).toBeUndefined();
  });

  it('with a body limit raised past 8 MB, every ESV value write answers the environment API 400, not 500', { timeout: 60_000 }, async () => {
    const emu = testEmulator({ bodyLimits: { api: 16 * MB } });
    const t = (await tokens(emu)).staging;
    const valueBase64 = Buffer.alloc(6 * MB, 1).toString('base64'); // ~8 MB of base64
    const before = JSON.stringify(emu.env('staging')!.state.esv);
    const cases: Array<[string, string, unknown]> = [
      ['PUT', '/environment/variables/esv-big', { valueBase64, expressionType: 'string' }],
      ['PUT', '/environment/secrets/esv-big', { valueBase64, encoding: 'generic', useInPlaceholders: true }],
    ];
    const secret = (emu.env('staging')!.state.esv as any).secrets[0]._id as string;
    cases.push(['POST', `/environment/secrets/${secret}/versions?_action=create`, { valueBase64 }]);
    for (const [method, path, body] of cases) {
      const res = await call(emu, 'staging', method, path, { body, token: t });
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body).toEqual({ code: 400, message: 'The value exceeds the maximum size of 65535 bytes' });
    }
    expect(JSON.stringify(emu.env('staging')!.state.esv)).toBe(before);
  });
});

describe('body size limit (item 5)', () => {
  it('a body over the route class limit answers 413 in the product error body before parsing, on every write route', { timeout: 120_000 }, async () => {
    const emu = testEmulator({ bodyLimits: { api: 64 * 1024, controlPlane: 128 * 1024 } });
    const t = await tokens(emu);
    const before = JSON.stringify(emu.snapshot());
    const big = JSON.stringify({ pad: 'x'.repeat(200 * 1024) });
    let calls = 0;
    for (const [envName, product] of [['staging', 'aic'], ['isc', 'isc']] as const) {
      for (const { method, path } of [...writeRoutes(emu, envName), ...ADMIN_WRITES.map((p) => ({ method: 'POST', path: p }))]) {
        // declared length, and a streamed (chunked) body without one
        for (const streamed of [false, true]) {
          const body = streamed ? new Blob([big]).stream() : big;
          const res = await emu.request(envName, path, { method, body, headers: { 'content-type': 'application/json', authorization: `Bearer ${t[envName]}` }, ...(streamed ? { duplex: 'half' } : {}) } as RequestInit);
          const text = await res.text();
          const what = `${method} ${path} streamed=${streamed} → ${res.status} ${text.slice(0, 120)}`;
          expect(res.status, what).toBe(413);
          expectProductError(product, path, 413, JSON.parse(text), what);
          calls++;
        }
      }
    }
    expect(calls).toBeGreaterThan(100);
    expect(JSON.stringify(emu.snapshot())).toBe(before);
  });

  it('the default is 1 MiB for product routes and bodies under the limit still reach the route', async () => {
    const emu = testEmulator();
    const t = (await tokens(emu)).staging;
    const over = JSON.stringify({ valueBase64: 'A'.repeat(MB) });
    const res = await call(emu, 'staging', 'PUT', '/environment/variables/esv-over', { raw: over, token: t });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ code: 413, message: `The request body exceeds the maximum size of ${MB} bytes` });
    const ok = await call(emu, 'staging', 'PUT', '/environment/variables/esv-under', { body: { valueBase64: Buffer.from('hello').toString('base64'), expressionType: 'string' }, token: t });
    expect(ok.status).toBe(200);
    // a chunked body under the limit is handed on intact
    const res2 = await emu.request('staging', '/environment/variables/esv-chunked', {
      method: 'PUT',
      body: new Blob([JSON.stringify({ valueBase64: Buffer.from('chunked').toString('base64'), expressionType: 'string' })]).stream(),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` },
      duplex: 'half',
    } as RequestInit);
    expect(res2.status).toBe(200);
    expect(Buffer.from(((emu.env('staging')!.state.esv as any).variables.find((v: any) => v._id === 'esv-chunked')).valueBase64, 'base64').toString()).toBe('chunked');
  });
});

describe('JSON depth limit (item 2)', () => {
  it(`a body nested deeper than ${MAX_JSON_DEPTH} levels answers the product 400 on every write route, state unchanged`, { timeout: 120_000 }, async () => {
    const emu = testEmulator();
    const t = await tokens(emu);
    const before = JSON.stringify(emu.snapshot());
    const deep = nested(MAX_JSON_DEPTH + 1);
    let calls = 0;
    for (const [envName, product] of [['staging', 'aic'], ['isc', 'isc']] as const) {
      for (const { method, path } of [...writeRoutes(emu, envName), ...ADMIN_WRITES.map((p) => ({ method: 'POST', path: p }))]) {
        // (the control plane refuses text/plain outright: 415, control-plane-guard.test.ts)
        for (const type of path.startsWith('/__emulator') ? ['application/json'] : ['application/json', 'text/plain']) {
          const res = await call(emu, envName, method, path, { raw: deep, token: t[envName], headers: { 'content-type': type } });
          const what = `${method} ${path} ${type} → ${res.status} ${res.text.slice(0, 120)}`;
          expect(res.status, what).toBe(400);
          expectProductError(product, path, 400, res.body, what);
          calls++;
        }
      }
    }
    expect(calls).toBeGreaterThan(100);
    expect(JSON.stringify(emu.snapshot())).toBe(before);
  });

  it(`bodies at the limit (${MAX_JSON_DEPTH} levels) never answer 500, on every write route and on the IDM/AM config stores`, { timeout: 120_000 }, async () => {
    const emu = testEmulator();
    const t = await tokens(emu);
    const err = console.error;
    const logged: unknown[] = [];
    console.error = (...a: unknown[]) => logged.push(a);
    try {
      const atLimit = `{"a":${nested(MAX_JSON_DEPTH - 1)}}`;
      const extra = [
        { method: 'PUT', path: '/openidm/config/limits-probe' },
        { method: 'PUT', path: '/am/json/realms/root/realms/alpha/scripts/0b0d1b1e-0000-4000-8000-000000000001' },
        { method: 'PUT', path: '/am/json/realms/root/realms/alpha/realm-config/agents/OAuth2Client/limits-probe' },
      ];
      for (const [envName] of [['staging'], ['isc']] as const) {
        for (const { method, path } of [...writeRoutes(emu, envName), ...(envName === 'staging' ? extra : [])]) {
          const res = await call(emu, envName, method, path, { raw: atLimit, token: t[envName] });
          expect(res.status, `${method} ${path} → ${res.text.slice(0, 200)}`).toBeLessThan(500);
        }
      }
      // what was stored deep reads back and snapshots without overflowing
      const read = await call(emu, 'staging', 'GET', '/openidm/config/limits-probe', { token: t.staging });
      expect(read.status).toBeLessThan(500);
      expect(() => JSON.stringify(emu.snapshot())).not.toThrow();
    } finally {
      console.error = err;
    }
    expect(logged).toEqual([]);
  });

  it('query filters nested past the parser limit answer 400, not a stack overflow', async () => {
    const emu = testEmulator();
    const t = await tokens(emu);
    const deep = encodeURIComponent('('.repeat(20_000) + 'true' + ')'.repeat(20_000));
    const aic = await call(emu, 'staging', 'GET', `/environment/variables?_queryFilter=${deep}`, { token: t.staging });
    expect(aic.status).toBe(400);
    const notDeep = encodeURIComponent('not '.repeat(20_000) + 'id eq "x"');
    const isc = await call(emu, 'isc', 'GET', `/v3/certifications?filters=${notDeep}`, { token: t.isc });
    expect(isc.status).toBe(400);
    const chain = encodeURIComponent(Array.from({ length: 20_000 }, () => 'id eq "x"').join(' and '));
    const isc2 = await call(emu, 'isc', 'GET', `/v3/certifications?filters=${chain}`, { token: t.isc });
    expect(isc2.status).toBe(400);
  });
});

describe('bodies over a real listener (read from the Node request, issue #17 writes)', () => {
  it('declared, chunked, oversized, too deep and abandoned bodies, and a form token request, as in-process', { timeout: 60_000 }, async () => {
    const emu = testEmulator({ port: 0, bodyLimits: { api: 64 * 1024, controlPlane: 8 * MB } });
    const l = await listen(emu);
    try {
      const url = emu.env('staging')!.url;
      const t = (await tokens(emu)).staging;
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${t}` };
      const put = (name: string, body: RequestInit['body'], extra: RequestInit = {}) => fetch(`${url}/environment/variables/${name}`, { method: 'PUT', headers, body, ...extra } as RequestInit);
      const value = (name: string) => Buffer.from((emu.env('staging')!.slice<any>('esv').variables as any[]).find((v) => v._id === name).valueBase64, 'base64').toString();
      // a declared length (fetch sends Content-Length for a string), with multi-byte characters split across chunks
      const text = 'héllo ✓ '.repeat(2000);
      const ok = await put('esv-listener', JSON.stringify({ valueBase64: Buffer.from(text).toString('base64'), expressionType: 'string', description: 'ünïcode ✓' }));
      expect(ok.status, await ok.text()).toBe(200);
      expect(value('esv-listener')).toBe(text);
      // chunked (no length): the web stream path
      const chunked = await put('esv-listener-chunked', new Blob([JSON.stringify({ valueBase64: Buffer.from('chunked').toString('base64'), expressionType: 'string' })]).stream(), { duplex: 'half' } as RequestInit);
      expect(chunked.status).toBe(200);
      expect(value('esv-listener-chunked')).toBe('chunked');
      // over the limit, declared and chunked: 413 in the environment API's body
      for (const streamed of [false, true]) {
        const big = JSON.stringify({ pad: 'x'.repeat(200 * 1024) });
        const res = await put('esv-listener-big', streamed ? new Blob([big]).stream() : big, streamed ? ({ duplex: 'half' } as RequestInit) : {});
        expect(res.status).toBe(413);
        expect(await res.json()).toEqual({ code: 413, message: `The request body exceeds the maximum size of ${64 * 1024} bytes` });
      }
      // too deep; not JSON
      const deep = await put('esv-listener-deep', nested(MAX_JSON_DEPTH + 1));
      expect(deep.status).toBe(400);
      expect(((await deep.json()) as any).message).toContain('nested deeper');
      const notJson = await put('esv-listener-bad', '{"valueBase64":');
      expect(notJson.status).toBe(400);
      expect(await notJson.json()).toEqual({ code: 400, message: 'The request body is not valid JSON' });
      // a client that declares 100 bytes, sends 10 and goes away: no answer owed, and the server carries on
      const port = Number(new URL(url).port);
      await new Promise<void>((resolve) => {
        const s = connect(port, '127.0.0.1', () => {
          s.write(`PUT /environment/variables/esv-listener-gone HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${t}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"valueBa`);
          setTimeout(() => s.destroy(), 50);
        });
        s.on('close', () => resolve());
        s.on('error', () => undefined);
      });
      const after = await put('esv-listener', JSON.stringify({ valueBase64: Buffer.from('after').toString('base64') }));
      expect(after.status).toBe(200);
      expect(value('esv-listener')).toBe('after');
      expect((emu.env('staging')!.slice<any>('esv').variables as any[]).some((v) => v._id === 'esv-listener-gone')).toBe(false);
      // a control-plane body of many chunks (2 MB): the guard reads its headers only, the limits read it once
      const rule = await fetch(`${url}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '/nowhere', status: 500, body: 'x'.repeat(2 * MB) }), signal: AbortSignal.timeout(10_000) });
      expect(rule.status, await rule.text()).toBeLessThan(300);
      // a form body of declared length (the OAuth token endpoint, whose access log reads the form from a clone)
      const creds = (await call(emu, 'staging', 'GET', '/__emulator/credentials')).body;
      const client = (creds.environments?.staging ?? creds.staging).oauthClients[0];
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret });
      const tok = await fetch(`${url}/am/oauth2/access_token`, { method: 'POST', body: form });
      expect(tok.status, await tok.text()).toBe(200);
    } finally {
      await l.close();
    }
  });
});
