// Issue #19 leftover: the AM catch-all entity routes (src/aic/config/amRoutes.ts) answer 405 with `Allow` for a
// method they do not support on a path they serve, like declared routes (test/methods.test.ts); unknown paths stay 404.
import { describe, expect, it } from 'vitest';
import { aicToken, call, testEmulator } from './helpers.js';

const REALM = '/am/json/realms/root/realms/alpha';
const CREST_405 = { code: 405, reason: 'Method Not Allowed', message: 'Method Not Allowed' };

describe('AM catch-all entity routes: 405 with Allow', () => {
  it('realm entities, global services and custom node types name the methods they answer', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:am:*']);
    for (const path of [`${REALM}/realm-config/webhooks/hook1`, `${REALM}/realm-config/services/validation`, '/am/json/global-config/services', '/am/json/global-config/services/scripting/contexts/x', '/am/json/node-designer/node-type', '/am/json/node-designer/node-type/n1']) {
      const res = await call(emu, 'dev', 'PATCH', path, { token, body: {} });
      expect(res.status, path).toBe(405);
      expect(res.body, path).toEqual(CREST_405);
      expect(res.headers.get('allow'), path).toBe('DELETE, GET, HEAD, POST, PUT');
      expect(res.headers.get('x-forgerock-transactionid'), path).toBeTruthy();
    }
    // the entity was not touched: the webhook does not exist, a GET still answers 404 for it
    expect((await call(emu, 'dev', 'GET', `${REALM}/realm-config/webhooks/hook1`, { token })).status).toBe(404);
  });

  it('HEAD is answered like GET', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:am:*']);
    const get = await call(emu, 'dev', 'GET', `${REALM}/realm-config/services/validation`, { token });
    expect(get.status).toBe(200);
    const head = await emu.request('dev', `${REALM}/realm-config/services/validation`, { method: 'HEAD', headers: { authorization: `Bearer ${token}` } });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('the root realm: readable collections allow GET only; refused and unknown paths keep 403 and 404', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:am:*']);
    const res = await call(emu, 'dev', 'DELETE', '/am/json/realms/root/policies', { token });
    expect(res.status).toBe(405);
    expect(res.body).toEqual(CREST_405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect((await call(emu, 'dev', 'GET', '/am/json/realms/root/policies', { token })).status).toBe(200);
    expect((await call(emu, 'dev', 'PATCH', '/am/json/realms/root/realm-config/webhooks', { token, body: {} })).status).toBe(403);
    expect((await call(emu, 'dev', 'PATCH', '/am/json/realms/root/no-such-thing', { token, body: {} })).status).toBe(404);
    const unknown = await call(emu, 'dev', 'PATCH', `${REALM}/realm-config/not-a-thing`, { token, body: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe(`Resource '${REALM.slice(1)}/realm-config/not-a-thing' not found`);
  });
});
