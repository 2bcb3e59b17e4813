// managed/svcacct and log API keys: a conformance replay of the recorded exchanges
// (am-authentication-and-service-accounts.json, ServiceAccountOps) and the CRUD/keys rules around them.
import { describe, expect, it } from 'vitest';
import { SignJWT, importJWK, generateKeyPair, exportJWK } from 'jose';
import { aicToken, call, testEmulator } from './helpers.js';
import { loadRecording } from './shared.js';


const recording = loadRecording('am-authentication-and-service-accounts.json');
const exchange = (name: string) => recording[Object.keys(recording).find((k) => k.includes(name))!]![0]!;

describe('conformance: recorded ServiceAccountOps exchanges', () => {
  it('POST /openidm/managed/svcacct?_action=create answers like the tenant did', async () => {
    const rec = exchange('createServiceAccount');
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:idm:*']);
    const res = await call(emu, 'dev', rec.method, `${rec.path}?${new URLSearchParams(rec.query)}`, { token, body: rec.requestBody });
    expect(res.status).toBe(rec.status);
    const { _id, _rev, ...rest } = rec.responseBody;
    expect(res.body).toEqual({ _id: expect.any(String), _rev: expect.any(String), ...rest });
    expect(Object.keys(res.body)).toEqual(Object.keys(rec.responseBody));
    expect(res.body._id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body._rev).toMatch(/^[0-9a-f-]{36}-\d+$/);
    expect(res.headers.get('etag')).toBe(`"${res.body._rev}"`);
    expect(res.headers.get('location')).toBe(`${emu.env('dev')!.url}/openidm/managed/svcacct/${res.body._id}`);
    expect(res.headers.get('content-type')).toBe(rec.responseHeaders['content-type']);
    expect(res.headers.get('cache-control')).toBe(rec.responseHeaders['cache-control']);
    expect(res.headers.get('x-forgerock-transactionid')).toBeTruthy();
    // the new account is readable and listed
    const read = await call(emu, 'dev', 'GET', `/openidm/managed/svcacct/${res.body._id}`, { token });
    expect(read.body).toEqual(res.body);
  });

  it('GET /feature?_queryFilter=true reports service accounts as installed', async () => {
    const rec = exchange('Check-tenant-supporting-service-accounts');
    const emu = testEmulator();
    const res = await call(emu, 'dev', rec.method, `${rec.path}?${new URLSearchParams(rec.query)}`, { headers: rec.requestHeaders });
    expect(res.status).toBe(rec.status);
    expect(res.body).toEqual(rec.responseBody);
    expect(res.headers.get('content-type')).toBe(rec.responseHeaders['content-type']);
  });
});

