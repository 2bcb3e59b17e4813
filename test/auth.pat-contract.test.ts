// /v3/personal-access-tokens responses (success and error) validate against the vendor contract
// (reference/isc/isc-v3-certifications-access-requests.openapi.json) with ajv + ajv-formats.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { call, iscToken, testEmulator } from './helpers.js';

const contractPath = fileURLToPath(new URL('../../shared/reference/isc/isc-v3-certifications-access-requests.openapi.json', import.meta.url));
const ALICE = '2bd806c97f0e00af1a1fc3328fa763a9';
const OLIVIA = 'b2471d941bf888366cf43813752ea2eb';

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> }>>; components: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } };

function validatorFor(doc: Doc) {
  const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as new (o: object) => {
    addSchema(s: object, k: string): void;
    compile(s: object): ((d: unknown) => boolean) & { errors?: unknown };
    addFormat(n: string, f: boolean | RegExp): void;
  };
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: unknown) => void;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const f of ['int32', 'int64']) ajv.addFormat(f, true);
  ajv.addSchema(doc as object, 'contract');
  return (path: string, method: string, status: number, body: unknown) => {
    let resp = doc.paths[path]![method]!.responses[String(status)];
    if (!resp) throw new Error(`${method} ${path}: status ${status} not in the contract`);
    if (resp.$ref) resp = doc.components.responses[resp.$ref.split('/').pop()!]!;
    const schema = resp.content!['application/json']!.schema;
    const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"contract#/components/')));
    const ok = validate(body);
    return { ok, errors: validate.errors };
  };
}

describe.skipIf(!existsSync(contractPath))('personal access tokens against the contract', () => {
  const check = validatorFor(JSON.parse(readFileSync(contractPath, 'utf8')) as Doc);
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
