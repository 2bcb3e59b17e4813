// Issue #19 item 6: values echoed into an HTML body are escaped. Every operation of both products is called with a
// script tag in each path parameter and in the query; no text/html response may carry it unescaped.
import { describe, expect, it } from 'vitest';
import { aicToken, call, iscToken, testEmulator } from './helpers.js';
import { openApiDocument } from '../src/openapi.js';

const PROBE = '<script>alert("x")</script>';

describe('HTML bodies escape what they echo', () => {
  it('GET /iga/governance/requestForms/<script> answers the recorded text/html 404 with the id escaped', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'staging', ['fr:iga:*']);
    const res = await call(emu, 'staging', 'GET', `/iga/governance/requestForms/${encodeURIComponent(PROBE)}`, { token });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toBe('Object not found with ID: &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
  });

  it('no text/html response of any operation carries a probe unescaped', { timeout: 120_000 }, async () => {
    const emu = testEmulator();
    const tokens: Record<string, string> = {
      staging: await aicToken(emu, 'staging', ['fr:am:*', 'fr:idm:*', 'fr:idc:esv:*', 'fr:idc:promotion:*', 'fr:iga:*']),
      isc: await iscToken(emu, emu.isc.slice<any>('identities').identities.find((i: any) => i.authorities.includes('ORG_ADMIN')).id),
    };
    let html = 0;
    // reads first (before a write creates an object named by the probe), then writes
    for (const pass of ['read', 'write'] as const) for (const envName of ['staging', 'isc']) {
      const doc = openApiDocument(emu.env(envName)!) as { paths: Record<string, Record<string, unknown>> };
      for (const [path, ops] of Object.entries(doc.paths)) {
        const concrete = path.replace(/\{[^}]+\}/g, encodeURIComponent(PROBE));
        for (const method of Object.keys(ops).filter((m) => (m === 'get') === (pass === 'read'))) {
          const q = `?id=${encodeURIComponent(PROBE)}&client_id=${encodeURIComponent(PROBE)}&redirect_uri=${encodeURIComponent(PROBE)}`;
          const res = await call(emu, envName, method.toUpperCase(), concrete + q, { token: tokens[envName], body: method === 'get' ? undefined : { id: PROBE, name: PROBE } });
          if (!/html/i.test(res.headers.get('content-type') ?? '')) continue;
          html++;
          expect(res.text, `${method.toUpperCase()} ${path}`).not.toContain('<script>');
        }
      }
    }
    expect(html).toBeGreaterThan(0);
  });
});
