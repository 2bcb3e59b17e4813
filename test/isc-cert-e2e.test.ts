// Issue 9 "Done when": the end-to-end certification flow with honest attribution (seeds 000/001, S2), using the
// default credentials (GET /__emulator/credentials) exchanged at POST /oauth/token (client_credentials).
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../src/emulator.js';
import { call, iscToken, testEmulator } from './helpers.js';
import { ALICE, BOB, CARL, CERT_AUTOMATION, OLIVIA, clientToken, iscCredentials } from './isc-cert-helpers.js';

async function decideAll(emu: Emulator, token: string, certId: string) {
  const items = await call(emu, 'isc', 'GET', `/v3/certifications/${certId}/access-review-items`, { token });
  expect(items.status).toBe(200);
  const decisions = items.body.map((it: { id: string }, i: number) => (i % 3 === 0 ? { id: it.id, decision: 'REVOKE', bulk: false, comments: `No longer needed (${i})` } : { id: it.id, decision: 'APPROVE', bulk: true }));
  const res = await call(emu, 'isc', 'POST', `/v3/certifications/${certId}/decide`, { token, body: decisions });
  return { res, decisions, items: items.body };
}

describe('ISC certification end to end (issue 9)', () => {
  it('a reviewer with her PAT lists, decides, signs off; an API client is recorded as its service identity', async () => {
    const emu = testEmulator();
    const creds = await iscCredentials(emu);
    const alicePat = creds.personalAccessTokens.find((p) => p.ownerId === ALICE)!;
    expect(alicePat).toBeDefined();
    const alice = await clientToken(emu, alicePat.clientId, alicePat.clientSecret);

    // list my certifications
    const mine = await call(emu, 'isc', 'GET', '/v3/certifications?reviewer-identity=me&count=true', { token: alice });
    expect(mine.status).toBe(200);
    expect(Number(mine.headers.get('x-total-count'))).toBe(mine.body.length);
    expect(mine.body.length).toBeGreaterThan(0);
    const cert = mine.body.find((c: { phase: string; reviewer: { type: string } }) => c.phase === 'ACTIVE' && c.reviewer.type === 'IDENTITY');
    expect(cert.reviewer.id).toBe(ALICE);
    expect(cert.decisionsMade).toBe(0);
    expect(cert.completed).toBe(false);

    // sign-off with undecided items → 400 (S2 body) and nothing changes
    const early = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/sign-off`, { token: alice });
    expect(early.status).toBe(400);
    expect(early.body.detailCode).toBe('400.1 Bad Request Content');
    expect(early.body.messages).toEqual([{ locale: 'en-US', localeOrigin: 'DEFAULT', text: 'The request was syntactically correct but its content is semantically invalid.' }]);
    expect(early.body.causes[0].text).toMatch(/decisions have not been made/);
    expect(early.body.trackingId).toMatch(/^[0-9a-f]{32}$/);

    // a plain user who is not the reviewer → 403 in the documented body
    const carl = await iscToken(emu, CARL);
    for (const [method, path] of [
      ['GET', `/v3/certifications/${cert.id}`],
      ['GET', `/v3/certifications/${cert.id}/access-review-items`],
      ['POST', `/v3/certifications/${cert.id}/sign-off`],
    ] as const) {
      const denied = await call(emu, 'isc', method, path, { token: carl });
      expect(denied.status, path).toBe(403);
      expect(denied.body).toMatchObject({ detailCode: '403 Forbidden', messages: [{ locale: 'en-US', localeOrigin: 'DEFAULT', text: 'The server understood the request but refuses to authorize it.' }] });
    }
    const carlDecide = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: carl, body: [{ id: 'x', decision: 'APPROVE', bulk: false }] });
    expect(carlDecide.status).toBe(403);

    // decide everything, some REVOKE with comments
    const { res: decided, decisions, items } = await decideAll(emu, alice, cert.id);
    expect(decided.status).toBe(200);
    expect(decided.body.decisionsMade).toBe(items.length);
    expect(decided.body.decisionsTotal).toBe(items.length);
    expect(decided.body.identitiesCompleted).toBe(decided.body.identitiesTotal);
    expect(decided.body.completed).toBe(true);
    expect(decided.body.phase).toBe('ACTIVE');

    const after = await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-review-items`, { token: alice });
    const revoked = after.body.filter((i: { decision: string }) => i.decision === 'REVOKE');
    expect(revoked.length).toBe(decisions.filter((d: { decision: string }) => d.decision === 'REVOKE').length);
    expect(revoked[0].comments).toMatch(/No longer needed/);
    for (const it of after.body) expect(it.decisionMaker).toEqual({ id: ALICE, name: 'alice.reviewer', type: 'IDENTITY' });

    // sign off and read back
    const signed = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/sign-off`, { token: alice });
    expect(signed.status).toBe(200);
    expect(signed.body.phase).toBe('SIGNED');
    expect(signed.body.completed).toBe(true);
    expect(signed.body.signed).toBe('2026-11-23T12:00:00.000Z');
    const readBack = await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}`, { token: alice });
    expect(readBack.body).toMatchObject({ phase: 'SIGNED', signed: '2026-11-23T12:00:00.000Z', completed: true, signer: { id: ALICE, name: 'alice.reviewer' } });

    // repeat on bob's certification with the API client (cert-automation, CERT_ADMIN)
    const client = creds.apiClients[0]!;
    const automation = await clientToken(emu, client.clientId, client.clientSecret);
    const bobs = await call(emu, 'isc', 'GET', `/v3/certifications?reviewer-identity=${BOB}&filters=phase eq "ACTIVE"`, { token: automation });
    expect(bobs.status).toBe(200);
    const bobCert = bobs.body.find((c: { reviewer: { id: string; type: string } }) => c.reviewer.type === 'IDENTITY')!;
    expect(bobCert.reviewer.id).toBe(BOB);
    const r2 = await decideAll(emu, automation, bobCert.id);
    expect(r2.res.status).toBe(200);
    const s2 = await call(emu, 'isc', 'POST', `/v3/certifications/${bobCert.id}/sign-off`, { token: automation });
    expect(s2.status).toBe(200);
    // the reviewer is still bob, but the signer and decision maker are the service identity (seed 000)
    expect(s2.body.reviewer.id).toBe(BOB);
    expect(s2.body.signer).toEqual({ id: CERT_AUTOMATION, name: 'cert-automation', type: 'IDENTITY' });
    const bobItems = await call(emu, 'isc', 'GET', `/v3/certifications/${bobCert.id}/access-review-items`, { token: automation });
    for (const it of bobItems.body) expect(it.decisionMaker.id).toBe(CERT_AUTOMATION);

    // the compliance question "who signed this?" through search, as an ORG_ADMIN with her PAT
    const oliviaPat = creds.personalAccessTokens.find((p) => p.ownerId === OLIVIA)!;
    const olivia = await clientToken(emu, oliviaPat.clientId, oliviaPat.clientSecret);
    const who = async (certId: string) => {
      const res = await call(emu, 'isc', 'POST', '/v3/search?count=true', {
        token: olivia,
        body: { indices: ['events'], query: { query: `type:CERTIFICATION AND technicalName:CERTIFICATION_SIGNOFF_PASSED AND attributes.certificationId:${certId}` } },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-total-count')).toBe('1');
      return res.body[0];
    };
    expect((await who(cert.id)).actor.name).toBe('alice.reviewer');
    const autoEvent = await who(bobCert.id);
    expect(autoEvent.actor.name).toBe('cert-automation');
    expect(autoEvent.attributes).toMatchObject({ reviewerId: BOB, actorId: CERT_AUTOMATION, actorType: 'apiClient' });
    const decisionsByAutomation = await call(emu, 'isc', 'POST', '/v3/search', {
      token: olivia,
      body: { indices: ['events'], query: { query: `action:CERTIFICATION_DECIDE_PASSED AND actor.name:"cert-automation"` } },
    });
    expect(decisionsByAutomation.body.length).toBe(r2.items.length);
  });

  it('a PAT dies with its owner (S1): a deactivated reviewer can no longer decide, the API client still can', async () => {
    const emu = testEmulator();
    const creds = await iscCredentials(emu);
    const bobPat = creds.personalAccessTokens.find((p) => p.ownerId === BOB)!;
    const bob = await clientToken(emu, bobPat.clientId, bobPat.clientSecret);
    const mine = await call(emu, 'isc', 'GET', '/v3/certifications?reviewer-identity=me&filters=phase eq "ACTIVE"', { token: bob });
    const cert = mine.body.find((c: { reviewer: { type: string } }) => c.reviewer.type === 'IDENTITY');
    const items = await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-review-items?limit=1`, { token: bob });
    const off = await call(emu, 'isc', 'POST', `/__emulator/isc/identities/${BOB}/deactivate`);
    expect(off.status).toBe(200);
    const denied = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: bob, body: [{ id: items.body[0].id, decision: 'APPROVE', bulk: false }] });
    expect(denied.status).toBe(401);
    expect(denied.body.error).toMatch(/^JWT validation failed: /);
    const client = creds.apiClients[0]!;
    const automation = await clientToken(emu, client.clientId, client.clientSecret);
    const ok = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: automation, body: [{ id: items.body[0].id, decision: 'APPROVE', bulk: false }] });
    expect(ok.status).toBe(200);
    expect(ok.body.decisionsMade).toBe(1);
  });

  it('an authorization-code token (user login) records the human who logged in', async () => {
    type Creds = { apiClients: Array<{ clientId: string; clientSecret: string; grantTypes?: string[]; redirectUris?: string[] }> };
    let emu = testEmulator();
    const findPortal = async () => ((await iscCredentials(emu)) as unknown as Creds).apiClients.find((c) => c.grantTypes?.includes('AUTHORIZATION_CODE'));
    let portal = await findPortal();
    if (!portal) {
      // default.source.json has the "Reviewer portal" client; until seeds/default.json is regenerated, add the same one
      const fixture = emu.snapshot() as unknown as { isc: { apiClients: unknown[] } };
      fixture.isc.apiClients.push({ clientId: '3f9a6c1e2b7d48e5a0c4f1d2e3b4a5c6', clientSecret: '5b1e0f3a7c9d2e4f6a8b0c1d3e5f7a9b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f', name: 'Reviewer portal (authorization code)', identityId: CERT_AUTOMATION, grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'], redirectUris: ['http://localhost:8765/callback'] });
      emu = testEmulator({ fixture } as never);
      portal = await findPortal();
    }
    expect(portal).toBeDefined();
    const redirect = portal!.redirectUris![0]!;
    const auth = await call(emu, 'isc', 'GET', `/oauth/authorize?client_id=${portal!.clientId}&response_type=code&redirect_uri=${encodeURIComponent(redirect)}&state=s1&login_hint=bob.reviewer`);
    expect(auth.status).toBe(302);
    const code = new URL(auth.headers.get('location')!).searchParams.get('code')!;
    const form = new URLSearchParams({ grant_type: 'authorization_code', client_id: portal!.clientId, client_secret: portal!.clientSecret, code, redirect_uri: redirect }).toString();
    const tok = await call(emu, 'isc', 'POST', '/oauth/token', { raw: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(tok.status, tok.text).toBe(200);
    const bob = tok.body.access_token as string;
    const mine = await call(emu, 'isc', 'GET', '/v3/certifications?reviewer-identity=me&filters=phase eq "ACTIVE"', { token: bob });
    const cert = mine.body.find((c: { reviewer: { type: string } }) => c.reviewer.type === 'IDENTITY');
    expect(cert.reviewer.id).toBe(BOB);
    const items = await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-review-items`, { token: bob });
    const decided = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: bob, body: items.body.map((i: { id: string }) => ({ id: i.id, decision: 'APPROVE', bulk: true })) });
    expect(decided.status).toBe(200);
    const signed = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/sign-off`, { token: bob });
    expect(signed.body.signer).toEqual({ id: BOB, name: 'bob.reviewer', type: 'IDENTITY' });
  });

  it('a certification already signed cannot be decided or signed again', async () => {
    const emu = testEmulator();
    const olivia = await iscToken(emu, OLIVIA);
    const signed = await call(emu, 'isc', 'GET', '/v3/certifications?filters=phase eq "SIGNED"', { token: olivia });
    expect(signed.body.length).toBe(1);
    const again = await call(emu, 'isc', 'POST', `/v3/certifications/${signed.body[0].id}/sign-off`, { token: olivia });
    expect(again.status).toBe(400);
    expect(again.body.causes[0].text).toMatch(/already been signed off/);
  });
});
