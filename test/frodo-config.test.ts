// Issue 15 step 2: the configuration surface frodo's export and import touch — journey nodes (page nodes and their
// inner nodes), journey validation, AM services and other realm config, script types, internal roles, the
// connector-server test and the refused script evaluation — all stateful.
import { describe, it, expect } from 'vitest';
import { testEmulator, call, aicToken } from './helpers.js';
import { giveEsv, pollUntil, promoToken } from './promotion.helpers.js';

const NODES = '/am/json/realms/root/realms/alpha/realm-config/authentication/authenticationtrees/nodes';
const TREES = '/am/json/realms/root/realms/alpha/realm-config/authentication/authenticationtrees/trees';
const REALM = '/am/json/realms/root/realms/alpha';

async function am() {
  const emu = testEmulator();
  return { emu, token: await aicToken(emu, 'dev', ['fr:am:*', 'fr:idm:*']) };
}

describe('journey nodes', () => {
  it('PUT creates (201) then replaces (200); reads carry _type, _rev and _outcomes; DELETE removes', async () => {
    const { emu, token } = await am();
    const id = '18ffdd4b-41b7-41b3-8248-f4fdfd68423f';
    let res = await call(emu, 'dev', 'PUT', `${NODES}/ValidatedPasswordNode/${id}`, { token, body: { _id: id, validateInput: false, passwordAttribute: 'password', _type: { _id: 'ValidatedPasswordNode', name: 'Platform Password', collection: true } } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ _id: id, _rev: expect.any(String), validateInput: false, passwordAttribute: 'password', _type: { _id: 'ValidatedPasswordNode', name: 'Platform Password', collection: true, version: '1.0' }, _outcomes: [{ id: 'outcome', displayName: 'Outcome' }] });
    res = await call(emu, 'dev', 'PUT', `${NODES}/ValidatedPasswordNode/${id}`, { token, body: { validateInput: true, passwordAttribute: 'password' } });
    expect(res.status).toBe(200);
    expect((await call(emu, 'dev', 'GET', `${NODES}/ValidatedPasswordNode/${id}`, { token })).body.validateInput).toBe(true);
    // another type at that id is not this node (recording getNode 2: 404 "Not Found")
    expect((await call(emu, 'dev', 'GET', `${NODES}/PageNode/${id}`, { token })).body).toEqual({ code: 404, reason: 'Not Found', message: 'Not Found' });
    expect((await call(emu, 'dev', 'DELETE', `${NODES}/ValidatedPasswordNode/${id}`, { token })).status).toBe(200);
    expect((await call(emu, 'dev', 'GET', `${NODES}/ValidatedPasswordNode/${id}`, { token })).status).toBe(404);
  });

  it('a page node lists its inner nodes and has its last inner node\'s outcomes; a scripted decision node its own', async () => {
    const { emu, token } = await am();
    await call(emu, 'dev', 'PUT', `${NODES}/SelectIdPNode/inner-2`, { token, body: { includeLocalAuthentication: true } });
    const page = await call(emu, 'dev', 'PUT', `${NODES}/PageNode/page-1`, { token, body: { nodes: [{ _id: 'inner-2', nodeType: 'SelectIdPNode', displayName: 'Select IdP' }], pageHeader: {} } });
    expect(page.body._outcomes).toEqual([{ id: 'socialAuthentication', displayName: 'Social Authentication' }, { id: 'localAuthentication', displayName: 'Local Authentication' }]);
    const sdn = await call(emu, 'dev', 'PUT', `${NODES}/ScriptedDecisionNode/sdn-1`, { token, body: { script: 'x', outcomes: ['known', 'unknown'] } });
    expect(sdn.body._outcomes).toEqual([{ id: 'known', displayName: 'known' }, { id: 'unknown', displayName: 'unknown' }]);
    const bad = await call(emu, 'dev', 'PUT', `${NODES}/PageNode/page-2`, { token, body: { nodes: ['not a node'] } });
    expect(bad.status).toBe(400);
    expect((await call(emu, 'dev', 'GET', `${NODES}/PageNode/page-2`, { token })).status).toBe(404);
    const byType = await call(emu, 'dev', 'GET', `${NODES}/PageNode?_queryFilter=true`, { token });
    expect(byType.body.result.map((n: any) => n._id)).toContain('page-1');
    const all = await call(emu, 'dev', 'POST', `${NODES}?_action=nextdescendents`, { token });
    expect(all.body.result.map((n: any) => n._id)).toEqual(expect.arrayContaining(['page-1', 'inner-2', 'sdn-1', 'a1b2c3d4-0001-4000-8000-000000000001']));
    const types = await call(emu, 'dev', 'POST', `${NODES}?_action=getAllTypes`, { token });
    expect(types.body.result.find((t: any) => t._id === 'PageNode')).toMatchObject({ name: 'Page Node', collection: true });
  });

  it('journeys are validated as AM validates them (recording TreeApi/putTree 3–5)', async () => {
    const { emu, token } = await am();
    const base = { description: 'invalid tree def', identityResource: 'managed/alpha_user', uiConfig: { categories: '[]' }, staticNodes: {} };
    let res = await call(emu, 'dev', 'PUT', `${TREES}/Invalid`, { token, body: { ...base, entryNodeId: 'e301438c-0bd0-429c-ab0c-66126501069a', nodes2: {} } });
    expect(res.body).toEqual({ code: 400, reason: 'Bad Request', message: 'Invalid attribute specified.', detail: { validAttributes: ['description', 'enabled', 'entryNodeId', 'identityResource', 'innerTreeOnly', 'nodes', 'staticNodes', 'uiConfig'] } });
    res = await call(emu, 'dev', 'PUT', `${TREES}/Invalid`, { token, body: { ...base, nodes: {} } });
    expect(res.body.message).toBe('Node with ID entryNodeId must exist in the tree.');
    res = await call(emu, 'dev', 'PUT', `${TREES}/Invalid`, { token, body: { ...base, entryNodeId: 'e301438c-0bd0-429c-ab0c-66126501069a', nodes: { invalid: 'bad data' } } });
    expect(res.body.message).toBe('Data validation failed for the attribute, Nodes');
    expect((await call(emu, 'dev', 'GET', `${TREES}/Invalid`, { token })).status).toBe(404);
    res = await call(emu, 'dev', 'PUT', `${TREES}/Valid`, { token, body: { ...base, entryNodeId: 'e301438c-0bd0-429c-ab0c-66126501069a', nodes: {} } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ _id: 'Valid', _rev: expect.any(String) });
  });
});

