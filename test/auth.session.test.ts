// AM sessions and the admin login flow Frodo uses with a username and password (recording
// am-authentication-and-service-accounts.json: AuthenticateOps/getTokens, AuthenticateApi journeys):
// serverinfo → authenticate → getSessionInfo → /oauth2/authorize (PKCE) → access_token (authorization_code).
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { call, testEmulator } from './helpers.js';
import type { Emulator } from '../src/emulator.js';
import { loadRecording } from './shared.js';

const recording = loadRecording('am-authentication-and-service-accounts.json');
const exchanges = (name: string) => recording[Object.keys(recording).find((k) => k.includes(name))!]!;

const ADMIN = { _id: '6f0c1b2a-3d4e-4f50-8a61-72b3c4d5e6f7', username: 'tenant.admin@example.com', password: 'Password1!' };
const REDIRECT = 'http://127.0.0.1:8080/platform/appAuthHelperRedirect.html';

/** Default seed plus a tenant admin in dev (built from the snapshot so the test owns its fixture). */
async function withAdmin(): Promise<Emulator> {
  const snap = (await call(testEmulator(), 'dev', 'GET', '/__emulator/snapshot')).body;
  snap.aic.environments[0].tenantAdmins = [ADMIN];
  return testEmulator({ fixture: snap });
}

const json = (headers: Record<string, string> = {}) => ({ 'content-type': 'application/json', 'accept-api-version': 'resource=2.0, protocol=1.0', ...headers });

describe('conformance: recorded AM server info', () => {
  it('GET /am/json/serverinfo/* and /version answer as recorded', async () => {
    const emu = testEmulator();
    const steps = exchanges('0-Authenticate-successfully-as-user');
    for (const rec of steps.filter((s) => s.method === 'GET')) {
      const res = await call(emu, 'dev', rec.method, rec.path, { headers: rec.requestHeaders });
      expect(res.status).toBe(rec.status);
      expect(res.body).toEqual(rec.responseBody);
      expect(res.headers.get('etag')).toBe(rec.responseHeaders.etag);
      expect(res.headers.get('content-type')).toBe(rec.responseHeaders['content-type']);
      expect(res.headers.get('cache-control')).toBe(rec.responseHeaders['cache-control']);
    }
  });
});

