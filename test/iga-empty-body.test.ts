// IGA reads an empty body sent as `application/json` as `{}` (core/http.ts emptyJsonBodyAsObject): frodo's
// `POST …/certification/template/search` carries that content type and no body, and a tenant answers 200 with the
// templates (recording iga-certification-templates, readCertificationTemplates case 1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aicToken, call, testEmulator } from './helpers.js';
import { listen, type Listening } from '../src/server.js';
import type { Emulator } from '../src/emulator.js';

const ENV = 'dev';
const JSON_TYPE = { 'content-type': 'application/json' };
// POST routes whose body is a search or an action: the same answer for no body as for `{}`
const ROUTES = [
  '/iga/governance/certification/template/search?pageSize=10000&pageNumber=0',
  '/iga/governance/requests?_action=search',
  '/iga/governance/catalog/search',
];

let emu: Emulator;
let admin: string;
beforeAll(async () => {
  emu = testEmulator();
  admin = await aicToken(emu, ENV, ['fr:iga:*']);
});

describe('an empty application/json body on IGA routes', () => {
  it('in-process: reads as {} on search and action routes', async () => {
    for (const path of ROUTES) {
      const withObject = await call(emu, ENV, 'POST', path, { token: admin, body: {} });
      expect(withObject.status, path).toBe(200);
      const empty = await call(emu, ENV, 'POST', path, { token: admin, headers: JSON_TYPE });
      expect(empty.status, `${path}: ${empty.text}`).toBe(200);
      expect(empty.body, path).toEqual(withObject.body);
      const blank = await call(emu, ENV, 'POST', path, { token: admin, raw: '  \n' });
      expect(blank.body, path).toEqual(withObject.body);
    }
    const templates = await call(emu, ENV, 'POST', ROUTES[0]!, { token: admin, headers: JSON_TYPE });
    expect(templates.body.resultCount).toBeGreaterThan(0);
  });

  it('a required document read from an empty body is checked as {}: the validation answer, not "not valid JSON"', async () => {
    const path = '/iga/governance/requestFormAssignments?_action=assign';
    const withObject = await call(emu, ENV, 'POST', path, { token: admin, body: {} });
    const empty = await call(emu, ENV, 'POST', path, { token: admin, headers: JSON_TYPE });
    expect(withObject.status).toBe(400);
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual(withObject.body);
    expect(empty.body.message).not.toMatch(/JSON/);
    // text that is not JSON is still IGA's 400
    const bad = await call(emu, ENV, 'POST', ROUTES[0]!, { token: admin, raw: '{' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ message: 'The request body is not valid JSON' });
  });

  describe('through a listener (content-length: 0)', () => {
    let server: Emulator;
    let listening: Listening;
    let base: string;
    let token: string;
    beforeAll(async () => {
      server = testEmulator({ port: 0 });
      listening = await listen(server);
      base = `http://127.0.0.1:${server.env(ENV)!.port}`;
      token = await aicToken(server, ENV, ['fr:iga:*']);
    });
    afterAll(() => listening.close());

    it('answers as for {}', async () => {
      for (const path of ROUTES) {
        const headers = { authorization: `Bearer ${token}`, ...JSON_TYPE };
        const empty = await fetch(base + path, { method: 'POST', headers, body: '' });
        const text = await empty.text();
        expect(empty.status, `${path}: ${text}`).toBe(200);
        const withObject = await fetch(base + path, { method: 'POST', headers, body: '{}' });
        expect(JSON.parse(text), path).toEqual(await withObject.json());
      }
    });
  });
});
