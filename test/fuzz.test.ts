// The short, seeded pass of `npm run fuzz` that CI runs (issue #19 item 10): fast-check requests generated from the
// served OpenAPI documents, every operation of both products, in-process with a frozen clock; no 5xx and nothing
// undeclared. `npm run fuzz` runs the same properties longer (and against a started emulator with --url).
import { describe, expect, it } from 'vitest';
import { aicToken, call, iscToken, testEmulator } from './helpers.js';
import { fuzzDocument, problemWith, realIds, type OpenApiDoc, type Target } from './fuzz/openapiFuzz.js';
import type { Emulator } from '../src/emulator.js';

function inProcess(emu: Emulator, envName: string): Target {
  return {
    async send(method, path, init) {
      const res = await emu.request(envName, path, { method, headers: init.headers, body: init.body });
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
    },
  };
}

describe('fuzz (seeded, short)', () => {
  it('the properties: a 5xx, an undeclared status or an undeclared content type is a finding', () => {
    const op = { responses: { '200': { content: { 'application/json': {} } }, '404': {} } };
    expect(problemWith(op, 200, 'application/json; charset=UTF-8', '{}')).toBeUndefined();
    expect(problemWith(op, 503, 'application/json', '{}')).toBe('server error');
    expect(problemWith(op, 409, 'application/json', '{}')).toBe('status 409 is not declared');
    expect(problemWith(op, 200, 'text/html', '<p>')).toBe('content type text/html is not declared for 200');
    expect(problemWith(op, 404, 'text/plain', 'x')).toBe('content type text/plain is not declared for 404');
  });

  for (const product of ['aic', 'isc'] as const) {
    it(`${product}: generated requests never answer 5xx or an undeclared status`, { timeout: 240_000 }, async () => {
      const emu = testEmulator();
      const envName = product === 'aic' ? 'staging' : 'isc';
      const token =
        product === 'aic'
          ? await aicToken(emu, envName, ['fr:am:*', 'fr:idm:*', 'fr:idc:esv:*', 'fr:idc:promotion:*', 'fr:iga:*'], 'test-service-account', 'serviceAccount', 86_400 * 30)
          : await iscToken(emu, emu.isc.slice<any>('identities').identities.find((i: any) => i.authorities.includes('ORG_ADMIN')).id, 86_400 * 30);
      const doc = (await call(emu, envName, 'GET', `/__emulator/openapi.json?product=${product}`)).body as OpenApiDoc;
      const err = console.error;
      console.error = () => undefined; // a 500 is reported as a finding; its log line would only add noise
      try {
        const { findings, requests } = await fuzzDocument(doc, inProcess(emu, envName), {
          seed: 19,
          runsPerOperation: 3,
          ids: realIds(emu.env(envName)!.state),
          token,
          beforeEach: () => emu.clock.advance(60_000), // fresh rate-limit windows
        });
        expect(findings).toEqual([]);
        expect(requests).toBeGreaterThan(product === 'aic' ? 300 : 100);
      } finally {
        console.error = err;
      }
    });
  }
});
