// Issue #19 item 3: /am/oauth2/authorize only ever redirects to a URI the client registered (exact match, RFC 9700
// §4.1.3). Admin UI clients (idmAdminClient, idm-admin-ui) have the platform UI's pages on the tenant's own origins;
// fixture clients have their `redirectUris`. Anything else is answered with an error and never redirected to.
import { describe, expect, it } from 'vitest';
import { call, testEmulator } from './helpers.js';
import type { Emulator } from '../src/emulator.js';

const ADMIN = { _id: '6f0c1b2a-3d4e-4f50-8a61-72b3c4d5e6f7', username: 'tenant.admin@example.com', password: 'Password1!' };
const APP = { clientId: 'web-app', clientSecret: 'web-secret', grantTypes: ['authorization_code'], scopes: ['fr:idm:*'], redirectUris: ['https://app.example.com/callback'] };

async function setup(): Promise<{ emu: Emulator; tokenId: string }> {
  const snap = (await call(testEmulator(), 'dev', 'GET', '/__emulator/snapshot')).body;
  snap.aic.environments[0].tenantAdmins = [ADMIN];
  snap.aic.environments[0].oauthClients.push(APP);
  const emu = testEmulator({ fixture: snap });
  const auth = await call(emu, 'dev', 'POST', '/am/json/realms/root/authenticate', {
    body: {},
    headers: { 'content-type': 'application/json', 'accept-api-version': 'resource=2.0, protocol=1.0', 'x-openam-username': ADMIN.username, 'x-openam-password': ADMIN.password },
  });
  expect(auth.status).toBe(200);
  return { emu, tokenId: auth.body.tokenId as string };
}

const authorize = (emu: Emulator, tokenId: string, clientId: string, redirectUri: string, method: 'GET' | 'POST' = 'GET') => {
  const q = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid fr:idm:*', state: 's1', decision: 'allow' });
  const headers = { cookie: `iPlanetDirectoryPro=${tokenId}` };
  return method === 'GET'
    ? emu.request('dev', `/am/oauth2/authorize?${q}`, { headers, redirect: 'manual' })
    : emu.request('dev', '/am/oauth2/authorize', { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: q.toString(), redirect: 'manual' });
};

describe('/am/oauth2/authorize redirect_uri', () => {
  it('refuses every unregistered URI for the admin UI client with a tenant admin session: an error, no redirect, no code', async () => {
    const { emu, tokenId } = await setup();
    const evil = [
      'http://evil.example/steal',
      'https://evil.example/platform/appAuthHelperRedirect.html',
      'http://127.0.0.1.evil.example/platform/appAuthHelperRedirect.html',
      'http://dev.localhost/platform/appAuthHelperRedirect.html?next=http://evil.example',
      'http://dev.localhost/platform/appAuthHelperRedirect.html#x',
      'http://user@evil.example/platform/appAuthHelperRedirect.html',
      'http://dev.localhost/platform/other.html',
      'javascript:alert(1)',
      'null',
    ];
    for (const clientId of ['idmAdminClient', 'idm-admin-ui']) {
      for (const uri of evil) {
        for (const method of ['GET', 'POST'] as const) {
          const res = await authorize(emu, tokenId, clientId, uri, method);
          expect(res.status, `${clientId} ${method} ${uri}`).toBe(400);
          expect(res.headers.get('location')).toBeNull();
          expect(await res.json()).toEqual({ error: 'redirect_uri_mismatch', error_description: 'The redirection URI provided does not match a pre-registered value.' });
        }
      }
    }
    // decision=deny must not bounce an error to an unregistered URI either
    const q = new URLSearchParams({ client_id: 'idmAdminClient', redirect_uri: 'http://evil.example/x', response_type: 'code', decision: 'deny' });
    const denied = await emu.request('dev', `/am/oauth2/authorize?${q}`, { headers: { cookie: `iPlanetDirectoryPro=${tokenId}` }, redirect: 'manual' });
    expect(denied.status).toBe(400);
    expect(denied.headers.get('location')).toBeNull();
  });

  it('redirects the admin UI clients to the platform UI pages on origins the tenant is served on (Frodo’s redirect)', async () => {
    const { emu, tokenId } = await setup();
    // frodo-lib: url.resolve(host, '/platform/appAuthHelperRedirect.html')
    for (const uri of ['http://dev.localhost/platform/appAuthHelperRedirect.html', 'http://127.0.0.1:8080/platform/appAuthHelperRedirect.html', 'http://localhost:8080/platform/sessionCheck.html']) {
      const res = await authorize(emu, tokenId, 'idmAdminClient', uri);
      expect(res.status, uri).toBe(302);
      const loc = new URL(res.headers.get('location')!);
      expect(`${loc.origin}${loc.pathname}`).toBe(uri);
      expect(loc.searchParams.get('code')).toBeTruthy();
      expect(loc.searchParams.get('state')).toBe('s1');
    }
  });

  it('fixture clients: exactly their redirectUris (no prefix, no extra query, no case games)', async () => {
    const { emu, tokenId } = await setup();
    const ok = await authorize(emu, tokenId, APP.clientId, 'https://app.example.com/callback');
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toMatch(/^https:\/\/app\.example\.com\/callback\?code=/);
    for (const uri of ['https://app.example.com/callback/', 'https://app.example.com/callback?x=1', 'https://APP.example.com/callback', 'https://app.example.com/callbackx', 'http://app.example.com/callback']) {
      const res = await authorize(emu, tokenId, APP.clientId, uri);
      expect(res.status, uri).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
  });
});
