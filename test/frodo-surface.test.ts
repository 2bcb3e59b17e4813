// Issue 15 step 1: the answers frodo got wrong — `_fields=*`, Base64 scripts, lowercase accountStatus — and the
// tenant facts it reads first (environment info, service-account scopes, realms; issue 19 item 9: unknown realms 404).
import { describe, it, expect } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { testEmulator, call, aicToken } from './helpers.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const ALPHA = '/am/json/realms/root/realms/alpha';

function publicJwks(): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] });
}

describe('managed/svcacct _fields', () => {
  it('_fields=* returns every field (frodo reads the account name this way); a list keeps _id/_rev and the fields', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:idm:*']);
    const sa = (await call(emu, 'dev', 'GET', '/__emulator/credentials')).body.environments.dev.serviceAccounts[0];
    let res = await call(emu, 'dev', 'GET', `/openidm/managed/svcacct/${sa.id}?_fields=*`, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ _id: sa.id, name: sa.name, scopes: sa.scopes, accountStatus: 'Active', jwks: expect.any(String) });
    res = await call(emu, 'dev', 'GET', `/openidm/managed/svcacct/${sa.id}?_fields=name,/scopes`, { token });
    expect(res.body).toEqual({ _id: sa.id, _rev: expect.any(String), name: sa.name, scopes: sa.scopes });
    res = await call(emu, 'dev', 'GET', `/openidm/managed/svcacct?_queryFilter=true&_fields=*`, { token });
    expect(res.body.result.find((r: any) => r._id === sa.id)).toMatchObject({ name: sa.name, scopes: sa.scopes });
  });

  it('accepts accountStatus "active" as frodo onboarding sends it, stores it as sent, and the account gets tokens', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:idm:*']);
    const created = await call(emu, 'dev', 'POST', '/openidm/managed/svcacct?_action=create', { token, body: { name: 'Frodo-SA-1', description: 'x', accountStatus: 'active', scopes: ['fr:idm:*'], jwks: publicJwks() } });
    expect(created.status).toBe(201);
    expect(created.body.accountStatus).toBe('active');
    // the account is active: the control plane mints for it and the token is accepted
    const saToken = await aicToken(emu, 'dev', ['fr:idm:*'], created.body._id);
    expect((await call(emu, 'dev', 'GET', `/openidm/managed/svcacct/${created.body._id}?_fields=*`, { token: saToken })).status).toBe(200);
    const bad = await call(emu, 'dev', 'POST', '/openidm/managed/svcacct?_action=create', { token, body: { name: 'x', accountStatus: 'enabled', jwks: publicJwks() } });
    expect(bad.status).toBe(403);
    expect(bad.body).toMatchObject({ code: 403, message: 'Policy validation failed' });
  });
});

describe('AM scripts carry `script` Base64-encoded', () => {
  it('reads Base64, stores decoded, round-trips what was written', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:am:*'], 'sa-scripts');
    const list = await call(emu, 'dev', 'GET', `${ALPHA}/scripts?_queryFilter=true`, { token });
    const first = list.body.result[0];
    expect(Buffer.from(first.script, 'base64').toString('utf8')).toContain('outcome');
    const text = '// hello\noutcome = "true";\n';
    const put = await call(emu, 'dev', 'PUT', `${ALPHA}/scripts/3b2f6836-184c-4ee9-8a1d-557cb01837a5`, { token, body: { name: 'FrodoTestScript3', script: b64(text), language: 'JAVASCRIPT', context: 'AUTHENTICATION_TREE_DECISION_NODE', default: false } });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ script: b64(text), createdBy: 'id=sa-scripts,ou=user,ou=am-config', lastModifiedBy: 'id=sa-scripts,ou=user,ou=am-config', creationDate: expect.any(Number) });
    expect((emu.env('dev')!.state.config as any).am.alpha.scripts['3b2f6836-184c-4ee9-8a1d-557cb01837a5'].script).toBe(text);
    const got = await call(emu, 'dev', 'GET', `${ALPHA}/scripts/3b2f6836-184c-4ee9-8a1d-557cb01837a5`, { token });
    expect(got.body.script).toBe(b64(text));
  });

  it('a script that is not Base64 is refused with 400 and nothing is stored', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:am:*']);
    const res = await call(emu, 'dev', 'PUT', `${ALPHA}/scripts/not-b64`, { token, body: { name: 'x', script: 'outcome = "true";' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, reason: 'Bad Request' });
    expect((await call(emu, 'dev', 'GET', `${ALPHA}/scripts/not-b64`, { token })).status).toBe(404);
  });

  it('the ESV delete guard sees references inside a Base64-imported script', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:am:*', 'fr:idc:esv:*']);
    expect((await call(emu, 'dev', 'PUT', '/environment/variables/esv-guarded', { token, body: { valueBase64: b64('v'), expressionType: 'string' } })).status).toBe(200);
    const put = await call(emu, 'dev', 'PUT', `${ALPHA}/scripts/guard-test`, { token, body: { name: 'Guard', script: b64('var x = systemEnv.getProperty("esv.guarded");') } });
    expect(put.status).toBe(201);
    const del = await call(emu, 'dev', 'DELETE', '/environment/variables/esv-guarded', { token });
    expect(del.status).toBe(400);
    expect(del.body.message).toContain('esv.guarded by the script at /am/alpha/scripts/guard-test/script');
  });
});