describe('tenant admin login (Frodo with username/password)', () => {
  it('authenticate → getSessionInfo → authorize with PKCE → code → token that works and is attributed to the admin', async () => {
    const emu = await withAdmin();
    const steps = exchanges('0-Authenticate-successfully-as-user');
    const authRec = steps.find((s) => s.path === '/am/json/realms/root/authenticate')!;
    const auth = await call(emu, 'dev', 'POST', authRec.path, { body: authRec.requestBody, headers: json({ 'x-openam-username': ADMIN.username, 'x-openam-password': ADMIN.password }) });
    expect(auth.status).toBe(200);
    expect(Object.keys(auth.body)).toEqual(Object.keys(authRec.responseBody));
    expect(auth.body).toMatchObject({ successUrl: authRec.responseBody.successUrl, realm: authRec.responseBody.realm });
    expect(auth.body.tokenId).toMatch(/^[\w-]{27}\.\*AAJTSQACMDE/);
    const tokenId = auth.body.tokenId as string;

    const infoRec = steps.find((s) => s.path.startsWith('/am/json/realms/root/sessions'))!;
    const info = await call(emu, 'dev', 'POST', `${infoRec.path}?_action=getSessionInfo`, { body: { tokenId }, headers: { 'content-type': 'application/json', 'accept-api-version': 'resource=4.0' } });
    expect(info.status).toBe(200);
    expect(Object.keys(info.body)).toEqual(Object.keys(infoRec.responseBody));
    expect(info.body).toMatchObject({ username: ADMIN.username, universalId: `id=${ADMIN.username},ou=user,ou=am-config`, realm: '/', latestAccessTime: '2026-11-23T12:00:00Z', maxIdleExpirationTime: '2026-11-23T12:30:00Z', maxSessionExpirationTime: '2026-11-23T14:00:00Z' });

    const verifier = 'v'.repeat(64);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const form = new URLSearchParams({ redirect_uri: REDIRECT, scope: 'openid fr:idm:*', response_type: 'code', client_id: 'idmAdminClient', csrf: tokenId, decision: 'allow', code_challenge: challenge, code_challenge_method: 'S256' });
    const authz = await emu.request('dev', '/am/oauth2/authorize', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `iPlanetDirectoryPro=${tokenId}` }, body: form.toString(), redirect: 'manual' });
    expect(authz.status).toBe(302);
    const loc = new URL(authz.headers.get('location')!);
    expect(loc.origin + loc.pathname).toBe(REDIRECT);
    expect(loc.searchParams.get('client_id')).toBe('idmAdminClient');
    expect(loc.searchParams.get('iss')).toBe(`${emu.env('dev')!.url}/am/oauth2`);
    const code = loc.searchParams.get('code')!;

    const exchange = (v: string, c = code) =>
      call(emu, 'dev', 'POST', '/am/oauth2/access_token', {
        raw: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'idmAdminClient', code: c, redirect_uri: REDIRECT, code_verifier: v }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    const tok = await exchange(verifier);
    expect(tok.status).toBe(200);
    expect(tok.body).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
    expect(tok.body.scope.split(' ')).toEqual(expect.arrayContaining(['openid', 'fr:idm:*', 'fr:idc:*']));
    // codes are single use
    expect((await exchange(verifier)).body.error).toBe('invalid_grant');

    const list = await call(emu, 'dev', 'POST', '/openidm/managed/svcacct?_action=create', {
      token: tok.body.access_token,
      headers: { 'x-forgerock-transactionid': 'tx-admin-1' },
      body: exchanges('createServiceAccount')[0]!.requestBody,
    });
    expect(list.status).toBe(201);
    const audit = emu.env('dev')!.logbook.view('idm-activity').map((e) => e.payload as Record<string, unknown>).find((p) => String(p.transactionId).startsWith('tx-admin-1'));
    expect(audit).toMatchObject({ userId: ADMIN._id });
  });

  it('as frodo-lib sends it: cookie-named header on authorize, Basic idmAdminClient:doesnotmatter on the exchange', async () => {
    const emu = await withAdmin();
    const tokenId = (await call(emu, 'dev', 'POST', '/am/json/realms/root/authenticate', { headers: json({ 'X-OpenAM-Username': ADMIN.username, 'X-OpenAM-Password': ADMIN.password }) })).body.tokenId;
    const verifier = 'w'.repeat(43);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    // frodo-lib determineDeploymentType/getAuthCode: unencoded form body, session in a header named like the cookie
    const body = `redirect_uri=${REDIRECT}&scope=fr:idc:esv:* fr:idm:* openid&response_type=code&client_id=idmAdminClient&csrf=${tokenId}&decision=allow&code_challenge=${challenge}&code_challenge_method=S256`;
    const authz = await emu.request('dev', '/am/oauth2/authorize', { method: 'POST', headers: { iPlanetDirectoryPro: tokenId, 'Content-Type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
    expect(authz.status).toBe(302);
    expect(authz.headers.get('location')).toContain('code=');
    const code = new URL(authz.headers.get('location')!).searchParams.get('code')!;
    const tok = await call(emu, 'dev', 'POST', '/am/oauth2/access_token', {
      raw: `redirect_uri=${REDIRECT}&grant_type=authorization_code&code=${code}&code_verifier=${verifier}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('idmAdminClient:doesnotmatter').toString('base64')}` },
    });
    expect(tok.status).toBe(200);
    expect((await call(emu, 'dev', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token: tok.body.access_token })).status).toBe(200);
  });

  it('PKCE mismatch, wrong password, no session, logout', async () => {
    const emu = await withAdmin();
    const bad = await call(emu, 'dev', 'POST', '/am/json/realms/root/authenticate', { headers: json({ 'x-openam-username': ADMIN.username, 'x-openam-password': 'nope' }) });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ code: 401, reason: 'Unauthorized', message: 'Login failure' });

    const noSession = await emu.request('dev', `/am/oauth2/authorize?client_id=idmAdminClient&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}`, { redirect: 'manual' });
    expect(noSession.status).toBe(302);
    expect(noSession.headers.get('location')).toMatch(/\/am\/XUI\/\?realm=\/&goto=/);

    const tokenId = (await call(emu, 'dev', 'POST', '/am/json/realms/root/authenticate', { headers: json({ 'x-openam-username': ADMIN.username, 'x-openam-password': ADMIN.password }) })).body.tokenId;
    const res = await emu.request('dev', `/am/oauth2/authorize?client_id=idmAdminClient&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&code_challenge=abc&code_challenge_method=S256&scope=openid`, { headers: { cookie: `iPlanetDirectoryPro=${tokenId}` }, redirect: 'manual' });
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    const tok = await call(emu, 'dev', 'POST', '/am/oauth2/access_token', { raw: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'idmAdminClient', code, redirect_uri: REDIRECT, code_verifier: 'wrong' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(tok.status).toBe(400);
    expect(tok.body.error).toBe('invalid_grant');

    const badRedirect = await call(emu, 'dev', 'GET', '/am/oauth2/authorize?client_id=idmAdminClient&response_type=code&redirect_uri=not%20a%20url', { headers: { cookie: `iPlanetDirectoryPro=${tokenId}` } });
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.body.error).toBe('redirect_uri_mismatch');

    const out = await call(emu, 'dev', 'POST', '/am/json/realms/root/sessions?_action=logout', { headers: { 'content-type': 'application/json', iplanetdirectorypro: tokenId } });
    expect(out.status).toBe(200);
    const after = await call(emu, 'dev', 'POST', '/am/json/realms/root/sessions?_action=getSessionInfo', { body: { tokenId } });
    expect(after.status).toBe(401);
  });

  it('sessions time out after 30 idle minutes of emulator time', async () => {
    const emu = await withAdmin();
    const tokenId = (await call(emu, 'dev', 'POST', '/am/json/realms/root/authenticate', { headers: json({ 'x-openam-username': ADMIN.username, 'x-openam-password': ADMIN.password }) })).body.tokenId;
    emu.clock.advance(31 * 60_000);
    expect((await call(emu, 'dev', 'POST', '/am/json/realms/root/sessions?_action=getSessionInfo', { body: { tokenId } })).status).toBe(401);
  });
});

