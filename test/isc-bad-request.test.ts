// One ISC 400 (S2, docs/architecture.md): whichever area and whatever went wrong — a body the area cannot parse, or
// one the route's schema refuses — the generic S2 text is in `messages` and the reason in `causes`.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/emulator.js';
import { call, iscToken, testEmulator } from './helpers.js';
import { OLIVIA } from './isc-cert-helpers.js';

const S2_400 = 'The request was syntactically correct but its content is semantically invalid.';
const s2 = (cause: string) => ({ detailCode: '400.1 Bad Request Content', trackingId: expect.any(String), messages: [{ locale: 'en-US', localeOrigin: 'DEFAULT', text: S2_400 }], causes: [{ locale: 'en-US', localeOrigin: 'DEFAULT', text: cause }] });

let emu: Emulator;
let token: string;
beforeAll(async () => {
  emu = testEmulator();
  token = await iscToken(emu, OLIVIA);
});
const send = (method: string, path: string, raw: string) => call(emu, 'isc', method, path, { token, raw, headers: { 'content-type': 'application/json' } });

describe('ISC 400', () => {
  it('a body that is not JSON, where the area reads it (core/http.ts jsonBody)', async () => {
    for (const [method, path] of [
      ['POST', '/v3/roles'],
      ['POST', '/v3/access-profiles'],
      ['POST', '/v3/campaigns/x/activate'],
      ['POST', '/v3/campaigns/x/complete'],
    ] as const) {
      const res = await send(method, path, '{not json');
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body, `${method} ${path}`).toEqual(s2('The request body could not be parsed as JSON.'));
    }
  });

  it("a body that is not JSON on routes that declare a JSON body (Hono's validator, rendered by app.ts)", async () => {
    for (const [method, path] of [
      ['POST', '/v3/search'],
      ['POST', '/v3/oauth-clients'],
      ['POST', '/v3/access-requests'],
      ['POST', '/v3/personal-access-tokens'],
    ] as const) {
      const res = await send(method, path, '{not json');
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body, `${method} ${path}`).toEqual(s2('The request body could not be parsed as JSON.'));
    }
  });

  it("a body the route's schema refuses (zod), from the areas that had hooks of their own and from the rest", async () => {
    const search = await send('POST', '/v3/search', JSON.stringify({ indices: 'identities' }));
    expect(search.status).toBe(400);
    expect(search.body).toEqual(s2(expect.stringMatching(/^indices: /)));
    const client = await send('POST', '/v3/oauth-clients', '[]');
    expect(client.status).toBe(400);
    expect(client.body.causes).toHaveLength(1);
    expect(client.body.messages[0].text).toBe(S2_400);
  });
});

describe('ISC 400 from the services that checked bodies themselves', () => {
  it('personal access tokens, OAuth clients and the access request configuration', async () => {
    const pat = await send('POST', '/v3/personal-access-tokens', JSON.stringify({ scope: ['sp:scopes:all'] }));
    expect(pat.status).toBe(400);
    expect(pat.body).toEqual(s2("Required field 'name' was missing or empty."));
    const client = await send('POST', '/v3/oauth-clients', JSON.stringify({ name: '', description: 'x', accessTokenValiditySeconds: 750, grantTypes: ['CLIENT_CREDENTIALS'], accessType: 'OFFLINE', enabled: true }));
    expect(client.status).toBe(400);
    expect(client.body).toEqual(s2("Field 'name' must be a non-empty string."));
    const config = await send('PUT', '/v3/access-request-config', '[]');
    expect(config.status).toBe(400);
    expect(config.body.causes).toHaveLength(1);
    expect(config.body.messages[0].text).toBe(S2_400);
  });
});
