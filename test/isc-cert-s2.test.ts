// Conformance with seed S2 (the sign-off reference): the certification object has exactly S2's fields, and the error
// bodies match S2's examples for 400/401/403/404/429 (trackingId aside, which is per request).
import { describe, expect, it } from 'vitest';
import { advance, call, iscToken, testEmulator } from './helpers.js';
import { ALICE, BOB, CARL, OLIVIA } from './isc-cert-helpers.js';
import { loadReference } from './shared.js';

/** The JSON examples of S2, extracted by scripts/vendor-reference.mjs (keyed by the line they start on). */
const ex = Object.values(loadReference<{ examples: Record<string, unknown> }>('seeds/s2-sign-off-examples.json').examples);

function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : [];
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])]));
  return typeof v;
}

describe('seed S2 conformance', () => {
  type Err = { detailCode: string; messages: unknown[]; causes?: unknown[] };
  const certExample = ex.find((e) => (e as { phase?: string }).phase) as Record<string, unknown>;
  const byDetail = (code: string) => ex.find((e) => (e as Err).detailCode === code) as Err;

  it('finds the examples', () => {
    expect(certExample).toBeDefined();
    expect(byDetail('403 Forbidden')).toBeDefined();
    expect(byDetail('404 Not found')).toBeDefined();
  });

  it('a reassigned, signed certification has exactly the fields of the S2 example (plus the signer extension)', async () => {
    const emu = testEmulator();
    const olivia = await iscToken(emu, OLIVIA);
    const alice = await iscToken(emu, ALICE);
    const bobCert = (await call(emu, 'isc', 'GET', `/v3/certifications?reviewer-identity=${BOB}`, { token: olivia })).body.find((c: { reviewer: { type: string }; phase: string }) => c.reviewer.type === 'IDENTITY' && c.phase === 'ACTIVE');
    const items = (await call(emu, 'isc', 'GET', `/v3/certifications/${bobCert.id}/access-review-items`, { token: olivia })).body;
    await call(emu, 'isc', 'POST', `/v3/certifications/${bobCert.id}/reassign`, { token: olivia, body: { reassign: [{ id: items[0].identitySummary.id, type: 'IDENTITY_SUMMARY' }], reassignTo: ALICE, reason: 'Reassigned for a reason' } });
    const moved = (await call(emu, 'isc', 'GET', '/v3/certifications?reviewer-identity=me', { token: alice })).body.find((c: { reassignment: unknown }) => c.reassignment);
    const its = (await call(emu, 'isc', 'GET', `/v3/certifications/${moved.id}/access-review-items`, { token: alice })).body;
    await call(emu, 'isc', 'POST', `/v3/certifications/${moved.id}/decide`, { token: alice, body: its.map((i: { id: string }) => ({ id: i.id, decision: 'APPROVE', bulk: true })) });
    const signed = await call(emu, 'isc', 'POST', `/v3/certifications/${moved.id}/sign-off`, { token: alice });
    expect(signed.status).toBe(200);
    const { signer, ...body } = signed.body;
    expect(signer).toMatchObject({ id: ALICE });
    expect(shape({ ...body, errorMessage: 'x' })).toEqual(shape(certExample));
    expect(body.reassignment.comment).toBe('Reassigned for a reason');
  });

  it('error bodies match S2 for 400, 401, 403, 404 and 429', async () => {
    const emu = testEmulator();
    const alice = await iscToken(emu, ALICE, 30);
    const carl = await iscToken(emu, CARL);
    const cert = (await call(emu, 'isc', 'GET', '/v3/certifications?reviewer-identity=me', { token: alice })).body[0];

    const e403 = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/sign-off`, { token: carl });
    const x403 = byDetail('403 Forbidden');
    expect(e403.status).toBe(403);
    expect(e403.body).toMatchObject({ detailCode: x403.detailCode, messages: x403.messages });
    expect(e403.body.trackingId).toMatch(/^[0-9a-f]{32}$/);

    const e404 = await call(emu, 'isc', 'POST', '/v3/certifications/2c9180835d2e5168015d32f890ca1581/sign-off', { token: carl });
    const x404 = byDetail('404 Not found');
    expect(e404.status).toBe(404);
    expect(e404.body).toMatchObject({ detailCode: x404.detailCode, messages: x404.messages });

    const e400 = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/sign-off`, { token: alice });
    const x400 = byDetail('400.1 Bad Request Content');
    expect(e400.status).toBe(400);
    expect(e400.body).toMatchObject({ detailCode: x400.detailCode, messages: x400.messages });
    expect(shape(e400.body.causes)).toEqual(shape(x400.causes));

    const x429 = ex.find((e) => (e as { message?: string }).message) as { message: string };
    emu.isc.slice<{ rateLimit: { requests: number } }>('iscCertifications').rateLimit.requests = 1;
    await call(emu, 'isc', 'GET', '/v3/certifications', { token: carl });
    const e429 = await call(emu, 'isc', 'GET', '/v3/certifications', { token: carl });
    expect(e429.status).toBe(429);
    expect(e429.body).toEqual(x429);
    expect(Number(e429.headers.get('retry-after'))).toBeGreaterThan(0);
    emu.isc.slice<{ rateLimit: { requests: number } }>('iscCertifications').rateLimit.requests = 100;

    const x401 = ex.find((e) => (e as { error?: string }).error) as { error: string };
    await advance(emu, 31_000);
    const e401 = await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}`, { token: alice });
    expect(e401.status).toBe(401);
    expect(e401.body).toEqual(x401);
  });
});
