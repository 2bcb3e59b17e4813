// /v3/oauth-clients through sailpoint-api-client (OAuthClientsApi), as an admin automates API-client management:
// create a client, obtain a token with its id and secret (the SDK's multipart client_credentials request), use it
// within its scopes, patch it, delete it — and its live token is refused. Responses are checked against the contract.
import { beforeEach, describe, expect, it } from 'vitest';
import { AccessRequestsApi, OAuthClientsApi, type CreateOAuthClientRequest } from 'sailpoint-api-client';
import type { Emulator } from '../src/emulator.js';
import { contractValidator, loadIscContract } from './shared.js';
import { OLIVIA, ALICE } from './isc-cert-helpers.js';
import { sdkConfig, sdkFailure, sdkEmulator } from './isc-sdk.js';

const contract = loadIscContract('isc-v3-access-model-requests-search.openapi.json');
const validate = contractValidator(contract);
function conforms(path: string, method: string, status: number, body: unknown): void {
  const res = validate(path, method, status, body);
  expect(res.errors ?? [], `${method} ${path} ${status}`).toEqual([]);
}

const NEW_CLIENT: CreateOAuthClientRequest = {
  name: 'Access request bot',
  description: 'submits access requests',
  accessTokenValiditySeconds: 900,
  grantTypes: ['CLIENT_CREDENTIALS'],
  accessType: 'OFFLINE',
  enabled: true,
  scope: ['sp:oauth-client:read'],
};

let emu: Emulator;
const tokenRequest = (clientId: string, clientSecret: string) =>
  emu.request(emu.isc.name, '/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
  });
let admin: OAuthClientsApi;
let alice: OAuthClientsApi;

beforeEach(async () => {
  const sdk = await sdkEmulator();
  emu = sdk.emu;
  admin = new OAuthClientsApi(sdk.as(OLIVIA));
  alice = new OAuthClientsApi(sdk.as(ALICE));
});

describe('/v3/oauth-clients', () => {
  it('creates a client whose id and secret obtain tokens limited to its scopes; deleted, its token is refused', async () => {
    const created = await admin.createOauthClient({ createOAuthClientRequest: NEW_CLIENT });
    expect(created.status).toBe(200);
    conforms('/oauth-clients', 'post', 200, created.data);
    expect(created.data.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(created.data.scope).toEqual(['sp:oauth-client:read']);

    // the client's own token, obtained the way the SDK obtains one
    const bot = new OAuthClientsApi(sdkConfig(created.data.id, created.data.secret));
    const listed = await bot.listOauthClients();
    conforms('/oauth-clients', 'get', 200, listed.data);
    const mine = listed.data.find((c) => c.id === created.data.id)!;
    expect(mine).toMatchObject({ name: 'Access request bot', accessTokenValiditySeconds: 900, secret: null, enabled: true });
    expect(mine.lastUsed).not.toBeNull();
    // its scope grants reads only
    expect((await sdkFailure(bot.deleteOauthClient({ id: created.data.id }))).status).toBe(403);
    expect((await sdkFailure(new AccessRequestsApi(sdkConfig(created.data.id, created.data.secret)).getAccessRequestConfig())).status).toBe(403);

    const got = await admin.getOauthClient({ id: created.data.id });
    conforms('/oauth-clients/{id}', 'get', 200, got.data);

    const deleted = await admin.deleteOauthClient({ id: created.data.id });
    expect(deleted.status).toBe(204);
    const refused = await sdkFailure(bot.listOauthClients());
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ error: 'JWT validation failed: JWT has been revoked' });
    const gone = await sdkFailure(admin.getOauthClient({ id: created.data.id }));
    expect(gone.status).toBe(404);
    conforms('/oauth-clients/{id}', 'get', 404, gone.body);
    // and the secret obtains no new token
    const again = await tokenRequest(created.data.id, created.data.secret);
    expect(again.status).toBe(401);
    expect(await again.json()).toEqual({ error: 'invalid_client', error_description: 'Bad client credentials' });
  });

  it('a client-credentials token acts as the identity that created the client', async () => {
    const created = await admin.createOauthClient({ createOAuthClientRequest: { ...NEW_CLIENT, scope: null } });
    expect(created.data.scope).toEqual(['sp:scopes:all']);
    const token = await tokenRequest(created.data.id, created.data.secret);
    const body = (await token.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ identity_id: OLIVIA, expires_in: 900 });
  });

  it('patching enabled=false refuses its live tokens; only an ORG_ADMIN manages clients; bad bodies leave state unchanged', async () => {
    const created = await admin.createOauthClient({ createOAuthClientRequest: { ...NEW_CLIENT, scope: ['sp:oauth-client:manage'] } });
    const bot = new OAuthClientsApi(sdkConfig(created.data.id, created.data.secret));
    expect((await bot.listOauthClients()).status).toBe(200);
    const patched = await admin.patchOauthClient({ id: created.data.id, jsonPatchOperation: [{ op: 'replace', path: '/enabled', value: false }] });
    conforms('/oauth-clients/{id}', 'patch', 200, patched.data);
    expect(patched.data.enabled).toBe(false);
    expect((await sdkFailure(bot.listOauthClients())).status).toBe(401);

    const forbidden = await sdkFailure(alice.listOauthClients());
    expect(forbidden.status).toBe(403);
    conforms('/oauth-clients', 'get', 403, forbidden.body);

    const before = (await admin.listOauthClients()).data.length;
    const bad = await sdkFailure(admin.createOauthClient({ createOAuthClientRequest: { ...NEW_CLIENT, grantTypes: ['AUTHORIZATION_CODE'] } }));
    expect(bad.status).toBe(400);
    conforms('/oauth-clients', 'post', 400, bad.body);
    const missing = await sdkFailure(admin.createOauthClient({ createOAuthClientRequest: { name: 'x' } as CreateOAuthClientRequest }));
    expect(missing.status).toBe(400);
    const badPatch = await sdkFailure(admin.patchOauthClient({ id: created.data.id, jsonPatchOperation: [{ op: 'replace', path: '/id', value: 'x' }] }));
    expect(badPatch.status).toBe(400);
    expect((await admin.listOauthClients()).data.length).toBe(before);
  });
});
