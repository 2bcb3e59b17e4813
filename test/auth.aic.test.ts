// AIC authentication through the public HTTP surface: JWT-bearer with a real RS256 assertion signed with the
// fixture's private JWK (from GET /__emulator/credentials), client credentials, password, refresh, guards, 401/403.
import { describe, expect, it } from 'vitest';
import { SignJWT, importJWK, type JWK } from 'jose';
import { advance, aicToken, call, testEmulator } from './helpers.js';
import type { Emulator } from '../src/emulator.js';
import { hasScopes, scopeCovers } from '../src/core/scopes.js';

const TOKEN = '/am/oauth2/access_token';

interface Sa {
  id: string;
  name: string;
  scopes: string[];
  privateJwk: JWK;
}

async function creds(emu: Emulator, env = 'dev') {
  const res = await call(emu, env, 'GET', '/__emulator/credentials');
  expect(res.status).toBe(200);
  return res.body.environments?.[env] ?? res.body[env];
}

async function sa(emu: Emulator, env = 'dev'): Promise<Sa> {
  const c = await creds(emu, env);
  return c.serviceAccounts[0] as Sa;
}

const envUrl = (emu: Emulator, env: string) => emu.env(env)!.url;

async function assertion(emu: Emulator, account: Sa, over: { aud?: string; exp?: number; jti?: string; iss?: string; sub?: string } = {}, env = 'dev'): Promise<string> {
  const key = await importJWK(account.privateJwk, 'RS256');
  const now = Math.floor(emu.clock.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(over.iss ?? account.id)
    .setSubject(over.sub ?? account.id)
    .setAudience(over.aud ?? `${envUrl(emu, env)}${TOKEN}`)
    .setExpirationTime(over.exp ?? now + 899)
    .setJti(over.jti ?? crypto.randomUUID())
    .sign(key);
}

function form(params: Record<string, string>, headers: Record<string, string> = {}) {
  return { raw: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } };
}

async function bearer(emu: Emulator, jwt: string, scope: string, env = 'dev', path = TOKEN) {
  return call(emu, env, 'POST', path, form({ client_id: 'service-account', grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt, scope }));
}

