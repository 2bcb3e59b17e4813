// ISC OAuth scopes per the contract's security.userAuth: a PAT limited to idn:campaign:read can read certifications
// but not decide, sign off or search; sp:scopes:all (the default) can do everything its authorities allow.
import { describe, it, expect } from 'vitest';
import { testEmulator, call } from './helpers.js';
import { iscScopesAllow } from '../src/core/auth.js';

async function patToken(emu: ReturnType<typeof testEmulator>, clientId: string, clientSecret: string): Promise<string> {
  const res = await call(emu, 'isc', 'POST', '/oauth/token', {
    raw: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(res.status).toBe(200);
  return res.body.access_token;
}

describe('ISC scopes', () => {
  it('manage implies read; sp:scopes:all grants everything', () => {
    expect(iscScopesAllow(['sp:scopes:all'], ['idn:campaign:manage'])).toBe(true);
    expect(iscScopesAllow(['idn:campaign:manage'], ['idn:campaign:read'])).toBe(true);
    expect(iscScopesAllow(['idn:campaign:read'], ['idn:campaign:manage'])).toBe(false);
    expect(iscScopesAllow(['openid'], ['idn:campaign:read'])).toBe(false);
  });

  it('a PAT limited to idn:campaign:read reads certifications but cannot decide, sign off or search', async () => {
    const emu = testEmulator();
    const creds = (await call(emu, 'isc', 'GET', '/__emulator/credentials')).body.environments.isc;
    const alicePat = creds.personalAccessTokens.find((p: any) => p.ownerName === 'alice.reviewer');
    const full = await patToken(emu, alicePat.clientId, alicePat.clientSecret);
    const created = await call(emu, 'isc', 'POST', '/v3/personal-access-tokens', { token: full, body: { name: 'read-only', scope: ['idn:campaign:read'] } });
    expect(created.status).toBe(200);
    const limited = await patToken(emu, created.body.id, created.body.secret);

    const mine = await call(emu, 'isc', 'GET', '/v3/certifications?reviewer-identity=me', { token: limited });
    expect(mine.status).toBe(200);
    expect(mine.body.length).toBeGreaterThan(0);
    const cert = mine.body.find((c: any) => !c.completed) ?? mine.body[0];
    const items = await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-review-items`, { token: limited });
    expect(items.status).toBe(200);

    const decide = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: limited, body: [{ id: items.body[0].id, decision: 'APPROVE', bulk: false }] });
    expect(decide.status).toBe(403);
    expect(decide.body).toMatchObject({ detailCode: '403 Forbidden', messages: [{ locale: 'en-US' }] });
    expect((await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/sign-off`, { token: limited })).status).toBe(403);
    // the same reviewer with the full-scope token may decide
    const ok = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: full, body: [{ id: items.body[0].id, decision: 'APPROVE', bulk: false }] });
    expect(ok.status).toBe(200);
    // and the limited PAT cannot manage PATs either
    expect((await call(emu, 'isc', 'GET', '/v3/personal-access-tokens', { token: limited })).status).toBe(403);
  });
});