describe('end-user journey in the alpha realm (recorded two-step PasswordGrant)', () => {
  it('empty body → callbacks; filled callbacks → tokenId for the governance user', async () => {
    const emu = testEmulator();
    const [first, second] = exchanges('2-Two-step-login-journey-PasswordGrant');
    const path = `${first!.path}?${new URLSearchParams(first!.query)}`;
    const step1 = await call(emu, 'dev', 'POST', path, { body: first!.requestBody, headers: first!.requestHeaders });
    expect(step1.status).toBe(200);
    expect(step1.body.callbacks).toEqual(first!.responseBody.callbacks);
    expect(step1.body.authId).toEqual(expect.any(String));
    const filled = structuredClone(second!.requestBody);
    filled.authId = step1.body.authId;
    filled.callbacks[0].input[0].value = 'maria.manager';
    filled.callbacks[1].input[0].value = 'Password1!';
    const step2 = await call(emu, 'dev', 'POST', path, { body: filled, headers: second!.requestHeaders });
    expect(step2.status).toBe(200);
    expect(Object.keys(step2.body)).toEqual(Object.keys(second!.responseBody));
    expect(step2.body).toMatchObject({ realm: '/alpha', successUrl: `${emu.env('dev')!.url}/enduser/?realm=alpha` });
    // the journey id is single use
    expect((await call(emu, 'dev', 'POST', path, { body: filled, headers: second!.requestHeaders })).status).toBe(401);
    const info = await call(emu, 'dev', 'POST', '/am/json/realms/root/sessions?_action=getSessionInfo', { body: { tokenId: step2.body.tokenId } });
    expect(info.body).toMatchObject({ username: 'maria.manager', realm: '/alpha' });
  });

  it('single-step with headers as recorded (1-Single-step-login-journey)', async () => {
    const emu = testEmulator();
    const [rec] = exchanges('1-Single-step-login-journey-PasswordGrant');
    const res = await call(emu, 'dev', 'POST', `${rec!.path}?${new URLSearchParams(rec!.query)}`, { body: rec!.requestBody, headers: { ...rec!.requestHeaders, 'x-openam-username': 'oscar.owner', 'x-openam-password': 'Password1!' } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(Object.keys(rec!.responseBody));
    expect(res.body.realm).toBe(rec!.responseBody.realm);
    expect(res.headers.get('cache-control')).toBe(rec!.responseHeaders['cache-control']);
  });
});
