// ISC authentication through the public HTTP surface (SPEC §7, seeds 000/001): API-client and PAT tokens,
// a PAT dying with its owner, authorization code + refresh, multipart token requests, PAT endpoints.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { call, iscToken, advance, testEmulator } from './helpers.js';
import type { Emulator } from '../src/emulator.js';

const ALICE = '2bd806c97f0e00af1a1fc3328fa763a9';
const OLIVIA = 'b2471d941bf888366cf43813752ea2eb';
const BOB = '81b637d8fcd2c6da6359e6963113a117';
const SERVICE = 'd6c781f4c0b51172ce237eb0c9faa189';
const LOGIN_CLIENT = { clientId: 'e0c1a2b3c4d5e6f708192a3b4c5d6e7f', clientSecret: 'login-app-secret', redirect: 'http://localhost:4567/callback' };

async function creds(emu: Emulator) {
  const res = await call(emu, 'isc', 'GET', '/__emulator/credentials');
  return res.body.environments.isc;
}

/** Default seed plus an authorization-code client (built from the snapshot, so the test owns its fixture). */
async function withLoginClient(): Promise<Emulator> {
  const base = testEmulator();
  const snap = (await call(base, 'isc', 'GET', '/__emulator/snapshot')).body;
  snap.isc.apiClients.push({
    clientId: LOGIN_CLIENT.clientId,
    clientSecret: LOGIN_CLIENT.clientSecret,
    name: 'Reviewer portal',
    identityId: SERVICE,
    grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
    redirectUris: [LOGIN_CLIENT.redirect],
  });
  return testEmulator({ fixture: snap });
}

