// Runtime memory an environment holds outside its store (AM sessions, authorization codes, refresh tokens, the
// fulfilment switches of the control plane) belongs to the environment: POST /__emulator/reset and /seed forget it
// (issue 18 item 4, issue 12 item 5). Each case proves the credential works before the reset and fails after it.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { call, testEmulator } from './helpers.js';
import type { Emulator } from '../src/emulator.js';

const ADMIN = { _id: '6f0c1b2a-3d4e-4f50-8a61-72b3c4d5e6f7', username: 'tenant.admin@example.com', password: 'Password1!' };
const REDIRECT = 'http://127.0.0.1:8080/platform/appAuthHelperRedirect.html';
const ISC_SERVICE = 'd6c781f4c0b51172ce237eb0c9faa189';
const LOGIN_CLIENT = { clientId: 'e0c1a2b3c4d5e6f708192a3b4c5d6e7f', clientSecret: 'login-app-secret', redirect: 'http://localhost:4567/callback' };
const TOKEN = '/am/oauth2/access_token';

/** Default seed plus an AM tenant admin (dev) and an ISC authorization-code client, so both flows can run. */
async function emulator(): Promise<Emulator> {
  const snap = (await call(testEmulator(), 'dev', 'GET', '/__emulator/snapshot')).body;
  snap.aic.environments[0].tenantAdmins = [ADMIN];
  snap.isc.apiClients.push({ clientId: LOGIN_CLIENT.clientId, clientSecret: LOGIN_CLIENT.clientSecret, name: 'Reviewer portal', identityId: ISC_SERVICE, grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'], redirectUris: [LOGIN_CLIENT.redirect] });
  return testEmulator({ fixture: snap });
}

const form = (params: Record<string, string>) => ({ raw: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const reset = (emu: Emulator) => call(emu, 'dev', 'POST', '/__emulator/reset');

async function amSession(emu: Emulator): Promise<string> {
  const res = await call(emu, 'dev', 'POST', '/am/json/realms/root/authenticate', { body: {}, headers: { 'content-type': 'application/json', 'x-openam-username': ADMIN.username, 'x-openam-password': ADMIN.password } });
  expect(res.status).toBe(200);
  return res.body.tokenId as string;
}

const validate = async (emu: Emulator, tokenId: string) => (await call(emu, 'dev', 'POST', '/am/json/realms/root/sessions?_action=validate', { body: { tokenId } })).body.valid;

/** An AM authorization code for the admin UI client, from a live session (PKCE). */
async function amCode(emu: Emulator, tokenId: string, verifier: string): Promise<string> {
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const params = new URLSearchParams({ redirect_uri: REDIRECT, scope: 'openid fr:idm:*', response_type: 'code', client_id: 'idmAdminClient', csrf: tokenId, decision: 'allow', code_challenge: challenge, code_challenge_method: 'S256' });
  const res = await emu.request('dev', '/am/oauth2/authorize', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `iPlanetDirectoryPro=${tokenId}` }, body: params.toString(), redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!).searchParams.get('code')!;
}

const amExchange = (emu: Emulator, code: string, verifier: string) =>
  call(emu, 'dev', 'POST', TOKEN, form({ grant_type: 'authorization_code', client_id: 'idmAdminClient', code, redirect_uri: REDIRECT, code_verifier: verifier }));

async function iscCode(emu: Emulator): Promise<string> {
  const q = `client_id=${LOGIN_CLIENT.clientId}&response_type=code&redirect_uri=${encodeURIComponent(LOGIN_CLIENT.redirect)}&login_hint=alice.reviewer`;
  const res = await emu.request('isc', `/oauth/authorize?${q}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!).searchParams.get('code')!;
}

const iscToken = (emu: Emulator, params: Record<string, string>) => call(emu, 'isc', 'POST', '/oauth/token', form({ client_id: LOGIN_CLIENT.clientId, client_secret: LOGIN_CLIENT.clientSecret, ...params }));

describe('reset forgets what an environment holds outside its store', () => {
  it('an AM session is valid before POST /__emulator/reset and unknown after it', async () => {
    const emu = await emulator();
    const tokenId = await amSession(emu);
    expect(await validate(emu, tokenId)).toBe(true);
    expect((await reset(emu)).status).toBe(200);
    expect(await validate(emu, tokenId)).toBe(false);
    const info = await call(emu, 'dev', 'POST', '/am/json/realms/root/sessions?_action=getSessionInfo', { body: { tokenId } });
    expect(info.status).toBe(401);
  });

  it('an AM authorization code issued before a reset cannot be exchanged after it', async () => {
    const emu = await emulator();
    const verifier = 'v'.repeat(64);
    const used = await amCode(emu, await amSession(emu), verifier);
    expect((await amExchange(emu, used, verifier)).status).toBe(200); // the flow works before the reset
    const code = await amCode(emu, await amSession(emu), verifier);
    await reset(emu);
    const res = await amExchange(emu, code, verifier);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('an AIC refresh token issued before a reset is refused after it', async () => {
    const emu = await emulator();
    const client = (await call(emu, 'dev', 'GET', '/__emulator/credentials')).body.environments.dev.oauthClients[0];
    const grant = (extra: Record<string, string>) => call(emu, 'dev', 'POST', TOKEN, form({ client_id: client.clientId, client_secret: client.clientSecret, ...extra }));
    const first = await grant({ grant_type: 'password', username: 'maria.manager', password: 'Password1!', scope: 'fr:iga:*' });
    expect(first.status).toBe(200);
    const refreshed = await grant({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    expect(refreshed.status).toBe(200);
    await reset(emu);
    const after = await grant({ grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token });
    expect(after.status).toBe(400);
    expect(after.body.error).toBe('invalid_grant');
  });

  it('an ISC authorization code and refresh token issued before a reset are refused after it', async () => {
    const emu = await emulator();
    const tok = await iscToken(emu, { grant_type: 'authorization_code', code: await iscCode(emu), redirect_uri: LOGIN_CLIENT.redirect });
    expect(tok.status).toBe(200);
    const code = await iscCode(emu);
    await reset(emu);
    const exchange = await iscToken(emu, { grant_type: 'authorization_code', code, redirect_uri: LOGIN_CLIENT.redirect });
    expect(exchange.status).toBe(400);
    expect(exchange.body.error).toBe('invalid_grant');
    const refresh = await iscToken(emu, { grant_type: 'refresh_token', refresh_token: tok.body.refresh_token });
    expect(refresh.status).toBe(400);
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('POST /__emulator/seed forgets sessions too, and control-plane switches return to their defaults', async () => {
    const emu = await emulator();
    const tokenId = await amSession(emu);
    const set = await call(emu, 'dev', 'POST', '/__emulator/iga/fulfilment', { body: { failNext: 3 } });
    expect(set.body.failNext).toBe(3);
    const snap = (await call(emu, 'dev', 'GET', '/__emulator/snapshot')).body;
    expect((await call(emu, 'dev', 'POST', '/__emulator/seed', { body: snap })).status).toBe(200);
    expect(await validate(emu, tokenId)).toBe(false);
    expect((await call(emu, 'dev', 'GET', '/__emulator/iga/fulfilment')).body.failNext).toBe(0);
  });
});