describe('AM realm and global configuration', () => {
  it('services list by nextdescendents, read and write; cloud-only refusals answer 403', async () => {
    const { emu, token } = await am();
    const list = await call(emu, 'dev', 'POST', `${REALM}/realm-config/services?_action=nextdescendents`, { token });
    expect(list.body.result.map((s: any) => s._id)).toEqual(expect.arrayContaining(['oauth-oidc', 'baseurl', 'selfServiceTrees', 'validation']));
    const svc = await call(emu, 'dev', 'GET', `${REALM}/realm-config/services/validation`, { token });
    expect(svc.body).toMatchObject({ _id: '', _type: { _id: 'validation', name: 'Validation Service', collection: false } });
    const put = await call(emu, 'dev', 'PUT', `${REALM}/realm-config/services/validation`, { token, body: { ...svc.body, validGotoDestinations: ['https://app.example.com/*'] } });
    expect(put.status).toBe(200);
    expect((await call(emu, 'dev', 'GET', `${REALM}/realm-config/services/validation`, { token })).body.validGotoDestinations).toEqual(['https://app.example.com/*']);
    const forbidden = await call(emu, 'dev', 'GET', `${REALM}/realm-config/services/DataStoreService`, { token });
    expect(forbidden.body).toEqual({ code: 403, reason: 'Forbidden', message: 'This operation is not available in PingOne Advanced Identity Cloud.' });
    expect((await call(emu, 'dev', 'GET', '/am/json/realms/root/realm-config/webhooks?_queryFilter=true', { token })).status).toBe(403);
  });

  it('collections hold what was written: webhooks, agents, circles of trust (create twice → 409)', async () => {
    const { emu, token } = await am();
    expect((await call(emu, 'dev', 'GET', `${REALM}/realm-config/webhooks?_queryFilter=true`, { token })).body.result).toEqual([]);
    await call(emu, 'dev', 'PUT', `${REALM}/realm-config/webhooks/hook1`, { token, body: { url: 'https://hooks.example.com' } });
    const hooks = await call(emu, 'dev', 'GET', `${REALM}/realm-config/webhooks?_queryFilter=true`, { token });
    expect(hooks.body.result).toEqual([{ _id: 'hook1', _rev: expect.any(String), url: 'https://hooks.example.com' }]);
    const cot = { _id: 'AzureCOT', trustedProviders: [], status: 'active' };
    expect((await call(emu, 'dev', 'POST', `${REALM}/realm-config/federation/circlesoftrust/?_action=create`, { token, body: cot })).status).toBe(201);
    const again = await call(emu, 'dev', 'POST', `${REALM}/realm-config/federation/circlesoftrust/?_action=create`, { token, body: cot });
    expect(again.body).toEqual({ code: 409, reason: 'Conflict', message: 'Unable to save config: Service already exists' });
    expect((await call(emu, 'dev', 'GET', `${REALM}/realm-config/not-a-thing`, { token })).status).toBe(404);
  });

  it('script types: the recorded contexts, engine configuration (stored when written), bindings', async () => {
    const { emu, token } = await am();
    const types = await call(emu, 'dev', 'GET', '/am/json/global-config/services/scripting/contexts?_queryFilter=true', { token });
    expect(types.body.result.map((t: any) => t._id)).toEqual(expect.arrayContaining(['AUTHENTICATION_TREE_DECISION_NODE', 'LIBRARY', 'OAUTH2_ACCESS_TOKEN_MODIFICATION']));
    const engine = await call(emu, 'dev', 'GET', '/am/json/global-config/services/scripting/contexts/AUTHENTICATION_TREE_DECISION_NODE/engineConfiguration', { token });
    expect(engine.body).toMatchObject({ _id: 'engineConfiguration', propertyNamePrefix: 'esv.' });
    expect((await call(emu, 'dev', 'GET', '/am/json/global-config/services/scripting/contexts/AUTHENTICATION_CLIENT_SIDE/engineConfiguration', { token })).status).toBe(404);
    await call(emu, 'dev', 'PUT', '/am/json/global-config/services/scripting/contexts/AUTHENTICATION_TREE_DECISION_NODE/engineConfiguration', { token, body: { ...engine.body, serverTimeout: 9 } });
    expect((await call(emu, 'dev', 'GET', '/am/json/global-config/services/scripting/contexts/AUTHENTICATION_TREE_DECISION_NODE/engineConfiguration', { token })).body.serverTimeout).toBe(9);
    expect((await call(emu, 'staging', 'GET', '/am/json/global-config/services/scripting/contexts/AUTHENTICATION_TREE_DECISION_NODE/engineConfiguration', { token: await aicToken(emu, 'staging', ['fr:am:*']) })).body.serverTimeout).not.toBe(9);
    expect((await call(emu, 'dev', 'GET', '/am/json/contexts/LIBRARY', { token })).body.bindings.map((b: any) => b.name)).toContain('httpClient');
  });
});

