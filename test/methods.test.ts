// Issue #19 item 9: a known path called with a method it does not support answers 405 with `Allow` in the product's
// error body (RFC 9110 §15.5.6); an unknown path stays 404.
import { describe, expect, it } from 'vitest';
import { aicToken, call, iscToken, testEmulator } from './helpers.js';
import { openApiDocument } from '../src/openapi.js';
import { methodIndex } from '../src/core/methods.js';

const METHODS = ['GET', 'PUT', 'POST', 'PATCH', 'DELETE'];

describe('405 Method Not Allowed', () => {
  it('answers 405 with Allow in each API family’s error body', async () => {
    const emu = testEmulator();
    const t = await aicToken(emu, 'staging', ['fr:idc:esv:*']);
    const esv = await call(emu, 'staging', 'PATCH', '/environment/variables/esv-x', { token: t, body: {} });
    expect(esv.status).toBe(405);
    expect(esv.body).toEqual({ code: 405, message: 'Method Not Allowed' });
    expect(esv.headers.get('allow')).toBe('DELETE, GET, HEAD, POST, PUT');
    expect(esv.headers.get('x-forgerock-transactionid')).toBeTruthy();

    const health = await call(emu, 'staging', 'DELETE', '/monitoring/health');
    expect(health.status).toBe(405);
    expect(health.body).toEqual({ code: 405, reason: 'Method Not Allowed', message: 'Method Not Allowed' });
    expect(health.headers.get('allow')).toBe('GET, HEAD');
    expect((await emu.request('staging', '/monitoring/health', { method: 'HEAD' })).status).toBe(200);

    const isc = await call(emu, 'isc', 'DELETE', '/v3/certifications');
    expect(isc.status).toBe(405);
    expect(isc.body).toMatchObject({ detailCode: '405 Method Not Allowed', messages: [{ locale: 'en-US', localeOrigin: 'DEFAULT', text: 'Method Not Allowed' }] });
    expect(isc.headers.get('allow')).toBe('GET, HEAD');

    expect((await call(emu, 'staging', 'PATCH', '/no/such/path')).status).toBe(404);
    expect((await call(emu, 'isc', 'GET', '/v3/no-such-collection')).status).toBe(404);
  });

  it('every declared path: each undeclared method answers 405 whose Allow names the declared methods', { timeout: 120_000 }, async () => {
    const emu = testEmulator();
    const tokens: Record<string, string> = {
      staging: await aicToken(emu, 'staging', ['fr:am:*', 'fr:idm:*', 'fr:idc:esv:*', 'fr:idc:promotion:*', 'fr:iga:*']),
      isc: await iscToken(emu, emu.isc.slice<any>('identities').identities.find((i: any) => i.authorities.includes('ORG_ADMIN')).id),
    };
    let checked = 0;
    for (const envName of ['staging', 'isc']) {
      const doc = openApiDocument(emu.env(envName)!) as { paths: Record<string, Record<string, unknown>> };
      const routed = methodIndex(emu.env(envName)!.app.routes);
      for (const [path, ops] of Object.entries(doc.paths)) {
        const declared = Object.keys(ops).map((m) => m.toUpperCase());
        const concrete = path.replace(/\{[^}]+\}/g, (m) => (m === '{realm}' ? 'alpha' : 'probe-405'));
        for (const m of METHODS.filter((x) => !declared.includes(x))) {
          // another route may serve this method on the same concrete path (GET …/template/search vs …/template/{id})
          if (routed(concrete).includes(m)) continue;
          // AM entities (realm and global config) have catch-all handlers for every method (src/aic/config/amRoutes.ts)
          if (concrete.startsWith('/am/json/realms/root/realms/') || concrete.startsWith('/am/json/global-config/')) continue;
          if (envName === 'isc') emu.clock.advance(10_000); // a fresh rate-limit window: ISC counts every call, 405s included
          const res = await call(emu, envName, m, concrete, { token: tokens[envName] });
          expect(res.status, `${m} ${path}`).toBe(405);
          const allow = res.headers.get('allow')!.split(', ');
          expect(allow, `${m} ${path}`).not.toContain(m);
          for (const d of declared) expect(allow, `${m} ${path}`).toContain(d);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
