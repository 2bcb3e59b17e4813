// Promotable configuration: IDM config objects (recording iga-certification-templates replayed) and the AM subset.
import { describe, expect, it } from 'vitest';
import { aicToken, call, testEmulator } from './helpers.js';
import { type Exchange, loadRecording } from './shared.js';

const recording = loadRecording('iga-certification-templates.json');
const configExchanges = Object.values(recording).flat().filter((x) => x.path.startsWith('/openidm/config/'));

describe('IDM config', () => {
  it('replays the recorded GET/PUT /openidm/config/emailTemplate/... exchanges', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:idm:*']);
    expect(configExchanges.length).toBeGreaterThan(3);
    // in recorded order, against the default seed (which has the recorded tenant's templates)
    for (const x of configExchanges) {
      const res = await call(emu, 'dev', x.method, x.path, { token, body: x.requestBody ?? undefined });
      expect(res.status, `${x.method} ${x.path}`).toBe(x.status);
      expect(res.body, `${x.method} ${x.path}`).toEqual(x.responseBody);
      expect(res.headers.get('content-type')).toBe(x.responseHeaders['content-type']);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('PUT creates and updates (ids with "/"), DELETE removes, GET 404 in the CREST body, queries list', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'staging', ['fr:idm:*']);
    let res = await call(emu, 'staging', 'GET', '/openidm/config/emailTemplate/nope', { token });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 404, reason: 'Not Found', message: 'No configuration exists for id emailTemplate/nope' });
    res = await call(emu, 'staging', 'PUT', '/openidm/config/ui/dashboard', { token, body: { _id: 'ignored', widgets: [] } });
    expect(res.body).toEqual({ _id: 'ui/dashboard', widgets: [] });
    res = await call(emu, 'staging', 'GET', '/openidm/config', { token, headers: {} });
    expect(res.body.configurations).toContainEqual({ _id: 'ui/dashboard', pid: 'ui/dashboard', factoryPid: 'ui' });
    res = await call(emu, 'staging', 'GET', '/openidm/config?_queryFilter=true', { token });
    expect(res.body).toMatchObject({ resultCount: res.body.result.length, pagedResultsCookie: null, totalPagedResultsPolicy: 'NONE' });
    expect(res.body.result.map((r: any) => r._id)).toContain('managed');
    res = await call(emu, 'staging', 'GET', `/openidm/config?_queryFilter=${encodeURIComponent('_id sw "emailTemplate"')}`, { token });
    expect(res.body.result.every((r: any) => r._id.startsWith('emailTemplate/'))).toBe(true);
    expect((await call(emu, 'staging', 'GET', '/openidm/config?_queryFilter=bogus', { token })).status).toBe(400);
    res = await call(emu, 'staging', 'DELETE', '/openidm/config/ui/dashboard', { token });
    expect(res.body).toEqual({ _id: 'ui/dashboard', widgets: [] });
    expect((await call(emu, 'staging', 'GET', '/openidm/config/ui/dashboard', { token })).status).toBe(404);
    expect((await call(emu, 'staging', 'PUT', '/openidm/config/x', { token, raw: '[1]' })).status).toBe(400);
    expect((await call(emu, 'staging', 'PUT', '/openidm/config/x', { token, raw: '{bad' })).body).toMatchObject({ code: 400, reason: 'Bad Request' });
  });

  it('dev differs from staging by default; staging and prod are identical; placeholders reference ESVs', async () => {
    const emu = testEmulator();
    const t = async (env: string) => aicToken(emu, env, ['fr:idm:*']);
    const dev = await call(emu, 'dev', 'GET', '/openidm/config/emailTemplate/forgottenUsername', { token: await t('dev') });
    expect(dev.body).toMatchObject({ displayName: 'Forgotten Username', from: '&{esv.email.from}' });
    expect((await call(emu, 'staging', 'GET', '/openidm/config/emailTemplate/forgottenUsername', { token: await t('staging') })).status).toBe(404);
    const email = await call(emu, 'staging', 'GET', '/openidm/config/external.email', { token: await t('staging') });
    expect(email.body).toMatchObject({ host: '&{esv.smtp.host}', port: { $int: '&{esv.smtp.port}' } });
    expect(emu.env('staging')!.state.config).toEqual(emu.env('prod')!.state.config);
  });

  it('needs fr:idm:* (401/403)', async () => {
    const emu = testEmulator();
    expect((await call(emu, 'dev', 'GET', '/openidm/config/managed')).status).toBe(401);
    const am = await aicToken(emu, 'dev', ['fr:am:*']);
    expect((await call(emu, 'dev', 'GET', '/openidm/config/managed', { token: am })).status).toBe(403);
  });
});