describe('managed/svcacct lifecycle', () => {
  it('a created account gets tokens with its own key; query, PUT with If-Match, patch, delete', async () => {
    const emu = testEmulator();
    const admin = await aicToken(emu, 'dev', ['fr:idm:*']);
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const pub = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
    const created = await call(emu, 'dev', 'POST', '/openidm/managed/svcacct?_action=create', {
      token: admin,
      body: { name: 'ci-bot', description: 'CI', accountStatus: 'Active', scopes: ['fr:idc:esv:read'], jwks: JSON.stringify({ keys: [pub] }) },
    });
    expect(created.status).toBe(201);
    const id = created.body._id as string;
    expect(created.body.privateJwk).toBeUndefined();

    const now = Math.floor(emu.clock.now() / 1000);
    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(id).setSubject(id).setAudience(`${emu.env('dev')!.url}/am/oauth2/access_token`).setExpirationTime(now + 60).setJti('j1').sign(privateKey);
    const tok = await call(emu, 'dev', 'POST', '/am/oauth2/access_token', {
      raw: new URLSearchParams({ client_id: 'service-account', grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt, scope: 'fr:idc:esv:read' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(tok.status).toBe(200);
    // its token lacks fr:idm:* → 403 on svcacct
    expect((await call(emu, 'dev', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token: tok.body.access_token })).status).toBe(403);

    const q = await call(emu, 'dev', 'GET', `/openidm/managed/svcacct?_queryFilter=${encodeURIComponent('name eq "ci-bot"')}&_fields=name,scopes`, { token: admin });
    expect(q.status).toBe(200);
    expect(q.body).toEqual({ result: [{ _id: id, _rev: created.body._rev, name: 'ci-bot', scopes: ['fr:idc:esv:read'] }], resultCount: 1, pagedResultsCookie: null, totalPagedResultsPolicy: 'NONE', totalPagedResults: -1, remainingPagedResults: -1 });
    const all = await call(emu, 'dev', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token: admin });
    expect(all.body.resultCount).toBe(2);
    expect(all.body.result.every((r: Record<string, unknown>) => !('privateJwk' in r))).toBe(true);
    expect((await call(emu, 'dev', 'GET', '/openidm/managed/svcacct', { token: admin })).status).toBe(400);
    expect((await call(emu, 'dev', 'GET', `/openidm/managed/svcacct?_queryFilter=${encodeURIComponent('name eq')}`, { token: admin })).status).toBe(400);

    const stale = await call(emu, 'dev', 'PUT', `/openidm/managed/svcacct/${id}`, { token: admin, headers: { 'if-match': '"nope"' }, body: { ...created.body, description: 'x' } });
    expect(stale.status).toBe(412);
    const put = await call(emu, 'dev', 'PUT', `/openidm/managed/svcacct/${id}`, { token: admin, headers: { 'if-match': `"${created.body._rev}"` }, body: { ...created.body, description: 'updated' } });
    expect(put.status).toBe(200);
    expect(put.body.description).toBe('updated');
    expect(put.body._rev).not.toBe(created.body._rev);

    const badPolicy = await call(emu, 'dev', 'POST', '/openidm/managed/svcacct?_action=create', { token: admin, body: { name: 'x', jwks: 'not json' } });
    expect(badPolicy.status).toBe(403);
    expect(badPolicy.body).toMatchObject({ code: 403, reason: 'Forbidden', message: 'Policy validation failed' });
    expect((await call(emu, 'dev', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token: admin })).body.resultCount).toBe(2);
    expect((await call(emu, 'dev', 'POST', '/openidm/managed/svcacct?_action=frobnicate', { token: admin, body: {} })).status).toBe(400);

    const del = await call(emu, 'dev', 'DELETE', `/openidm/managed/svcacct/${id}`, { token: admin });
    expect(del.status).toBe(200);
    expect(del.body._id).toBe(id);
    expect((await call(emu, 'dev', 'GET', `/openidm/managed/svcacct/${id}`, { token: admin })).status).toBe(404);
    // the deleted account's token is dead
    expect((await call(emu, 'dev', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token: tok.body.access_token })).status).toBe(401); // was 403 while alive
  });

  it('changes are attributed to the caller in idm-activity', async () => {
    const emu = testEmulator();
    const admin = await aicToken(emu, 'dev', ['fr:idm:*'], 'attrib-sa');
    const rec = exchange('createServiceAccount');
    const created = await call(emu, 'dev', 'POST', '/openidm/managed/svcacct?_action=create', { token: admin, body: rec.requestBody, headers: { 'x-forgerock-transactionid': 'tx-auth-1' } });
    expect(created.status).toBe(201);
    const entries = emu.env('dev')!.logbook.view('idm-activity').map((e) => e.payload as Record<string, unknown>);
    const mine = entries.find((p) => String(p.transactionId).startsWith('tx-auth-1'));
    expect(mine).toMatchObject({ userId: 'attrib-sa', objectId: `managed/svcacct/${created.body._id}`, operation: 'CREATE' });
    expect(JSON.stringify(mine)).not.toContain('privateJwk');
  });

  it('pages with the pagedResultsCookie it returns (clients loop on it until null)', async () => {
    const emu = testEmulator();
    const admin = await aicToken(emu, 'dev', ['fr:idm:*']);
    const rec = exchange('createServiceAccount');
    for (const name of ['sa-a', 'sa-b']) {
      expect((await call(emu, 'dev', 'POST', '/openidm/managed/svcacct?_action=create', { token: admin, body: { ...rec.requestBody, name } })).status).toBe(201);
    }
    const all = (await call(emu, 'dev', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token: admin })).body.result.map((s: any) => s._id);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let cookie: string | null = '';
    for (let i = 0; i < 10 && cookie !== null; i++) {
      const q: string = `_queryFilter=true&_pageSize=1${cookie ? `&_pagedResultsCookie=${encodeURIComponent(cookie)}` : ''}`;
      const page: { status: number; body: any } = await call(emu, 'dev', 'GET', `/openidm/managed/svcacct?${q}`, { token: admin });
      expect(page.status).toBe(200);
      seen.push(...page.body.result.map((s: any) => s._id));
      cookie = page.body.pagedResultsCookie;
    }
    expect(cookie).toBeNull();
    expect(seen).toEqual(all);
    const bad = await call(emu, 'dev', 'GET', '/openidm/managed/svcacct?_queryFilter=true&_pageSize=1&_pagedResultsCookie=%25%25', { token: admin });
    expect(bad.status).toBe(400);
  });
});

describe('log API keys', () => {
  it('create shows the secret once; list/read never; delete; the key authenticates /monitoring/logs', async () => {
    const emu = testEmulator();
    const admin = await aicToken(emu, 'dev', ['fr:am:*']);
    const created = await call(emu, 'dev', 'POST', '/keys?_action=create', { token: admin, body: { name: 'ci' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ _id: expect.stringMatching(/^[0-9a-f]{32}$/), api_key_id: created.body._id, api_key_secret: expect.stringMatching(/^[0-9a-f]{64}$/), name: 'ci', created_at: '2026-11-23T12:00:00.000Z' });
    const list = await call(emu, 'dev', 'GET', '/keys', { token: admin });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(created.body.api_key_secret);
    expect(list.body.result.map((k: { _id: string }) => k._id)).toContain(created.body._id);
    const one = await call(emu, 'dev', 'GET', `/keys/${created.body._id}`, { token: admin });
    expect(one.body).toEqual({ _id: created.body._id, api_key_id: created.body._id, name: 'ci', created_at: '2026-11-23T12:00:00.000Z' });
    // the logs area authenticates with it
    const logs = await call(emu, 'dev', 'GET', '/monitoring/logs/sources', { headers: { 'x-api-key': created.body.api_key_id, 'x-api-secret': created.body.api_key_secret } });
    expect(logs.status).toBe(200);
    expect((await call(emu, 'dev', 'POST', '/keys?_action=create', { token: admin, body: {} })).status).toBe(400);
    expect((await call(emu, 'dev', 'POST', '/keys?_action=create', { token: await aicToken(emu, 'dev', ['fr:idc:esv:read']), body: { name: 'x' } })).status).toBe(403);
    expect((await call(emu, 'dev', 'GET', '/keys')).status).toBe(401);
    const del = await call(emu, 'dev', 'DELETE', `/keys/${created.body._id}`, { token: admin });
    expect(del.status).toBe(200);
    expect((await call(emu, 'dev', 'GET', `/keys/${created.body._id}`, { token: admin })).status).toBe(404);
    const after = await call(emu, 'dev', 'GET', '/monitoring/logs/sources', { headers: { 'x-api-key': created.body.api_key_id, 'x-api-secret': created.body.api_key_secret } });
    expect(after.status).toBe(401);
  });
});
