// IGA access-request bodies are declared on the routes (src/aic/iga/requests/model.ts): a malformed body answers
// IGA's `{"message"}` with the service's own sentence and changes nothing.
import { beforeEach, describe, expect, it } from 'vitest';
import { aicToken, call, testEmulator } from './helpers.js';
import type { Emulator } from '../src/emulator.js';

const ENV = 'dev';
let emu: Emulator;
let admin: string;
beforeEach(async () => {
  emu = testEmulator();
  admin = await aicToken(emu, ENV, ['fr:iga:*']);
});
const send = (method: string, path: string, body: unknown) => call(emu, ENV, method, path, { token: admin, body });

describe('IGA request bodies declared on the routes', () => {
  it('patch bodies: an array of well-formed operations, checked before anything changes', async () => {
    const T = '/iga/governance/requestTypes';
    expect((await send('POST', T, { id: 'laptop', displayName: 'Laptop', workflow: {} })).status).toBe(200);
    const cases: Array<[unknown, string]> = [
      [{ operation: 'replace' }, 'The request body must be an array of patch operations'],
      [[{ operation: 'replace', field: '/displayName', value: 'x' }, 'nope'], 'Invalid patch operation'],
      [[{ operation: 5, field: '/displayName' }], 'Invalid patch operation'],
      [[{ operation: 'replace', field: '/' }], 'Invalid patch field: /'],
      [[{ operation: 'replace', field: '/displayName', value: 'x' }, { operation: 'move', field: '/a' }], 'Unsupported patch operation: move'],
    ];
    for (const [body, message] of cases) {
      const res = await send('PATCH', `${T}/laptop`, body);
      expect(res.status, message).toBe(400);
      expect(res.body, message).toEqual({ message });
    }
    expect((await call(emu, ENV, 'GET', `${T}/laptop`, { token: admin })).body).toMatchObject({ displayName: 'Laptop', _rev: 1 });
    const ok = await send('PATCH', `${T}/laptop`, [{ operation: 'replace', field: '/displayName', value: 'Laptop 2' }]);
    expect(ok.body).toMatchObject({ displayName: 'Laptop 2', _rev: 2 });
  });

  it('documents are JSON objects; assignments name a form and an object', async () => {
    const arr = await send('POST', '/iga/governance/requestForms', [{ name: 'f' }]);
    expect(arr.status).toBe(400);
    expect(arr.body).toEqual({ message: 'The request body must be a JSON object' });
    expect((await send('PUT', '/iga/governance/workflow/wf1/draft', 'text')).body).toEqual({ message: 'The request body must be a JSON object' });
    const A = '/iga/governance/requestFormAssignments';
    for (const body of [{ formId: 'f' }, { formId: 1, objectId: 'x' }, ['f', 'x']]) {
      const res = await send('POST', `${A}?_action=assign`, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ message: 'formId and objectId are required' });
    }
    expect((await send('POST', `${A}?_action=assign`, { formId: '', objectId: 'x' })).body).toEqual({ message: 'formId and objectId are required' });
    expect((await call(emu, ENV, 'GET', A, { token: admin })).body.result).toEqual([]);
  });
});