describe('IDM: internal roles, connector servers, script evaluation', () => {
  it('internal roles: query with _fields, create, update, delete', async () => {
    const { emu, token } = await am();
    const q = await call(emu, 'dev', 'GET', '/openidm/internal/role?_queryFilter=true&_pageSize=1000&_fields=condition,description,name,privileges,temporalConstraints', { token });
    expect(q.body.result.find((r: any) => r._id === 'openidm-admin')).toEqual({ _id: 'openidm-admin', _rev: expect.any(String), privileges: [], condition: null, name: 'openidm-admin', description: 'Administrative access', temporalConstraints: [] });
    const created = await call(emu, 'dev', 'PUT', '/openidm/internal/role/helpdesk', { token, body: { name: 'helpdesk', description: 'Help desk', privileges: [{ name: 'users', path: 'managed/alpha_user', actions: [], permissions: ['VIEW'], accessFlags: [] }] } });
    expect(created.status).toBe(201);
    expect((await call(emu, 'dev', 'GET', '/openidm/internal/role/helpdesk?_fields=name', { token })).body).toEqual({ _id: 'helpdesk', _rev: expect.any(String), name: 'helpdesk' });
    expect((await call(emu, 'dev', 'PUT', '/openidm/internal/role/nameless', { token, body: { description: 'x' } })).status).toBe(403);
    expect((await call(emu, 'dev', 'DELETE', '/openidm/internal/role/helpdesk', { token })).status).toBe(200);
    expect((await call(emu, 'dev', 'GET', '/openidm/internal/role/helpdesk', { token })).body).toEqual({ code: 404, reason: 'Not Found', message: 'Object helpdesk not found in internal/role' });
  });

  it('testConnectorServers reports the remote connector clients configured in the connector info provider', async () => {
    const { emu, token } = await am();
    expect((await call(emu, 'dev', 'POST', '/openidm/system?_action=testConnectorServers', { token })).body).toEqual({ openicf: [] });
    const provider = (await call(emu, 'dev', 'GET', '/openidm/config/provisioner.openicf.connectorinfoprovider', { token })).body;
    await call(emu, 'dev', 'PUT', '/openidm/config/provisioner.openicf.connectorinfoprovider', { token, body: { ...provider, remoteConnectorClients: [{ name: 'rcsdocker', enabled: true }, { name: 'rcs2', enabled: false }], remoteConnectorClientsGroups: [{ name: 'rcscluster' }] } });
    expect((await call(emu, 'dev', 'POST', '/openidm/system?_action=testConnectorServers', { token })).body).toEqual({
      openicf: [
        { name: 'rcscluster', type: 'remoteConnectorClientsGroup', ok: true },
        { name: 'rcsdocker', type: 'remoteConnectorClient', ok: true },
        { name: 'rcs2', type: 'remoteConnectorClient', ok: false },
      ],
    });
  });

  it('script evaluation is refused with a CREST 501 body (frodo --include-active-values fails cleanly)', async () => {
    const { emu, token } = await am();
    const res = await call(emu, 'dev', 'POST', '/openidm/script?_action=eval', { token, body: { type: 'text/javascript', source: '1' } });
    expect(res.status).toBe(501);
    expect(res.body).toMatchObject({ code: 501, reason: 'Not Implemented' });
  });
});