describe('environment info and service-account scopes', () => {
  it('GET /environment/info: dev is mutable, upper environments are immutable, locked follows the promotion lock', async () => {
    const emu = testEmulator();
    const dev = await call(emu, 'dev', 'GET', '/environment/info', { token: await aicToken(emu, 'dev', ['fr:am:*']) });
    expect(dev.status).toBe(200);
    expect(dev.body).toMatchObject({ immutable: false, locked: false, tier: 'dev', config_promotion_done: false, placeholder_management: 'CUSTOMER', region: expect.any(String) });
    const stagingToken = await aicToken(emu, 'staging', ['fr:idc:promotion:*']);
    expect((await call(emu, 'staging', 'GET', '/environment/info', { token: stagingToken })).body).toMatchObject({ immutable: true, locked: false });
    expect((await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token: stagingToken })).status).toBe(200);
    expect((await call(emu, 'staging', 'GET', '/environment/info', { token: stagingToken })).body.locked).toBe(true);
    expect((await call(emu, 'dev', 'GET', '/environment/info')).status).toBe(401);
  });

  it('GET /environment/scopes/service-accounts: the scope tree, with a token or a tenant admin session', async () => {
    const snap = (await call(testEmulator(), 'dev', 'GET', '/__emulator/snapshot')).body;
    const admin = snap.aic.environments[0].tenantAdmins[0];
    const emu = testEmulator({ fixture: snap });
    expect((await call(emu, 'dev', 'GET', '/environment/scopes/service-accounts')).status).toBe(401);
    const tokenId = (await call(emu, 'dev', 'POST', '/am/json/realms/root/authenticate', { headers: { 'x-openam-username': admin.username, 'x-openam-password': admin.password, 'content-type': 'application/json' } })).body.tokenId;
    const res = await call(emu, 'dev', 'GET', '/environment/scopes/service-accounts', { headers: { cookie: `iPlanetDirectoryPro=${tokenId}` } });
    expect(res.status).toBe(200);
    const esv = res.body.find((s: any) => s.scope === 'fr:idc:esv:*');
    expect(esv.childScopes.map((s: any) => s.scope)).toEqual(['fr:idc:esv:read', 'fr:idc:esv:update', 'fr:idc:esv:restart']);
    expect(res.body.map((s: any) => s.scope)).toEqual(expect.arrayContaining(['fr:am:*', 'fr:idm:*', 'fr:iga:*', 'fr:idc:promotion:*']));
  });
});

describe('realms', () => {
  it('lists the tenant realms as recorded (ids are the Base64 realm paths)', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:am:*']);
    const res = await call(emu, 'dev', 'GET', '/am/json/global-config/realms/?_queryFilter=true', { token });
    expect(res.status).toBe(200);
    expect(res.body.result).toEqual([
      { _id: 'L2FscGhh', _rev: expect.any(String), parentPath: '/', active: true, name: 'alpha', aliases: [] },
      { _id: 'L2JyYXZv', _rev: expect.any(String), parentPath: '/', active: true, name: 'bravo', aliases: [] },
    ]);
    const upd = await call(emu, 'dev', 'PUT', '/am/json/global-config/realms/L2JyYXZv', { token, body: { aliases: ['b.example.com'] } });
    expect(upd.body.aliases).toEqual(['b.example.com']);
    expect((await call(emu, 'dev', 'GET', '/am/json/global-config/realms/L2JyYXZv', { token })).body.aliases).toEqual(['b.example.com']);
    expect((await call(emu, 'dev', 'GET', '/am/json/global-config/realms/L25vcGU=', { token })).status).toBe(404);
  });

  it('a realm the tenant does not have answers 404 and stores nothing (issue 19 item 9)', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:am:*']);
    const res = await call(emu, 'dev', 'PUT', '/am/json/realms/root/realms/0/scripts/x', { token, body: { name: 'x', script: b64('y') } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 404, reason: 'Not Found', message: 'Realm "/0" not found' });
    expect((emu.env('dev')!.state.config as any).am['0']).toBeUndefined();
    expect((await call(emu, 'dev', 'GET', '/am/json/realms/root/realms/bravo/scripts?_queryFilter=true', { token })).status).toBe(200);
  });
});

describe('_fields=* on the other CREST lists', () => {
  it('IGA request types and governance lists keep every field for `*`', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:iga:*']);
    const all = await call(emu, 'dev', 'GET', '/iga/governance/requestTypes?_pageSize=2', { token });
    const star = await call(emu, 'dev', 'GET', '/iga/governance/requestTypes?_pageSize=2&_fields=*', { token });
    expect(star.status).toBe(200);
    expect(star.body.result).toEqual(all.body.result);
    const one = await call(emu, 'dev', 'GET', '/iga/governance/requestTypes?_pageSize=2&_fields=id', { token });
    expect(Object.keys(one.body.result[0])).toEqual(['id']);
  });
});
