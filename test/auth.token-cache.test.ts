// The verified-token cache (core/auth.ts): keyed by a token's tail, answered from the Authorization header without
// the bearer regex when the header is exactly `Bearer <verified token>`; every other form still goes through the regex.
import { describe, expect, it } from 'vitest';
import { TokenService, aicPrincipal, bearerToken } from '../src/core/auth.js';

const now = 1_800_000_000;
const service = () => new TokenService('a-secret-of-enough-length-for-hs256', () => 'http://dev.localhost/am/oauth2', () => now);

describe('verified-token cache', () => {
  it('finds a verified token from its header, in every form the bearer regex accepts', async () => {
    const tokens = service();
    const token = await tokens.mint({ sub: 'sa-1', scope: 'fr:idc:esv:read' }, 3600);
    expect(tokens.cachedHeader(`Bearer ${token}`, aicPrincipal)).toBeUndefined(); // never verified
    const first = await tokens.authenticate(token, aicPrincipal);
    expect(first.ok).toBe(true);
    for (const header of [`Bearer ${token}`, `bearer ${token}`, `Bearer   ${token}`, `Bearer ${token}  `, `BEARER\t${token}`]) {
      const res = tokens.cachedHeader(header, aicPrincipal);
      expect(res, header).toMatchObject({ ok: true, principal: { id: 'sa-1' } });
      // the same principal object: built once per token
      expect(res && res.ok && first.ok && res.principal === first.principal).toBe(true);
    }
  });

  it('does not take a token sharing the tail of a verified one (a forged payload) for it', async () => {
    const tokens = service();
    const token = await tokens.mint({ sub: 'sa-1', scope: 'fr:idc:esv:read' }, 3600);
    await tokens.authenticate(token, aicPrincipal);
    const [h, , sig] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'root', scope: 'fr:idc:esv:*', exp: now + 10 })).toString('base64url')}.${sig}`;
    expect(tokens.cachedHeader(`Bearer ${forged}`, aicPrincipal)).toBeUndefined();
    expect(tokens.cached(forged, aicPrincipal)).toBeUndefined();
    expect(await tokens.authenticate(forged, aicPrincipal)).toMatchObject({ ok: false, reason: 'signature' });
    // a header that only ends with the verified token is another token
    expect(tokens.cachedHeader(`Bearer x${token}`, aicPrincipal)).toBeUndefined();
    expect(tokens.cachedHeader(`Bearer ${token} extra`, aicPrincipal)).toEqual({ ok: false, reason: 'missing' });
    expect(tokens.cachedHeader(undefined, aicPrincipal)).toEqual({ ok: false, reason: 'missing' });
    expect(tokens.cachedHeader('Basic abc', aicPrincipal)).toEqual({ ok: false, reason: 'missing' });
  });

  it('still checks expiry and the guards on every cached use, and forgets on clearCache', async () => {
    let t = now;
    const tokens = new TokenService('a-secret-of-enough-length-for-hs256', () => 'http://dev.localhost/am/oauth2', () => t);
    const token = await tokens.mint({ sub: 'sa-1' }, 60);
    await tokens.authenticate(token, aicPrincipal);
    let revoked = false;
    tokens.guards.push(() => (revoked ? 'gone' : undefined));
    expect(tokens.cachedHeader(`Bearer ${token}`, aicPrincipal)).toMatchObject({ ok: true });
    revoked = true;
    expect(tokens.cachedHeader(`Bearer ${token}`, aicPrincipal)).toEqual({ ok: false, reason: 'revoked', detail: 'gone' });
    revoked = false;
    t = now + 60;
    expect(tokens.cachedHeader(`Bearer ${token}`, aicPrincipal)).toEqual({ ok: false, reason: 'expired' });
    t = now;
    tokens.clearCache();
    expect(tokens.cachedHeader(`Bearer ${token}`, aicPrincipal)).toBeUndefined();
  });

  it('a success answered again after a refusal: the decision is made on every use, only its answer object is kept', async () => {
    let t = now;
    const tokens = new TokenService('a-secret-of-enough-length-for-hs256', () => 'http://dev.localhost/am/oauth2', () => t);
    const token = await tokens.mint({ sub: 'sa-1' }, 60);
    const first = await tokens.authenticate(token, aicPrincipal);
    let revoked = false;
    tokens.guards.push(() => (revoked ? 'gone' : undefined));
    const header = `Bearer ${token}`;
    expect(tokens.cachedHeader(header, aicPrincipal)).toBe(first);
    expect(await tokens.verify(token)).toMatchObject({ ok: true, claims: { sub: 'sa-1' } });
    revoked = true;
    expect(tokens.cachedHeader(header, aicPrincipal)).toEqual({ ok: false, reason: 'revoked', detail: 'gone' });
    expect(await tokens.verify(token)).toEqual({ ok: false, reason: 'revoked', detail: 'gone' });
    revoked = false;
    expect(tokens.cachedHeader(header, aicPrincipal)).toBe(first);
    t = now + 60;
    expect(tokens.cachedHeader(header, aicPrincipal)).toEqual({ ok: false, reason: 'expired' });
    expect(await tokens.verify(token)).toEqual({ ok: false, reason: 'expired' });
    t = now + 59;
    expect(tokens.cachedHeader(header, aicPrincipal)).toMatchObject({ ok: true, principal: { id: 'sa-1' } });
  });

  it('bearer() is bearerToken() of the header, the cached string for a verified token', async () => {
    const tokens = service();
    const token = await tokens.mint({ sub: 'sa-1' }, 3600);
    const headers = [`Bearer ${token}`, `bearer ${token}`, `Bearer ${token} `, `Bearer ${token} x`, 'Basic abc', '', undefined];
    const before = headers.map((h) => tokens.bearer(h));
    expect(before).toEqual(headers.map((h) => bearerToken(h)));
    await tokens.authenticate(token, aicPrincipal);
    expect(headers.map((h) => tokens.bearer(h))).toEqual(before);
    const forged = `${token.slice(0, 20)}x${token.slice(21)}`;
    expect(tokens.bearer(`Bearer ${forged}`)).toBe(forged);
  });
});