describe('promotion carries nodes, realm services and global services', () => {
  it('a node, a service change and a global service written in dev are reported and land in staging', async () => {
    const { emu, token } = await am();
    await call(emu, 'dev', 'PUT', `${NODES}/SetStateNode/5227de7a-02db-4f25-858e-c8d4f0e0b600`, { token, body: { attributes: { errorMessage: 'An error has occurred!' } } });
    const svc = (await call(emu, 'dev', 'GET', `${REALM}/realm-config/services/validation`, { token })).body;
    await call(emu, 'dev', 'PUT', `${REALM}/realm-config/services/validation`, { token, body: { ...svc, validGotoDestinations: ['https://promoted.example.com/*'] } });
    await call(emu, 'dev', 'PUT', '/am/json/global-config/services/CorsService', { token, body: { enabled: false } });
    await giveEsv(emu, 'staging', 'esv-email-from');
    const promo = await promoToken(emu);
    await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token: promo });
    await pollUntil(emu, 'staging', promo, '/environment/promotion/lock/state', (b) => b.result === 'locked');
    await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token: promo, body: { dryRun: false } });
    const done = await pollUntil(emu, 'staging', promo, '/environment/promotion/promote', (b) => b.status !== 'RUNNING');
    expect(done.body.status).toBe('READY');
    const report = (await call(emu, 'staging', 'GET', '/environment/promotion/report', { token: promo })).body.report;
    expect(report.AMConfig).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ configItem: 'Journeys', fileDestinationPattern: 'am/services/realm/root-alpha/authenticationtreesservice/nodes/*.json', configChange: expect.objectContaining({ added: expect.arrayContaining(['5227de7a-02db-4f25-858e-c8d4f0e0b600']) }) }),
        expect.objectContaining({ configItem: 'Services', configChange: { modified: ['realm-config/services/validation'] } }),
        expect.objectContaining({ configItem: 'Global Services', configChange: { modified: ['services/CorsService'] } }),
      ]),
    );
    const staging = await aicToken(emu, 'staging', ['fr:am:*']);
    expect((await call(emu, 'staging', 'GET', `${NODES}/SetStateNode/5227de7a-02db-4f25-858e-c8d4f0e0b600`, { token: staging })).status).toBe(200);
    expect((await call(emu, 'staging', 'GET', `${REALM}/realm-config/services/validation`, { token: staging })).body.validGotoDestinations).toEqual(['https://promoted.example.com/*']);
    expect((await call(emu, 'staging', 'GET', '/am/json/global-config/services/CorsService', { token: staging })).body.enabled).toBe(false);
  });
});