describe('AIC JWT-bearer grant for service accounts (S4 L13990–14080)', () => {
  it('happy path: 899 s Bearer token whose subject is the service account', async () => {
    const emu = testEmulator();
    const account = await sa(emu);
    const res = await bearer(emu, await assertion(emu, account), 'fr:idm:* fr:idc:esv:*');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({ access_token: expect.any(String), scope: 'fr:idm:* fr:idc:esv:*', token_type: 'Bearer', expires_in: 899 });
    const v = await emu.env('dev')!.tokens.verify(res.body.access_token);
    expect(v.ok && v.claims.sub).toBe(account.id);
    // the token works on a protected route and attribution is the account
    const list = await call(emu, 'dev', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token: res.body.access_token });
    expect(list.status).toBe(200);
  });

  it('accepts the realm paths and an aud with the explicit :443-style default port form', async () => {
    const emu = testEmulator();
    const account = await sa(emu);
    const path = '/am/oauth2/realms/root/access_token';
    const res = await bearer(emu, await assertion(emu, account, { aud: `${envUrl(emu, 'dev')}${path}` }), 'fr:idm:*', 'dev', path);
    expect(res.status).toBe(200);
    const res2 = await bearer(emu, await assertion(emu, account, { aud: `http://dev.localhost:80${TOKEN}` }), 'fr:idm:*');
    expect(res2.status).toBe(200);
  });

  it('accepts the aud Frodo builds (origin + ":" + port + path, which doubles a non-default port)', async () => {
    const emu = testEmulator();
    const account = await sa(emu);
    // frodo-lib createPayload: `${u.origin}:${u.port || (https ? 443 : 80)}${u.pathname}/oauth2/access_token`
    const base = 'http://127.0.0.1:8080/am';
    const u = /^(\w+:\/\/[^/:]+(?::(\d+))?)(.*)$/.exec(base)!;
    const aud = `${u[1]}:${u[2] ?? '80'}${u[3]}/oauth2/access_token`;
    expect(aud).toBe('http://127.0.0.1:8080:8080/am/oauth2/access_token');
    const res = await call(emu, 'dev', 'POST', 'http://127.0.0.1:8080/am/oauth2/access_token', form({ client_id: 'service-account', grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: await assertion(emu, account, { aud }), scope: 'fr:idm:*' }));
    expect(res.status).toBe(200);
    // Frodo's default scopes include some the account lacks: the error lists them comma-separated so it can retry
    const many = await bearer(emu, await assertion(emu, account), 'fr:am:* fr:idm:* fr:idc:analytics:* fr:idc:certificate:*');
    expect(many.body).toEqual({ error: 'invalid_scope', error_description: 'Unsupported scope for service account: fr:idc:analytics:*,fr:idc:certificate:*' });
  });

  it('rejects a wrong aud', async () => {
    const emu = testEmulator();
    const account = await sa(emu);
    const res = await bearer(emu, await assertion(emu, account, { aud: 'https://elsewhere.example.com/am/oauth2/access_token' }), 'fr:idm:*');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: expect.stringMatching(/audience/i) });
  });

  it('rejects an assertion for another environment (its aud and its key)', async () => {
    const emu = testEmulator();
    const devSa = await sa(emu, 'dev');
    const res = await bearer(emu, await assertion(emu, devSa, { aud: `${envUrl(emu, 'staging')}${TOKEN}` }), 'fr:idm:*', 'staging');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('rejects an expired assertion (emulator clock)', async () => {
    const emu = testEmulator();
    const account = await sa(emu);
    const now = Math.floor(emu.clock.now() / 1000);
    const res = await bearer(emu, await assertion(emu, account, { exp: now - 10 }), 'fr:idm:*');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'JWT has expired' });
    // an assertion valid now expires when the emulator clock passes its exp
    const jwt = await assertion(emu, account, { exp: now + 60 });
    await advance(emu, 61_000);
    expect((await bearer(emu, jwt, 'fr:idm:*')).body.error_description).toBe('JWT has expired');
  });

  it('rejects a replayed jti', async () => {
    const emu = testEmulator();
    const account = await sa(emu);
    const jwt = await assertion(emu, account, { jti: 'once-only' });
    expect((await bearer(emu, jwt, 'fr:idm:*')).status).toBe(200);
    const again = await bearer(emu, jwt, 'fr:idm:*');
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ error: 'invalid_grant', error_description: expect.stringMatching(/already been used/) });
    // a fresh assertion with the same jti is a replay too
    expect((await bearer(emu, await assertion(emu, account, { jti: 'once-only' }), 'fr:idm:*')).status).toBe(400);
  });

  it('rejects a scope the account was not granted (invalid_scope) and accepts narrower ones', async () => {
    const emu = testEmulator();
    const account = await sa(emu);
    const res = await bearer(emu, await assertion(emu, account), 'fr:idm:* fr:idc:certificate:*');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_scope', error_description: 'Unsupported scope for service account: fr:idc:certificate:*' });
    const narrow = await bearer(emu, await assertion(emu, account), 'fr:idc:esv:read');
    expect(narrow.status).toBe(200);
    expect(narrow.body.scope).toBe('fr:idc:esv:read');
  });

  it('rejects a bad signature, a mismatched iss/sub, an unknown account and the wrong client', async () => {
    const emu = testEmulator();
    const account = await sa(emu);
    const other = await sa(emu, 'staging');
    const forged = await assertion(emu, { ...account, privateJwk: other.privateJwk });
    expect((await bearer(emu, forged, 'fr:idm:*')).body).toEqual({ error: 'invalid_grant', error_description: 'JWT signature is invalid' });
    expect((await bearer(emu, await assertion(emu, account, { iss: 'someone-else' }), 'fr:idm:*')).body.error).toBe('invalid_grant');
    expect((await bearer(emu, await assertion(emu, account, { iss: 'nobody', sub: 'nobody' }), 'fr:idm:*')).body.error).toBe('invalid_grant');
    const wrongClient = await call(emu, 'dev', 'POST', TOKEN, form({ client_id: 'emulator-admin-client', grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: await assertion(emu, account), scope: 'fr:idm:*' }));
    expect(wrongClient.status).toBe(400);
    expect(wrongClient.body.error).toBe('invalid_client');
    const noGrant = await call(emu, 'dev', 'POST', TOKEN, form({ client_id: 'service-account' }));
    expect(noGrant.body).toEqual({ error: 'invalid_request', error_description: "Missing parameter, 'grant_type'" });
    const weird = await call(emu, 'dev', 'POST', TOKEN, form({ grant_type: 'implicit' }));
    expect(weird.body.error).toBe('unsupported_grant_type');
  });

  it('an Inactive account gets no token, and its issued tokens stop working at once', async () => {
    const emu = testEmulator();
    const account = await sa(emu);
    const ok = await bearer(emu, await assertion(emu, account), 'fr:idm:*');
    const token = ok.body.access_token as string;
    const admin = await aicToken(emu, 'dev', ['fr:idm:*'], 'admin-sa');
    const patch = await call(emu, 'dev', 'PATCH', `/openidm/managed/svcacct/${account.id}`, { token: admin, body: [{ operation: 'replace', field: '/accountStatus', value: 'Inactive' }] });
    expect(patch.status).toBe(200);
    expect(patch.body.accountStatus).toBe('Inactive');
    const denied = await bearer(emu, await assertion(emu, account), 'fr:idm:*');
    expect(denied.status).toBe(400);
    expect(denied.body).toEqual({ error: 'invalid_grant', error_description: 'Service account is inactive' });
    const use = await call(emu, 'dev', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token });
    expect(use.status).toBe(401);
    // reactivating restores the (still unexpired) token
    await call(emu, 'dev', 'PATCH', `/openidm/managed/svcacct/${account.id}`, { token: admin, body: [{ operation: 'replace', field: '/accountStatus', value: 'Active' }] });
    expect((await call(emu, 'dev', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token })).status).toBe(200);
    // deleting it kills the token for good
    expect((await call(emu, 'dev', 'DELETE', `/openidm/managed/svcacct/${account.id}`, { token: admin })).status).toBe(200);
    expect((await call(emu, 'dev', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token })).status).toBe(401);
  });

  it('a token stops working after expires_in (clock advanced)', async () => {
    const emu = testEmulator();
    const account = await sa(emu);
    const token = (await bearer(emu, await assertion(emu, account), 'fr:idm:*')).body.access_token as string;
    await advance(emu, 898_000);
    expect((await call(emu, 'dev', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token })).status).toBe(200);
    await advance(emu, 2_000);
    const res = await call(emu, 'dev', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 401, reason: 'Unauthorized', message: 'Access Denied' });
  });

  it('a token from another environment is rejected with 401', async () => {
    const emu = testEmulator();
    const account = await sa(emu, 'dev');
    const token = (await bearer(emu, await assertion(emu, account), 'fr:idm:*')).body.access_token as string;
    expect((await call(emu, 'dev', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token })).status).toBe(200);
    expect((await call(emu, 'staging', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token })).status).toBe(401);
    expect((await call(emu, 'prod', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token })).status).toBe(401);
  });
});