function form(params: Record<string, string>) {
  return { raw: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}

async function token(emu: Emulator, params: Record<string, string>) {
  return call(emu, 'isc', 'POST', '/oauth/token', form(params));
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

describe('ISC client credentials', () => {
  it('an API-client token carries the client service identity (S0) and no other user', async () => {
    const emu = testEmulator();
    const client = (await creds(emu)).apiClients[0];
    const res = await token(emu, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'bearer', expires_in: 749, identity_id: SERVICE, user_name: 'cert-automation', scope: 'sp:scopes:all', jti: expect.any(String) });
    expect(res.body.refresh_token).toBeUndefined();
    const claims = claimsOf(res.body.access_token);
    expect(claims).toMatchObject({ identity_id: SERVICE, client_id: client.clientId, authorities: ['CERT_ADMIN'], principalType: 'apiClient' });
  });

  it('a PAT token carries its owner and the owner authorities; secrets also work as query params and Basic', async () => {
    const emu = testEmulator();
    const pats = (await creds(emu)).personalAccessTokens;
    const alice = pats.find((p: { ownerId: string }) => p.ownerId === ALICE);
    const res = await token(emu, { grant_type: 'client_credentials', client_id: alice.clientId, client_secret: alice.clientSecret });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ identity_id: ALICE, user_name: 'alice.reviewer' });
    expect(claimsOf(res.body.access_token)).toMatchObject({ identity_id: ALICE, pat_id: alice.clientId, principalType: 'identity', authorities: [] });
    const q = await call(emu, 'isc', 'POST', `/oauth/token?grant_type=client_credentials&client_id=${alice.clientId}&client_secret=${alice.clientSecret}`);
    expect(q.status).toBe(200);
    const basic = Buffer.from(`${alice.clientId}:${alice.clientSecret}`).toString('base64');
    const b = await call(emu, 'isc', 'POST', '/oauth/token', { ...form({ grant_type: 'client_credentials' }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` } });
    expect(b.status).toBe(200);
    const olivia = pats.find((p: { ownerId: string }) => p.ownerId === OLIVIA);
    const o = await token(emu, { grant_type: 'client_credentials', client_id: olivia.clientId, client_secret: olivia.clientSecret });
    expect(claimsOf(o.body.access_token).authorities).toEqual(['ORG_ADMIN']);
  });

  it('accepts multipart/form-data (as SDKs send it)', async () => {
    const emu = testEmulator();
    const client = (await creds(emu)).apiClients[0];
    const fd = new FormData();
    fd.set('grant_type', 'client_credentials');
    fd.set('client_id', client.clientId);
    fd.set('client_secret', client.clientSecret);
    const res = await emu.request('isc', '/oauth/token', { method: 'POST', body: fd });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { identity_id: string }).identity_id).toBe(SERVICE);
  });

  it('bad credentials → 401 invalid_client; missing/unknown grant → 400', async () => {
    const emu = testEmulator();
    const client = (await creds(emu)).apiClients[0];
    const bad = await token(emu, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ error: 'invalid_client', error_description: 'Bad client credentials' });
    expect((await token(emu, { client_id: client.clientId })).body).toEqual({ error: 'invalid_request', error_description: 'Missing grant type' });
    expect((await token(emu, { grant_type: 'password' })).body.error).toBe('unsupported_grant_type');
  });
});

describe('/oauth/info', () => {
  it('names the authorize and token endpoints of this tenant', async () => {
    const emu = testEmulator();
    const res = await call(emu, 'isc', 'GET', '/oauth/info');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ tenantId: 'acme-sb-tenant-id', tenantName: 'acme-sb', authorizeEndpoint: `${emu.isc.url}/oauth/authorize`, tokenEndpoint: `${emu.isc.url}/oauth/token` });
  });
});

describe('a PAT dies with its owner (S1)', () => {
  it('deactivating the owner breaks the PAT at /oauth/token and its live tokens with 401; activating restores', async () => {
    const emu = testEmulator();
    const alice = (await creds(emu)).personalAccessTokens.find((p: { ownerId: string }) => p.ownerId === ALICE);
    const live = (await token(emu, { grant_type: 'client_credentials', client_id: alice.clientId, client_secret: alice.clientSecret })).body.access_token;
    expect((await call(emu, 'isc', 'GET', '/v3/personal-access-tokens?owner-id=me', { token: live })).status).toBe(200);

    const off = await call(emu, 'isc', 'POST', `/__emulator/isc/identities/${ALICE}/deactivate`);
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);

    const denied = await token(emu, { grant_type: 'client_credentials', client_id: alice.clientId, client_secret: alice.clientSecret });
    expect(denied.status).toBe(401);
    expect(denied.body).toEqual({ error: 'unauthorized', error_description: 'User is disabled' });
    const used = await call(emu, 'isc', 'GET', '/v3/personal-access-tokens?owner-id=me', { token: live });
    expect(used.status).toBe(401);
    expect(used.body).toEqual({ error: expect.stringMatching(/^JWT validation failed: /) });

    expect((await call(emu, 'dev', 'POST', `/__emulator/isc/identities/${ALICE}/activate`)).body.active).toBe(true);
    expect((await call(emu, 'isc', 'GET', '/v3/personal-access-tokens?owner-id=me', { token: live })).status).toBe(200);
    expect((await call(emu, 'isc', 'POST', '/__emulator/isc/identities/nope/deactivate')).status).toBe(404);
  });

  it('an API client acting as a deactivated service identity gets no token, and its live tokens stop', async () => {
    const emu = testEmulator();
    const client = (await creds(emu)).apiClients[0];
    const params = { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret };
    const live = (await token(emu, params)).body.access_token;
    await call(emu, 'isc', 'POST', `/__emulator/isc/identities/${SERVICE}/deactivate`);
    expect((await token(emu, params)).status).toBe(401);
    const used = await call(emu, 'isc', 'GET', '/v3/personal-access-tokens?owner-id=me', { token: live });
    expect(used.status).toBe(401);
    // authorization-code logins of an inactive identity are refused at /oauth/authorize too
    const snapClient = await withLoginClient();
    await call(snapClient, 'isc', 'POST', `/__emulator/isc/identities/${ALICE}/deactivate`);
    const res = await snapClient.request('isc', `/oauth/authorize?client_id=${LOGIN_CLIENT.clientId}&response_type=code&login_hint=${ALICE}`, { redirect: 'manual' });
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
  });

  it('deleting a PAT revokes the access tokens issued from it', async () => {
    const emu = testEmulator();
    const bob = (await creds(emu)).personalAccessTokens.find((p: { ownerId: string }) => p.ownerId === BOB);
    const live = (await token(emu, { grant_type: 'client_credentials', client_id: bob.clientId, client_secret: bob.clientSecret })).body.access_token;
    const del = await call(emu, 'isc', 'DELETE', `/v3/personal-access-tokens/${bob.clientId}`, { token: live });
    expect(del.status).toBe(204);
    expect((await call(emu, 'isc', 'GET', '/v3/personal-access-tokens?owner-id=me', { token: live })).status).toBe(401);
    expect((await token(emu, { grant_type: 'client_credentials', client_id: bob.clientId, client_secret: bob.clientSecret })).status).toBe(401);
  });

  it('an expired ISC token gets {"error":"JWT validation failed: JWT is expired"}', async () => {
    const emu = testEmulator();
    const t = await iscToken(emu, OLIVIA, 60);
    await advance(emu, 61_000);
    const res = await call(emu, 'isc', 'GET', '/v3/personal-access-tokens', { token: t });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'JWT validation failed: JWT is expired' });
  });
});

describe('authorization code + refresh', () => {
  it('consent page lists identities; login_hint redirects with a code; code → tokens; refresh rotates', async () => {
    const emu = await withLoginClient();
    const q = `client_id=${LOGIN_CLIENT.clientId}&response_type=code&redirect_uri=${encodeURIComponent(LOGIN_CLIENT.redirect)}&state=xyz`;
    const page = await call(emu, 'isc', 'GET', `/oauth/authorize?${q}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toContain('Alice Reviewer');
    expect(page.text).toContain(`login_hint=${ALICE}`);
    expect(page.text).not.toContain('cert-automation');

    const res = await emu.request('isc', `/oauth/authorize?${q}&login_hint=alice.reviewer`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.origin + loc.pathname).toBe(LOGIN_CLIENT.redirect);
    expect(loc.searchParams.get('state')).toBe('xyz');
    const code = loc.searchParams.get('code')!;
    expect(code).toBeTruthy();

    const base = { client_id: LOGIN_CLIENT.clientId, client_secret: LOGIN_CLIENT.clientSecret };
    const tok = await token(emu, { ...base, grant_type: 'authorization_code', code, redirect_uri: LOGIN_CLIENT.redirect });
    expect(tok.status).toBe(200);
    expect(tok.body).toMatchObject({ identity_id: ALICE, user_name: 'alice.reviewer', refresh_token: expect.any(String), token_type: 'bearer' });
    expect(claimsOf(tok.body.access_token)).toMatchObject({ identity_id: ALICE, principalType: 'identity', client_id: LOGIN_CLIENT.clientId });
    // the token acts as Alice
    const mine = await call(emu, 'isc', 'GET', '/v3/personal-access-tokens?owner-id=me', { token: tok.body.access_token });
    expect(mine.status).toBe(200);
    expect(mine.body.every((p: { owner: { id: string } }) => p.owner.id === ALICE)).toBe(true);

    // codes are single use
    const again = await token(emu, { ...base, grant_type: 'authorization_code', code, redirect_uri: LOGIN_CLIENT.redirect });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ error: 'invalid_grant', error_description: `Invalid authorization code: ${code}` });

    const ref = await token(emu, { ...base, grant_type: 'refresh_token', refresh_token: tok.body.refresh_token });
    expect(ref.status).toBe(200);
    expect(ref.body.identity_id).toBe(ALICE);
    expect(ref.body.refresh_token).not.toBe(tok.body.refresh_token);
    const reuse = await token(emu, { ...base, grant_type: 'refresh_token', refresh_token: tok.body.refresh_token });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');

    // a deactivated user cannot refresh
    await call(emu, 'isc', 'POST', `/__emulator/isc/identities/${ALICE}/deactivate`);
    const off = await token(emu, { ...base, grant_type: 'refresh_token', refresh_token: ref.body.refresh_token });
    expect(off.status).toBe(401);
  });

  it('PKCE S256, wrong redirect and unknown client', async () => {
    const emu = await withLoginClient();
    const verifier = 'a'.repeat(50);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const q = `client_id=${LOGIN_CLIENT.clientId}&response_type=code&login_hint=${BOB}&code_challenge=${challenge}&code_challenge_method=S256`;
    const res = await emu.request('isc', `/oauth/authorize?${q}`, { redirect: 'manual' });
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    const base = { client_id: LOGIN_CLIENT.clientId, client_secret: LOGIN_CLIENT.clientSecret, grant_type: 'authorization_code', code };
    expect((await token(emu, { ...base, code_verifier: 'wrong' })).status).toBe(400);
    const res2 = await emu.request('isc', `/oauth/authorize?${q}`, { redirect: 'manual' });
    const code2 = new URL(res2.headers.get('location')!).searchParams.get('code')!;
    const ok = await token(emu, { ...base, code: code2, code_verifier: verifier });
    expect(ok.status).toBe(200);
    expect(ok.body.identity_id).toBe(BOB);

    const wrong = await call(emu, 'isc', 'GET', `/oauth/authorize?client_id=${LOGIN_CLIENT.clientId}&response_type=code&redirect_uri=http://evil.example/cb`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_request');
    expect((await call(emu, 'isc', 'GET', '/oauth/authorize?client_id=nope&response_type=code')).status).toBe(400);
  });
});

describe('/v3/personal-access-tokens', () => {
  it('create shows the secret once; the new PAT gets a token as its owner; list hides secrets', async () => {
    const emu = testEmulator();
    const t = await iscToken(emu, ALICE);
    const created = await call(emu, 'isc', 'POST', '/v3/personal-access-tokens', { token: t, body: { name: 'NodeJS Integration', accessTokenValiditySeconds: 600 } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      secret: expect.stringMatching(/^[0-9a-f]{64}$/),
      name: 'NodeJS Integration',
      scope: ['sp:scopes:all'],
      owner: { type: 'IDENTITY', id: ALICE, name: 'Alice Reviewer' },
      accessTokenValiditySeconds: 600,
      created: '2026-11-23T12:00:00.000Z',
      expirationDate: expect.any(String),
    });
    const tok = await token(emu, { grant_type: 'client_credentials', client_id: created.body.id, client_secret: created.body.secret });
    expect(tok.body).toMatchObject({ identity_id: ALICE, expires_in: 600 });
    const list = await call(emu, 'isc', 'GET', '/v3/personal-access-tokens?owner-id=me', { token: t });
    const mine = list.body.find((p: { id: string }) => p.id === created.body.id);
    expect(mine.secret).toBeUndefined();
    expect(mine.lastUsed).toBe('2026-11-23T12:00:00.000Z');
    expect(Object.keys(mine).sort()).toEqual(['accessTokenValiditySeconds', 'created', 'expirationDate', 'id', 'lastUsed', 'managed', 'name', 'owner', 'scope']);
    expect(mine.expirationDate).toBe(created.body.expirationDate);
    // duplicate name → 400 in the ISC error format
    const dup = await call(emu, 'isc', 'POST', '/v3/personal-access-tokens', { token: t, body: { name: 'NodeJS Integration' } });
    expect(dup.status).toBe(400);
    expect(dup.body).toMatchObject({ detailCode: '400.1 Bad Request Content', trackingId: expect.any(String), messages: [{ locale: 'en-US', localeOrigin: 'DEFAULT', text: expect.any(String) }] });
    const noName = await call(emu, 'isc', 'POST', '/v3/personal-access-tokens', { token: t, body: { scope: ['x'] } });
    expect(noName.status).toBe(400);
    expect((await call(emu, 'isc', 'POST', '/v3/personal-access-tokens', { token: t, body: { name: 'x', accessTokenValiditySeconds: 5 } })).status).toBe(400);
  });

  it('a PAT past its expirationDate no longer gets tokens', async () => {
    const emu = testEmulator();
    const t = await iscToken(emu, ALICE);
    const created = await call(emu, 'isc', 'POST', '/v3/personal-access-tokens', { token: t, body: { name: 'short', expirationDate: '2026-11-23T13:00:00.000Z' } });
    expect(created.body.expirationDate).toBe('2026-11-23T13:00:00.000Z');
    expect((await token(emu, { grant_type: 'client_credentials', client_id: created.body.id, client_secret: created.body.secret })).status).toBe(200);
    await advance(emu, 2 * 3600_000);
    const late = await token(emu, { grant_type: 'client_credentials', client_id: created.body.id, client_secret: created.body.secret });
    expect(late.status).toBe(401);
    expect(late.body.error).toBe('invalid_client');
    // out-of-range expiration dates are refused
    const t2 = await iscToken(emu, ALICE);
    expect((await call(emu, 'isc', 'POST', '/v3/personal-access-tokens', { token: t2, body: { name: 'past', expirationDate: '2020-01-01T00:00:00.000Z' } })).status).toBe(400);
    expect((await call(emu, 'isc', 'POST', '/v3/personal-access-tokens', { token: t2, body: { name: 'far', expirationDate: '2030-01-01T00:00:00.000Z' } })).status).toBe(400);
  });

  it('owner-id rules: me for anyone, all or others only for ORG_ADMIN; filters lastUsed', async () => {
    const emu = testEmulator();
    const alice = await iscToken(emu, ALICE);
    const olivia = await iscToken(emu, OLIVIA);
    expect((await call(emu, 'isc', 'GET', '/v3/personal-access-tokens', { token: alice })).status).toBe(403);
    expect((await call(emu, 'isc', 'GET', `/v3/personal-access-tokens?owner-id=${BOB}`, { token: alice })).status).toBe(403);
    const all = await call(emu, 'isc', 'GET', '/v3/personal-access-tokens', { token: olivia });
    expect(all.status).toBe(200);
    expect(all.body.length).toBeGreaterThanOrEqual(3);
    const bobs = await call(emu, 'isc', 'GET', `/v3/personal-access-tokens?owner-id=${BOB}`, { token: olivia });
    expect(bobs.body.map((p: { owner: { id: string } }) => p.owner.id)).toEqual([BOB]);
    const never = await call(emu, 'isc', 'GET', `/v3/personal-access-tokens?filters=${encodeURIComponent('lastUsed isnull')}`, { token: olivia });
    expect(never.body.length).toBe(all.body.length);
    expect((await call(emu, 'isc', 'GET', `/v3/personal-access-tokens?filters=${encodeURIComponent('name eq "x"')}`, { token: olivia })).status).toBe(400);
    // an API-client token has no user: PATs are userAuth only
    const client = (await creds(emu)).apiClients[0];
    const ct = (await token(emu, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret })).body.access_token;
    expect((await call(emu, 'isc', 'GET', '/v3/personal-access-tokens?owner-id=me', { token: ct })).status).toBe(403);
    expect((await call(emu, 'isc', 'GET', '/v3/personal-access-tokens')).status).toBe(401);
  });

  it('patch name/scope by the owner; delete by owner or ORG_ADMIN; others get 403, unknown 404', async () => {
    const emu = testEmulator();
    const alice = await iscToken(emu, ALICE);
    const bob = await iscToken(emu, BOB);
    const olivia = await iscToken(emu, OLIVIA);
    const pat = (await call(emu, 'isc', 'POST', '/v3/personal-access-tokens', { token: alice, body: { name: 'one' } })).body;
    const patch = await call(emu, 'isc', 'PATCH', `/v3/personal-access-tokens/${pat.id}`, {
      token: alice,
      headers: { 'content-type': 'application/json-patch+json' },
      body: [
        { op: 'replace', path: '/name', value: 'renamed' },
        { op: 'replace', path: '/scope', value: ['sp:scopes:default'] },
      ],
    });
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({ id: pat.id, name: 'renamed', scope: ['sp:scopes:default'] });
    expect(patch.body.secret).toBeUndefined();
    expect((await call(emu, 'isc', 'PATCH', `/v3/personal-access-tokens/${pat.id}`, { token: bob, headers: { 'content-type': 'application/json-patch+json' }, body: [{ op: 'replace', path: '/name', value: 'x' }] })).status).toBe(403);
    expect((await call(emu, 'isc', 'PATCH', `/v3/personal-access-tokens/${pat.id}`, { token: alice, headers: { 'content-type': 'application/json-patch+json' }, body: [{ op: 'replace', path: '/owner', value: 'x' }] })).status).toBe(400);
    expect((await call(emu, 'isc', 'DELETE', `/v3/personal-access-tokens/${pat.id}`, { token: bob })).status).toBe(403);
    expect((await call(emu, 'isc', 'DELETE', `/v3/personal-access-tokens/${pat.id}`, { token: olivia })).status).toBe(204);
    const gone = await call(emu, 'isc', 'DELETE', `/v3/personal-access-tokens/${pat.id}`, { token: alice });
    expect(gone.status).toBe(404);
    expect(gone.body.detailCode).toBe('404 Not found');
  });
});