describe('AM config', () => {
  const base = '/am/json/realms/root/realms/alpha';
  it('scripts, journeys and OAuth2 clients: read, query, create, update, delete', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:am:*']);
    let res = await call(emu, 'dev', 'GET', `${base}/realm-config/authentication/authenticationtrees/trees?_queryFilter=true`, { token });
    expect(res.body.result.map((r: any) => r._id)).toEqual(['Login', 'Registration']);
    res = await call(emu, 'dev', 'GET', `${base}/realm-config/authentication/authenticationtrees/trees/Login`, { token });
    expect(res.body).toMatchObject({ _id: 'Login', enabled: true, entryNodeId: expect.any(String) });
    res = await call(emu, 'dev', 'GET', `${base}/scripts?_queryFilter=true`, { token });
    expect(res.body.result.map((r: any) => r.name).sort()).toEqual(['Check Username', 'Log Login Attempt']);
    res = await call(emu, 'dev', 'PUT', `${base}/realm-config/agents/OAuth2Client/my-spa`, { token, body: { coreOAuth2ClientConfig: { clientType: 'Public' } } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ _id: 'my-spa', coreOAuth2ClientConfig: { clientType: 'Public' } });
    res = await call(emu, 'dev', 'PUT', `${base}/realm-config/agents/OAuth2Client/my-spa`, { token, body: { coreOAuth2ClientConfig: { clientType: 'Confidential' } } });
    expect(res.status).toBe(200);
    res = await call(emu, 'dev', 'DELETE', `${base}/realm-config/agents/OAuth2Client/my-spa`, { token });
    expect(res.status).toBe(200);
    res = await call(emu, 'dev', 'GET', `${base}/realm-config/agents/OAuth2Client/my-spa`, { token });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 404, reason: 'Not Found' });
    // another realm starts empty
    expect((await call(emu, 'dev', 'GET', '/am/json/realms/root/realms/bravo/scripts?_queryFilter=true', { token })).body.resultCount).toBe(0);
  });

  it('_queryFilter uses the CREST grammar on any field (frodo: scripts?_queryFilter=name eq \'<name>\')', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:am:*', 'fr:idm:*']);
    let res = await call(emu, 'dev', 'GET', `${base}/scripts?_queryFilter=${encodeURIComponent("name eq 'Log Login Attempt'")}`, { token });
    expect(res.status).toBe(200);
    expect(res.body.result.map((r: any) => r.name)).toEqual(['Log Login Attempt']);
    res = await call(emu, 'dev', 'GET', `/openidm/config?_queryFilter=${encodeURIComponent('/_id sw "emailTemplate/" and /displayName eq "Forgotten Username"')}`, { token });
    expect(res.status).toBe(200);
    expect(res.body.result.map((r: any) => r._id)).toEqual(['emailTemplate/forgottenUsername']);
    res = await call(emu, 'dev', 'GET', `/openidm/config?_queryFilter=${encodeURIComponent('_id eq "managed" or _id eq "nope"')}`, { token });
    expect(res.body.result.map((r: any) => r._id)).toEqual(['managed']);
    res = await call(emu, 'dev', 'GET', `/openidm/config?_queryFilter=${encodeURIComponent('_id eq')}`, { token });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, reason: 'Bad Request', message: expect.stringContaining('position') });
  });

  it('config writes are audited to the caller', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:am:*', 'fr:idm:*'], 'sa-config-writer');
    await call(emu, 'dev', 'PUT', `${base}/scripts/abc`, { token, body: { name: 'x', script: Buffer.from('y').toString('base64') } });
    await call(emu, 'dev', 'PUT', '/openidm/config/emailTemplate/welcome', { token, body: { displayName: 'Hi' } });
    const am = emu.env('dev')!.logbook.view('am-config').map((e) => e.payload as any);
    const idm = emu.env('dev')!.logbook.view('idm-config').map((e) => e.payload as any);
    expect(am.at(-1)).toMatchObject({ objectId: 'realms/alpha/scripts/abc', operation: 'CREATE', userId: expect.stringContaining('sa-config-writer') });
    expect(idm.at(-1)).toMatchObject({ objectId: 'emailTemplate/welcome', operation: 'UPDATE', userId: expect.stringContaining('sa-config-writer'), changedFields: expect.arrayContaining(['/displayName']) });
  });
});