describe('attribution', () => {
  it('an ESV written with a service-account token is lastChangedBy that account, by name as current tenants record it', async () => {
    const emu = testEmulator();
    const account = await sa(emu);
    const token = (await bearer(emu, await assertion(emu, account), 'fr:idc:esv:*')).body.access_token;
    const put = await call(emu, 'dev', 'PUT', '/environment/variables/esv-auth-attribution', {
      token,
      headers: { 'accept-api-version': 'protocol=1.0,resource=1.0' },
      body: { valueBase64: Buffer.from('x').toString('base64'), description: 'auth test', expressionType: 'string' },
    });
    expect(put.status).toBe(200);
    // recordings esv-* since 2024-07: lastChangedBy is the service account's name ("Frodo-SA-1701393386423")
    expect(put.body.lastChangedBy).toBe(account.name);
    expect(account.name).not.toBe(account.id);
    // the activity log still carries the account id as userId
    const tx = put.headers.get('x-forgerock-transactionid')!;
    const entry = emu.env('dev')!.logbook.range('idm-activity', 0, Number.MAX_SAFE_INTEGER).find((e) => JSON.stringify(e.payload).includes(tx));
    expect((entry?.payload as { userId?: string } | undefined)?.userId).toBe(account.id);
  });
});

describe('route enforcement: 401 vs 403', () => {
  it('no token, garbage, bad signature → 401; valid token without the scope → 403; with it → 200', async () => {
    const emu = testEmulator();
    const path = '/openidm/managed/svcacct?_queryFilter=true';
    const none = await call(emu, 'dev', 'GET', path);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ code: 401, reason: 'Unauthorized', message: 'Access Denied' });
    expect((await call(emu, 'dev', 'GET', path, { token: 'not-a-jwt' })).status).toBe(401);
    const valid = await aicToken(emu, 'dev', ['fr:idm:*']);
    const tampered = valid.slice(0, -3) + (valid.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await call(emu, 'dev', 'GET', path, { token: tampered })).status).toBe(401);
    const esvOnly = await aicToken(emu, 'dev', ['fr:idc:esv:read']);
    const forbidden = await call(emu, 'dev', 'GET', path, { token: esvOnly });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toEqual({ code: 403, reason: 'Forbidden', message: 'Access Denied' });
    expect((await call(emu, 'dev', 'GET', path, { token: valid })).status).toBe(200);
  });

  it('scope implications (S4 L4352–4480)', () => {
    expect(scopeCovers('fr:idc:esv:*', 'fr:idc:esv:read')).toBe(true);
    expect(scopeCovers('fr:idc:esv:*', 'fr:idc:esv:update')).toBe(true);
    expect(scopeCovers('fr:idc:esv:*', 'fr:idc:esv:restart')).toBe(true);
    expect(scopeCovers('fr:idm:*', 'fr:idc:esv:update')).toBe(true);
    expect(scopeCovers('fr:idc:esv:read', 'fr:idc:esv:update')).toBe(false);
    expect(scopeCovers('fr:am:*', 'fr:idc:esv:read')).toBe(false);
    expect(hasScopes(['fr:idc:esv:read', 'fr:am:*'], ['fr:idc:esv:read', 'fr:am:*'])).toBe(true);
  });
});

