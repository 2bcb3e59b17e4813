// /v3/personal-access-tokens responses (success and error) validate against the vendor contract
// (reference/isc/isc-v3-certifications-access-requests.openapi.json) with ajv + ajv-formats.
import { describe, expect, it } from 'vitest';
import { call, iscToken, testEmulator } from './helpers.js';
import { contractValidator, loadIscContract } from './shared.js';

const ALICE = '2bd806c97f0e00af1a1fc3328fa763a9';
const OLIVIA = 'b2471d941bf888366cf43813752ea2eb';

describe('personal access tokens against the contract', () => {
  const check = contractValidator(loadIscContract());
  const valid = (path: string, method: string, res: { status: number; body: unknown }) => {
    const r = check(path, method, res.status, res.body);
    expect(r.errors ?? [], `${method} ${path} ${res.status}`).toEqual([]);
    expect(r.ok).toBe(true);
  };

  it('the validator rejects a body that breaks the contract', () => {
    expect(check('/personal-access-tokens', 'post', 200, { id: 'x' }).ok).toBe(false);
  });

  it('create, list, patch, errors (400/401/403/404)', async () => {
    const emu = testEmulator();
    const alice = await iscToken(emu, ALICE);
    const olivia = await iscToken(emu, OLIVIA);
    const created = await call(emu, 'isc', 'POST', '/v3/personal-access-tokens', { token: alice, body: { name: 'contract', scope: null } });
    valid('/personal-access-tokens', 'post', created);
    valid('/personal-access-tokens', 'get', await call(emu, 'isc', 'GET', '/v3/personal-access-tokens?owner-id=me', { token: alice }));
    valid('/personal-access-tokens', 'get', await call(emu, 'isc', 'GET', '/v3/personal-access-tokens', { token: olivia }));
    valid(
      '/personal-access-tokens/{id}',
      'patch',
      await call(emu, 'isc', 'PATCH', `/v3/personal-access-tokens/${created.body.id}`, { token: alice, headers: { 'content-type': 'application/json-patch+json' }, body: [{ op: 'replace', path: '/name', value: 'renamed' }] }),
    );
    const e400 = await call(emu, 'isc', 'POST', '/v3/personal-access-tokens', { token: alice, body: {} });
    expect(e400.status).toBe(400);
    valid('/personal-access-tokens', 'post', e400);
    const e401 = await call(emu, 'isc', 'GET', '/v3/personal-access-tokens');
    expect(e401.status).toBe(401);
    valid('/personal-access-tokens', 'get', e401);
    const e403 = await call(emu, 'isc', 'GET', '/v3/personal-access-tokens', { token: alice });
    expect(e403.status).toBe(403);
    valid('/personal-access-tokens', 'get', e403);
    const e404 = await call(emu, 'isc', 'DELETE', '/v3/personal-access-tokens/nope', { token: alice });
    expect(e404.status).toBe(404);
    valid('/personal-access-tokens/{id}', 'delete', e404);
  });
});