describe('client credentials, password and refresh grants', () => {
  it('client_secret_basic and client_secret_post', async () => {
    const emu = testEmulator();
    const client = (await creds(emu)).oauthClients[0];
    const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
    const a = await call(emu, 'dev', 'POST', TOKEN, form({ grant_type: 'client_credentials', scope: 'fr:idm:*' }, { authorization: `Basic ${basic}` }));
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ scope: 'fr:idm:*', token_type: 'Bearer', expires_in: expect.any(Number) });
    const b = await call(emu, 'dev', 'POST', TOKEN, form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }));
    expect(b.status).toBe(200);
    expect(b.body.scope.split(' ')).toEqual(client.scopes);
    const v = await emu.env('dev')!.tokens.verify(b.body.access_token);
    expect(v.ok && v.claims.principalType).toBe('oauthClient');
  });

  it('deleting an OAuth client (re-seeded without it) revokes its live tokens', async () => {
    const emu = testEmulator();
    const client = (await creds(emu)).oauthClients[0];
    const t = (await call(emu, 'dev', 'POST', TOKEN, form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope: 'fr:idm:*' }))).body.access_token;
    const path = '/openidm/managed/svcacct?_queryFilter=true';
    expect((await call(emu, 'dev', 'GET', path, { token: t })).status).toBe(200);
    const snap = (await call(emu, 'dev', 'GET', '/__emulator/snapshot')).body;
    snap.aic.environments[0].oauthClients = [];
    expect((await call(emu, 'dev', 'POST', '/__emulator/seed', { body: snap })).status).toBe(200);
    expect((await call(emu, 'dev', 'GET', path, { token: t })).status).toBe(401);
  });

  it('bad client secret: 400 in the form, 401 with WWW-Authenticate in Basic', async () => {
    const emu = testEmulator();
    const client = (await creds(emu)).oauthClients[0];
    const post = await call(emu, 'dev', 'POST', TOKEN, form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'nope' }));
    expect(post.status).toBe(400);
    expect(post.body).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
    const basic = Buffer.from(`${client.clientId}:nope`).toString('base64');
    const res = await call(emu, 'dev', 'POST', TOKEN, form({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` }));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(res.body.error).toBe('invalid_client');
    // a client secret of one environment does not work in another
    const staging = await call(emu, 'staging', 'POST', TOKEN, form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }));
    expect(staging.status).toBe(400);
  });

  it('password grant gives a governance end user a token (principal user, sub = _id), then refresh', async () => {
    const emu = testEmulator();
    const client = (await creds(emu)).oauthClients[0];
    const res = await call(emu, 'dev', 'POST', TOKEN, form({ grant_type: 'password', client_id: client.clientId, client_secret: client.clientSecret, username: 'maria.manager', password: 'Password1!', scope: 'fr:iga:*' }));
    expect(res.status).toBe(200);
    expect(res.body.refresh_token).toEqual(expect.any(String));
    const v = await emu.env('dev')!.tokens.verify(res.body.access_token);
    expect(v.ok && v.claims).toMatchObject({ sub: '3c95650a-e8e7-47f2-a92c-1defee8f9323', principalType: 'user', subname: 'maria.manager' });
    const bad = await call(emu, 'dev', 'POST', TOKEN, form({ grant_type: 'password', client_id: client.clientId, client_secret: client.clientSecret, username: 'maria.manager', password: 'wrong' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_grant');
    const refreshed = await call(emu, 'dev', 'POST', TOKEN, form({ grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret, refresh_token: res.body.refresh_token }));
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(res.body.refresh_token);
    const v2 = await emu.env('dev')!.tokens.verify(refreshed.body.access_token);
    expect(v2.ok && v2.claims.sub).toBe('3c95650a-e8e7-47f2-a92c-1defee8f9323');
    // rotated: the old refresh token is spent
    const reuse = await call(emu, 'dev', 'POST', TOKEN, form({ grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret, refresh_token: res.body.refresh_token }));
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');
  });
});

describe('introspection and revocation', () => {
  it('introspect reports active tokens; revoke kills an access token and a refresh token at once', async () => {
    const emu = testEmulator();
    const client = (await creds(emu)).oauthClients[0];
    const auth = { client_id: client.clientId, client_secret: client.clientSecret };
    const tok = await call(emu, 'dev', 'POST', TOKEN, form({ ...auth, grant_type: 'password', username: 'maria.manager', password: 'Password1!', scope: 'fr:idm:*' }));
    const at = tok.body.access_token as string;
    const intro = await call(emu, 'dev', 'POST', '/am/oauth2/introspect', form({ ...auth, token: at }));
    expect(intro.status).toBe(200);
    expect(intro.body).toMatchObject({ active: true, scope: 'fr:idm:*', client_id: client.clientId, sub: '3c95650a-e8e7-47f2-a92c-1defee8f9323', token_type: 'Bearer', expires_in: 3599 });
    expect((await call(emu, 'dev', 'POST', '/am/oauth2/introspect', form({ ...auth, token: 'garbage' }))).body).toEqual({ active: false });
    expect((await call(emu, 'dev', 'POST', '/am/oauth2/introspect', form({ token: at }))).body.error).toBe('invalid_client');

    expect((await call(emu, 'dev', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token: at })).status).toBe(200);
    const rev = await call(emu, 'dev', 'POST', '/am/oauth2/token/revoke', form({ ...auth, token: at }));
    expect(rev.status).toBe(200);
    expect(rev.body).toEqual({});
    expect((await call(emu, 'dev', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token: at })).status).toBe(401);
    expect((await call(emu, 'dev', 'POST', '/am/oauth2/introspect', form({ ...auth, token: at }))).body).toEqual({ active: false });

    await call(emu, 'dev', 'POST', '/am/oauth2/token/revoke', form({ ...auth, token: tok.body.refresh_token }));
    const refreshed = await call(emu, 'dev', 'POST', TOKEN, form({ ...auth, grant_type: 'refresh_token', refresh_token: tok.body.refresh_token }));
    expect(refreshed.status).toBe(400);
    // another environment's client cannot revoke here, and unknown tokens are fine (RFC 7009)
    expect((await call(emu, 'dev', 'POST', '/am/oauth2/token/revoke', form({ ...auth, token: 'nope' }))).status).toBe(200);
  });
});

describe('discovery', () => {
  it('openid-configuration names this environment token endpoint and jwk_uri', async () => {
    const emu = testEmulator();
    const res = await call(emu, 'staging', 'GET', '/am/oauth2/.well-known/openid-configuration');
    expect(res.status).toBe(200);
    const url = envUrl(emu, 'staging');
    expect(res.body).toMatchObject({ issuer: `${url}/am/oauth2`, token_endpoint: `${url}/am/oauth2/access_token`, jwks_uri: `${url}/am/oauth2/connect/jwk_uri` });
    const alpha = await call(emu, 'staging', 'GET', '/am/oauth2/realms/root/realms/alpha/.well-known/openid-configuration');
    expect(alpha.body.token_endpoint).toBe(`${url}/am/oauth2/realms/root/realms/alpha/access_token`);
    // the issuer is the one in the tokens
    const token = await aicToken(emu, 'staging', ['fr:idm:*']);
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).iss).toBe(res.body.issuer);
  });
});

describe('jwk_uri', () => {
  it('HS256 environments publish an empty key set; an RS256 fixture key is published and used', async () => {
    const emu = testEmulator();
    const res = await call(emu, 'dev', 'GET', '/am/oauth2/connect/jwk_uri');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ keys: [] });

    const account = await sa(emu);
    const snap = (await call(emu, 'dev', 'GET', '/__emulator/snapshot')).body;
    snap.aic.environments[0].accessTokenSigningKey = account.privateJwk;
    const emu2 = testEmulator({ fixture: snap });
    const jwks = await call(emu2, 'dev', 'GET', '/am/oauth2/realms/root/connect/jwk_uri');
    expect(jwks.body.keys).toHaveLength(1);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', n: account.privateJwk.n, e: 'AQAB' });
    expect(jwks.body.keys[0].d).toBeUndefined();
    const token = await aicToken(emu2, 'dev', ['fr:idm:*']);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).alg).toBe('RS256');
    expect((await call(emu2, 'dev', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token })).status).toBe(200);
    expect((await call(emu2, 'staging', 'GET', '/openidm/managed/svcacct?_queryFilter=true', { token })).status).toBe(401);
  });
});

describe('malformed input never gives a 500', () => {
  it('bad Basic escapes, JSON bodies, empty bodies, garbage assertions', async () => {
    const emu = testEmulator();
    const bad = Buffer.from('%E0%A4%A:%').toString('base64');
    const r1 = await call(emu, 'dev', 'POST', TOKEN, form({ grant_type: 'client_credentials' }, { authorization: `Basic ${bad}` }));
    expect(r1.status).toBe(401);
    const r2 = await call(emu, 'dev', 'POST', TOKEN, { body: { grant_type: 'client_credentials' } });
    expect(r2.status).toBe(400);
    expect(r2.body.error).toBe('invalid_request');
    const r3 = await call(emu, 'dev', 'POST', TOKEN);
    expect(r3.status).toBe(400);
    const r4 = await bearer(emu, 'a.b.c', 'fr:idm:*');
    expect(r4.status).toBe(400);
    expect(r4.body.error).toBe('invalid_grant');
    const r5 = await call(emu, 'isc', 'POST', '/oauth/token', form({ grant_type: 'client_credentials' }, { authorization: `Basic ${bad}` }));
    expect(r5.status).toBe(401);
    const r6 = await call(emu, 'dev', 'PATCH', '/openidm/managed/svcacct/55ed8d3f-2367-421a-ad51-c4ea47893289', { token: await aicToken(emu, 'dev', ['fr:idm:*']), raw: '{not json' });
    expect(r6.status).toBe(400);
    expect(r6.body.code).toBe(400);
  });
});
