// ESV behaviour through the public HTTP surface (SPEC §2, S4 L1221–2070, issue 4 "Rules").
import { describe, it, expect, beforeEach } from 'vitest';
import { testEmulator, call, aicToken, advance } from './helpers.js';
import type { Emulator } from '../src/emulator.js';
import { esvExists, restartStatus, restartWorkloads } from '../src/aic/esv/service.js';

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const ESV = ['fr:idc:esv:*'];

let emu: Emulator;
let token: string;
beforeEach(async () => {
  emu = testEmulator();
  token = await aicToken(emu, 'dev', ESV, 'sa-esv-tests');
});

const req = (method: string, path: string, body?: unknown, t = token, env = 'dev') => call(emu, env, method, path, { token: t, ...(body !== undefined ? { body } : {}) });
const putVar = (name: string, value: string, expressionType?: string, extra: Record<string, unknown> = {}) =>
  req('PUT', `/environment/variables/${name}`, { valueBase64: b64(value), ...(expressionType ? { expressionType } : {}), ...extra });
const putSecret = (name: string, value: string | Buffer, extra: Record<string, unknown> = {}) => req('PUT', `/environment/secrets/${name}`, { valueBase64: b64(value), ...extra });
const count = async () => (await req('GET', '/environment/count')).body;

describe('default seed', () => {
  it('gives every AIC environment a handful of loaded ESVs, with per-environment values', async () => {
    const values: Record<string, string> = {};
    for (const env of ['dev', 'staging', 'prod']) {
      const t = await aicToken(emu, env, ESV);
      const vars = await call(emu, env, 'GET', '/environment/variables', { token: t });
      const secrets = await call(emu, env, 'GET', '/environment/secrets', { token: t });
      const ids = vars.body.result.map((v: any) => v._id);
      expect(ids).toEqual(expect.arrayContaining(['esv-smtp-host', 'esv-smtp-port', 'esv-ldap-url']));
      expect(secrets.body.result.map((s: any) => s._id)).toEqual(expect.arrayContaining(['esv-idm-admin-password', 'esv-smtp-password']));
      expect(vars.body.result.every((v: any) => v.loaded)).toBe(true);
      expect([...ids].sort()).toEqual(ids); // sorted by _id
      values[env] = vars.body.result.find((v: any) => v._id === 'esv-smtp-host').valueBase64;
    }
    expect(new Set(Object.values(values)).size).toBe(3);
  });

  it('the default config references default ESVs, so they cannot be deleted', async () => {
    const res = await req('DELETE', '/environment/variables/esv-smtp-host');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 400, message: expect.stringContaining('&{esv.smtp.host}') });
    expect((await req('GET', '/environment/variables/esv-smtp-host')).status).toBe(200);
    const secret = await req('DELETE', '/environment/secrets/esv-idm-admin-password');
    expect(secret.status).toBe(400);
    expect(secret.body.message).toContain('&{esv.idm.admin.password}');
    // a script mentioning it (S4 L1776–1800: systemEnv/identityServer.getProperty, comments included) also blocks
    const config = emu.env('dev')!.state.config as any;
    const scripts = config.am.alpha.scripts;
    const id = Object.keys(scripts)[0]!;
    const original = scripts[id].script;
    scripts[id].script = `${original}\n// origins: systemEnv.getProperty("esv.cors.accepted.origins")`;
    const blocked = await req('DELETE', '/environment/variables/esv-cors-accepted-origins');
    expect(blocked.status).toBe(400);
    expect(blocked.body.message).toContain(`esv.cors.accepted.origins by the script at /am/alpha/scripts/${id}/script`);
    // a longer name sharing the prefix is not a reference
    scripts[id].script = `${original}\n// systemEnv.getProperty("esv.cors.accepted.origins.extra")`;
    expect((await req('DELETE', '/environment/variables/esv-cors-accepted-origins')).status).toBe(200);
  });
});

describe('variables', () => {
  it('creates with the principal as lastChangedBy, nanosecond stamp on write, microseconds on read', async () => {
    const res = await putVar('esv-new-var', 'hello', 'string', { description: 'd' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(Object.keys(res.body)).toEqual(['_id', 'description', 'expressionType', 'lastChangeDate', 'lastChangedBy', 'loaded', 'valueBase64']);
    expect(res.body).toMatchObject({ _id: 'esv-new-var', description: 'd', expressionType: 'string', lastChangedBy: 'sa-esv-tests', loaded: false, valueBase64: b64('hello') });
    expect(res.body.lastChangeDate).toMatch(/^2026-11-23T12:00:00\.\d{4,9}Z$/);
    const read = await req('GET', '/environment/variables/esv-new-var');
    expect(read.body.lastChangeDate).toMatch(/^2026-11-23T12:00:00\.\d{1,6}Z$/);
    expect(res.body.lastChangeDate.startsWith(read.body.lastChangeDate.slice(0, -1))).toBe(true);
  });

  it('refuses names without the esv- prefix, with other characters or longer than 124, and stores nothing', async () => {
    const before = await count();
    for (const name of ['my-var', 'esv-has.dot', 'esv-has%20space', 'ESV-upper', `esv-${'a'.repeat(121)}`]) {
      const res = await putVar(name, 'x', 'string');
      expect(res.status, name).toBe(400);
      expect(res.body).toEqual({ code: 400, message: expect.stringContaining('esv-') });
    }
    expect(await count()).toEqual(before);
    expect((await putVar(`esv-${'a'.repeat(120)}`, 'x', 'string')).status).toBe(200); // 124 exactly
    expect((await putVar('esv-Mixed_Case-1', 'x', 'string')).status).toBe(200);
  });

  it('requires expressionType on creation (recorded message) and keeps it immutable', async () => {
    const res = await putVar('esv-typed', '1');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 400, message: 'Variable type required; expressionType cannot be empty when creating new variables' });
    expect((await req('GET', '/environment/variables/esv-typed')).status).toBe(404);
    expect((await putVar('esv-typed', '1', 'int')).status).toBe(200);
    const change = await putVar('esv-typed', '2', 'string');
    expect(change.status).toBe(400);
    expect(change.body).toEqual({ code: 400, message: 'Changing the type of an existing variable is not permitted' });
    // omitted on update: kept (and the value is still checked against it)
    const upd = await putVar('esv-typed', '2');
    expect(upd.status).toBe(200);
    expect(upd.body.expressionType).toBe('int');
    expect((await putVar('esv-typed', 'two')).status).toBe(400);
    expect((await req('GET', '/environment/variables/esv-typed')).body.valueBase64).toBe(b64('2'));
  });

  it('parses the decoded value as its expressionType', async () => {
    const ok: Array<[string, string]> = [
      ['int', '12345'], ['int', '-7'], ['number', '123.45'], ['number', '1e3'], ['bool', 'false'], ['bool', 'TRUE'],
      ['array', '["one",2]'], ['object', '{ "a": [{ "b": { "c": 3 } }] }'], ['list', 'one,two,three'],
      ['keyvaluelist', '{"k1":"v1","k2":"v2"}'], ['string', 'anything at all'],
    ];
    const bad: Array<[string, string]> = [
      ['int', '12.5'], ['int', 'abc'], ['int', '99999999999'], ['number', 'NaN'], ['bool', 'yes'], ['array', '{"a":1}'],
      ['array', 'not json'], ['object', '[1,2]'], ['object', '"str"'], ['keyvaluelist', '[1]'], ['keyvaluelist', '{"k":{"nested":1}}'],
    ];
    for (const [i, [type, value]] of ok.entries()) expect((await putVar(`esv-ok-${i}`, value, type)).status, `${type} ${value}`).toBe(200);
    for (const [i, [type, value]] of bad.entries()) {
      const res = await putVar(`esv-bad-${i}`, value, type);
      expect(res.status, `${type} ${value}`).toBe(400);
      expect(res.body.message).toContain(`expressionType ${type}`);
    }
    expect((await putVar('esv-bad-type', 'x', 'float')).status).toBe(400);
  });

  it('requires valid base64 and at most 65535 decoded bytes', async () => {
    for (const valueBase64 of ['not base64!', 'abc', 'YWJj=', 'YW-j']) {
      const res = await req('PUT', '/environment/variables/esv-b64', { valueBase64, expressionType: 'string' });
      expect(res.status, valueBase64).toBe(400);
      expect(res.body).toEqual({ code: 400, message: expect.stringMatching(/base64/) });
    }
    expect((await req('PUT', '/environment/variables/esv-b64', { expressionType: 'string' })).status).toBe(400);
    const big = await req('PUT', '/environment/variables/esv-big', { valueBase64: b64(Buffer.alloc(65536, 97)), expressionType: 'string' });
    expect(big.status).toBe(400);
    expect(big.body.message).toContain('65535');
    expect((await req('PUT', '/environment/variables/esv-big', { valueBase64: b64(Buffer.alloc(65535, 97)), expressionType: 'string' })).status).toBe(200);
  });

  it('setDescription answers 200 with no body; unknown variables 404 with the recorded message', async () => {
    const res = await req('POST', '/environment/variables/esv-smtp-host?_action=setDescription', { description: 'new' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers.get('content-type')).toBeNull();
    const v = (await req('GET', '/environment/variables/esv-smtp-host')).body;
    expect(v.description).toBe('new');
    expect(v.lastChangedBy).toBe('sa-esv-tests');
    for (const [m, p] of [['GET', ''], ['DELETE', ''], ['POST', '?_action=setDescription']]) {
      const r = await req(m!, `/environment/variables/esv-nope${p}`, m === 'POST' ? { description: 'x' } : undefined);
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ code: 404, message: 'The variable does not exist' });
    }
    expect((await req('POST', '/environment/variables/esv-smtp-host?_action=bogus', {})).status).toBe(400);
  });

  it('malformed JSON gets the environment API error body', async () => {
    const res = await call(emu, 'dev', 'PUT', '/environment/variables/esv-x', { token, raw: '{"valueBase64":' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 400, message: expect.any(String) });
  });
});

describe('secrets and versions', () => {
  it('creates version 1 enabled, never returns a value, refuses a second PUT', async () => {
    const res = await putSecret('esv-api-key', 's3cr3t-value', { description: 'key' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['_id', 'activeVersion', 'description', 'encoding', 'lastChangeDate', 'lastChangedBy', 'loaded', 'loadedVersion', 'useInPlaceholders']);
    expect(res.body).toMatchObject({ activeVersion: '1', encoding: 'generic', loaded: false, loadedVersion: '', useInPlaceholders: true, lastChangedBy: 'sa-esv-tests' });
    const versions = await req('GET', '/environment/secrets/esv-api-key/versions');
    expect(versions.body).toEqual([{ createDate: expect.stringMatching(/^2026-11-23T12:00:00/), loaded: false, status: 'ENABLED', version: '1' }]);
    const again = await putSecret('esv-api-key', 'other');
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ code: 400, message: 'Failed to create secret, the secret already exists' });
    for (const path of ['/environment/secrets', '/environment/secrets/esv-api-key', '/environment/secrets/esv-api-key/versions', '/environment/secrets/esv-api-key/versions/1']) {
      const r = await req('GET', path);
      expect(r.text).not.toContain(b64('s3cr3t-value'));
      expect(r.text).not.toContain('valueBase64');
    }
  });

  it('useInPlaceholders=false secrets are loaded at once (recording esv-secrets)', async () => {
    const key = b64(Buffer.alloc(32, 7));
    const res = await putSecret('esv-hmac', key, { encoding: 'base64hmac', useInPlaceholders: false });
    expect(res.body).toMatchObject({ loaded: true, loadedVersion: '1', useInPlaceholders: false });
    await req('POST', '/environment/secrets/esv-hmac/versions?_action=create', { valueBase64: b64(b64(Buffer.alloc(32, 8))) });
    expect((await req('GET', '/environment/secrets/esv-hmac')).body).toMatchObject({ activeVersion: '2', loaded: true, loadedVersion: '2' });
  });

  it('validates encodings', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2Vy\n-----END CERTIFICATE-----\n';
    expect((await putSecret('esv-pem-ok', pem, { encoding: 'pem' })).status).toBe(200);
    expect((await putSecret('esv-pem-bad', 'not a pem', { encoding: 'pem' })).status).toBe(400);
    expect((await putSecret('esv-aes-ok', b64(Buffer.alloc(16, 1)), { encoding: 'base64aes' })).status).toBe(200);
    expect((await putSecret('esv-aes-256', b64(Buffer.alloc(32, 1)), { encoding: 'base64aes' })).status).toBe(200);
    const short = await putSecret('esv-aes-bad', b64(Buffer.alloc(10, 1)), { encoding: 'base64aes' });
    expect(short.status).toBe(400);
    expect(short.body.message).toContain('AES');
    expect((await putSecret('esv-hmac-bad', '%%%', { encoding: 'base64hmac' })).status).toBe(400);
    expect((await putSecret('esv-enc-bad', 'x', { encoding: 'rot13' })).status).toBe(400);
    expect((await putSecret('esv-empty', '')).status).toBe(400);
    expect((await req('GET', '/environment/secrets/esv-pem-bad')).status).toBe(404);
  });

  it('version rules of S4 L1447–1457', async () => {
    await putSecret('esv-rot', 'v1');
    const v = (n: string) => `/environment/secrets/esv-rot/versions${n}`;
    // a new value must differ from the latest
    const same = await req('POST', v('?_action=create'), { valueBase64: b64('v1') });
    expect(same.status).toBe(400);
    const v2 = await req('POST', v('?_action=create'), { valueBase64: b64('v2') });
    expect(v2.body).toEqual({ createDate: expect.any(String), loaded: false, status: 'ENABLED', version: '2' });
    expect((await req('POST', v('?_action=create'), { valueBase64: b64('v3') })).body.version).toBe('3');
    // the latest cannot be disabled
    const disableLatest = await req('POST', v('/3?_action=changestatus'), { status: 'DISABLED' });
    expect(disableLatest.body).toEqual({ code: 400, message: 'Cannot disable latest secret version' });
    expect((await req('POST', v('/2?_action=changestatus'), { status: 'DESTROYED' })).status).toBe(400);
    expect((await req('POST', v('/2?_action=changestatus'), { status: 'BOGUS' })).status).toBe(400);
    expect((await req('POST', v('/2?_action=changestatus'), { status: 'DISABLED' })).body.status).toBe('DISABLED');
    // the latest cannot be deleted while the previous is disabled
    const delLatest = await req('DELETE', v('/3'));
    expect(delLatest.status).toBe(400);
    expect((await req('GET', v('/3'))).body.status).toBe('ENABLED');
    expect((await req('POST', v('/2?_action=changestatus'), { status: 'ENABLED' })).body.status).toBe('ENABLED');
    // now it can: DESTROYED, and the active version falls back
    const del = await req('DELETE', v('/3'));
    expect(del.status).toBe(200);
    expect(del.body.status).toBe('DESTROYED');
    expect((await req('GET', '/environment/secrets/esv-rot')).body.activeVersion).toBe('2');
    expect((await req('POST', v('/3?_action=changestatus'), { status: 'ENABLED' })).status).toBe(400);
    expect((await req('DELETE', v('/3'))).status).toBe(400);
    // numbering continues after destroyed versions; list newest first
    expect((await req('POST', v('?_action=create'), { valueBase64: b64('v4') })).body.version).toBe('4');
    expect((await req('GET', v(''))).body.map((x: any) => `${x.version}:${x.status}`)).toEqual(['4:ENABLED', '3:DESTROYED', '2:ENABLED', '1:ENABLED']);
    // the only live version cannot go
    await putSecret('esv-single', 'x');
    expect((await req('DELETE', '/environment/secrets/esv-single/versions/1')).status).toBe(400);
    // missing secret / version
    expect((await req('GET', '/environment/secrets/esv-rot/versions/99')).status).toBe(404);
    expect((await req('POST', '/environment/secrets/esv-nope/versions?_action=create', { valueBase64: b64('x') })).body).toEqual({ code: 404, message: 'Failed to create secret version' });
  });

  it('setDescription and delete', async () => {
    await putSecret('esv-tmp', 'x');
    const d = await req('POST', '/environment/secrets/esv-tmp?_action=setDescription', { description: 'updated' });
    expect(d.status).toBe(200);
    expect(d.text).toBe('');
    expect((await req('GET', '/environment/secrets/esv-tmp')).body.description).toBe('updated');
    const del = await req('DELETE', '/environment/secrets/esv-tmp');
    expect(del.body._id).toBe('esv-tmp');
    expect((await req('GET', '/environment/secrets/esv-tmp')).body).toEqual({ code: 404, message: 'The secret does not exist or does not have a version' });
  });
});

describe('lists and count', () => {
  it('pages with _pageSize and _pagedResultsCookie, counts on request, filters with _queryFilter', async () => {
    const all = await req('GET', '/environment/variables');
    expect(Object.keys(all.body)).toEqual(['pagedResultsCookie', 'remainingPagedResults', 'result', 'resultCount', 'totalPagedResults', 'totalPagedResultsPolicy']);
    expect(all.body).toMatchObject({ pagedResultsCookie: null, remainingPagedResults: -1, totalPagedResults: -1, totalPagedResultsPolicy: 'NONE' });
    const ids = all.body.result.map((v: any) => v._id);
    const seen: string[] = [];
    let cookie: string | null = null;
    let pages = 0;
    do {
      const res: any = await req('GET', `/environment/variables?_pageSize=3&_totalPagedResultsPolicy=EXACT${cookie ? `&_pagedResultsCookie=${cookie}` : ''}`);
      expect(res.body.resultCount).toBeLessThanOrEqual(3);
      expect(res.body.totalPagedResults).toBe(ids.length);
      seen.push(...res.body.result.map((v: any) => v._id));
      cookie = res.body.pagedResultsCookie;
      pages++;
    } while (cookie);
    expect(seen).toEqual(ids);
    expect(pages).toBe(Math.ceil(ids.length / 3));
    const filtered = await req('GET', `/environment/variables?_queryFilter=${encodeURIComponent('_id sw "esv-smtp" and expressionType eq "int"')}`);
    expect(filtered.body.result.map((v: any) => v._id)).toEqual(['esv-smtp-port']);
    const secrets = await req('GET', `/environment/secrets?_queryFilter=${encodeURIComponent('useInPlaceholders eq false')}`);
    expect(secrets.body.result.map((s: any) => s._id)).toEqual(['esv-oauth2-signing-key']);
    const bad = await req('GET', '/environment/variables?_queryFilter=_id%20eq');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body)).toEqual(['code', 'message']);
    expect((await req('GET', '/environment/variables?_pageSize=-1')).status).toBe(400);
    expect((await req('GET', '/environment/variables?_pageSize=2&_pagedResultsCookie=garbage')).status).toBe(400);
  });

  it('count follows creates and deletes', async () => {
    const before = await count();
    await putVar('esv-c1', 'x', 'string');
    await putSecret('esv-c2', 'x');
    expect(await count()).toEqual({ secrets: before.secrets + 1, variables: before.variables + 1 });
    await req('DELETE', '/environment/variables/esv-c1');
    expect(await count()).toEqual({ secrets: before.secrets + 1, variables: before.variables });
  });
});

describe('restart', () => {
  it('is asynchronous on the clock; only then are changes loaded', async () => {
    expect((await req('GET', '/environment/count?_onlyPending=true')).body).toEqual({ secrets: 0, variables: 0 });
    await putVar('esv-smtp-port', '2525');
    await req('POST', '/environment/secrets/esv-smtp-password/versions?_action=create', { valueBase64: b64('rotated') });
    await req('POST', '/environment/secrets/esv-oauth2-signing-key/versions?_action=create', { valueBase64: b64(b64(Buffer.alloc(32, 9))) });
    // pending = waiting for a restart (useInPlaceholders=false secrets never are)
    expect((await req('GET', '/environment/count?_onlyPending=true')).body).toEqual({ secrets: 1, variables: 1 });
    expect((await req('GET', '/environment/variables?_onlyPending=true')).body.result.map((v: any) => v._id)).toEqual(['esv-smtp-port']);
    expect((await req('GET', '/environment/secrets?_onlyPending=true')).body.result.map((x: any) => x._id)).toEqual(['esv-smtp-password']);
    expect((await req('GET', '/environment/variables/esv-smtp-port')).body.loaded).toBe(false);
    expect((await req('GET', '/environment/secrets/esv-smtp-password')).body).toMatchObject({ activeVersion: '2', loaded: false, loadedVersion: '1' });
    expect((await req('GET', '/environment/startup')).body).toEqual({ restartStatus: 'ready' });
    const r = await req('POST', '/environment/startup?_action=restart');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ restartStatus: 'restarting' });
    // a second restart while restarting is refused, so are ESV changes; reads keep working
    const again = await req('POST', '/environment/startup?_action=restart');
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ code: 400, message: 'Restart already in progress' });
    expect((await putVar('esv-smtp-port', '25')).status).toBe(400);
    await advance(emu, 9_000);
    expect((await req('GET', '/environment/startup')).body.restartStatus).toBe('restarting');
    await advance(emu, 1_000);
    expect((await req('GET', '/environment/startup')).body.restartStatus).toBe('ready');
    expect((await req('GET', '/environment/variables/esv-smtp-port')).body.loaded).toBe(true);
    const s = (await req('GET', '/environment/secrets/esv-smtp-password')).body;
    expect(s).toMatchObject({ activeVersion: '2', loaded: true, loadedVersion: '2' });
    const versions = (await req('GET', '/environment/secrets/esv-smtp-password/versions')).body;
    expect(versions.map((v: any) => v.loaded)).toEqual([true, false]);
    expect((await req('GET', '/environment/count?_onlyPending=true')).body).toEqual({ secrets: 0, variables: 0 });
  });

  it('restartWorkloads / restartStatus for promotion use the same restart', async () => {
    const env = emu.env('staging')!;
    expect(restartStatus(env)).toBe('ready');
    restartWorkloads(env);
    restartWorkloads(env); // no-op while one runs
    expect(restartStatus(env)).toBe('restarting');
    const t = await aicToken(emu, 'staging', ESV);
    expect((await call(emu, 'staging', 'GET', '/environment/startup', { token: t })).body.restartStatus).toBe('restarting');
    await advance(emu, 10_000);
    expect(restartStatus(env)).toBe('ready');
  });

  it('a snapshot taken mid-restart resumes and finishes', async () => {
    await req('POST', '/environment/startup?_action=restart');
    const snap = JSON.parse(JSON.stringify(emu.snapshot()));
    const other = testEmulator({ fixture: snap });
    const t = await aicToken(other, 'dev', ESV);
    expect((await call(other, 'dev', 'GET', '/environment/startup', { token: t })).body.restartStatus).toBe('restarting');
    await advance(other, 10_000);
    expect((await call(other, 'dev', 'GET', '/environment/startup', { token: t })).body.restartStatus).toBe('ready');
  });
});

describe('scopes, lock, audit, release, legacy names', () => {
  it('read, update and restart scopes; :* and the deprecated fr:idm:* imply them', async () => {
    const read = await aicToken(emu, 'dev', ['fr:idc:esv:read']);
    const update = await aicToken(emu, 'dev', ['fr:idc:esv:update']);
    const restart = await aicToken(emu, 'dev', ['fr:idc:esv:restart']);
    const idm = await aicToken(emu, 'dev', ['fr:idm:*']);
    const other = await aicToken(emu, 'dev', ['fr:am:*']);
    expect((await req('GET', '/environment/variables', undefined, read)).status).toBe(200);
    expect((await req('GET', '/environment/count', undefined, read)).status).toBe(200);
    expect((await req('PUT', '/environment/variables/esv-b', { valueBase64: b64('x'), expressionType: 'string' }, read)).status).toBe(403);
    expect((await req('PUT', '/environment/variables/esv-b', { valueBase64: b64('x'), expressionType: 'string' }, update)).status).toBe(200);
    expect((await req('GET', '/environment/variables', undefined, update)).status).toBe(403);
    expect((await req('POST', '/environment/startup?_action=restart', undefined, update)).status).toBe(403);
    expect((await req('GET', '/environment/variables', undefined, idm)).status).toBe(200);
    expect((await req('GET', '/environment/variables', undefined, other)).status).toBe(403);
    expect((await call(emu, 'dev', 'GET', '/environment/variables')).status).toBe(401);
    expect((await req('POST', '/environment/startup?_action=restart', undefined, restart)).status).toBe(200);
  });

  it('a promotion lock blocks the ESV API, reads included', async () => {
    const promo = await aicToken(emu, 'staging', ['fr:idc:promotion:*']);
    const lock = await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token: promo });
    expect(lock.status).toBeLessThan(300);
    for (const [m, p] of [['GET', '/environment/variables'], ['GET', '/environment/secrets/esv-smtp-password'], ['GET', '/environment/count'], ['POST', '/environment/startup?_action=restart']]) {
      const res = await req(m!, p!);
      expect(res.status, `${m} ${p}`).toBe(409);
      expect(res.body).toEqual({ code: 409, message: expect.stringContaining('locked') });
    }
    expect((await putVar('esv-while-locked', 'x', 'string')).status).toBe(409);
    // release is not an ESV endpoint
    const rel = await aicToken(emu, 'dev', ['fr:idc:release:*']);
    expect((await req('GET', '/environment/release', undefined, rel)).status).toBe(200);
  });

  it('every write is an activity entry with the transaction id and the principal', async () => {
    const res = await call(emu, 'dev', 'PUT', '/environment/variables/esv-audited', { token, headers: { 'x-forgerock-transactionid': 'tx-esv-1' }, body: { valueBase64: b64('1'), expressionType: 'int' } });
    expect(res.headers.get('x-forgerock-transactionid')).toBe('tx-esv-1');
    const entries = emu.env('dev')!.logbook.view('idm-activity').filter((e: any) => String(e.payload.transactionId).startsWith('tx-esv-1'));
    expect(entries).toHaveLength(1);
    expect(entries[0]!.payload).toMatchObject({ objectId: 'environment/variables/esv-audited', operation: 'CREATE', userId: 'sa-esv-tests' });
  });

  it('GET /environment/release needs fr:idc:release:*', async () => {
    const rel = await aicToken(emu, 'dev', ['fr:idc:release:*']);
    const res = await req('GET', '/environment/release', undefined, rel);
    expect(res.body).toEqual({ currentVersion: '14467.0' });
    expect((await req('GET', '/environment/release')).status).toBe(403);
  });

  it('works without Accept-API-Version and with the recorded ones', async () => {
    for (const v of [undefined, 'protocol=1.0,resource=1.0', 'resource=2.0', 'protocol=1.0;resource=1.0']) {
      const res = await call(emu, 'dev', 'GET', '/environment/count', { token, headers: v ? { 'accept-api-version': v } : {} });
      expect(res.status).toBe(200);
    }
  });

  it('esv-<hash>-<name> also exists as byos-<hash>-<name> (S4 L1551–1566)', async () => {
    const env = emu.env('dev')!;
    expect(esvExists(env, 'byos-7765622105-myvariable')).toBe(false);
    await putVar('esv-7765622105-myvariable', 'x', 'string');
    expect(esvExists(env, 'esv-7765622105-myvariable')).toBe(true);
    expect(esvExists(env, 'byos-7765622105-myvariable')).toBe(true);
    expect(esvExists(env, 'byos-smtp-host')).toBe(false);
    await putVar('esv-3d06f2834c-tenanturl', 'x', 'string');
    expect(esvExists(env, 'byos-3d06f2834c-tenanturl')).toBe(true);
    await putVar('esv-12345-short', 'x', 'string');
    expect(esvExists(env, 'byos-12345-short')).toBe(false);
    await req('DELETE', '/environment/variables/esv-7765622105-myvariable');
    expect(esvExists(env, 'byos-7765622105-myvariable')).toBe(false);
  });
});

describe('control plane', () => {
  it('reads what a secret holds and the restart state', async () => {
    await putSecret('esv-pipeline', 'first');
    await req('POST', '/environment/secrets/esv-pipeline/versions?_action=create', { valueBase64: b64('second') });
    const active = await call(emu, 'staging', 'GET', '/__emulator/esv/secrets/esv-pipeline/value?env=dev');
    expect(active.body).toEqual({ env: 'dev', _id: 'esv-pipeline', version: '2', status: 'ENABLED', valueBase64: b64('second'), value: 'second' });
    expect((await call(emu, 'dev', 'GET', '/__emulator/esv/secrets/esv-pipeline/value?version=1')).body.value).toBe('first');
    expect((await call(emu, 'dev', 'GET', '/__emulator/esv/secrets/esv-nope/value')).status).toBe(404);
    await req('POST', '/environment/startup?_action=restart');
    const r = await call(emu, 'dev', 'GET', '/__emulator/esv/restart?env=dev');
    expect(r.body).toEqual({ env: 'dev', restartStatus: 'restarting', startedAt: '2026-11-23T12:00:00.000Z', completesAt: '2026-11-23T12:00:10.000Z', durationMs: 10000 });
  });
});

describe('fixture', () => {
  it('declares ESVs per environment; the snapshot keeps secret values and round-trips', async () => {
    const fixture = {
      aic: {
        environments: [
          {
            name: 'dev',
            esv: {
              variables: [{ _id: 'esv-plain', value: 'hello', expressionType: 'string' }],
              secrets: [{ _id: 'esv-pw', value: 'pw1', loaded: false }],
              restart: { durationMs: 60_000 },
            },
          },
        ],
      },
    };
    const e = testEmulator({ fixture });
    const t = await aicToken(e, 'dev', ESV);
    const vars = await call(e, 'dev', 'GET', '/environment/variables', { token: t });
    expect(vars.body.result).toEqual([expect.objectContaining({ _id: 'esv-plain', valueBase64: b64('hello'), loaded: true })]);
    expect((await call(e, 'dev', 'GET', '/environment/secrets/esv-pw', { token: t })).body).toMatchObject({ activeVersion: '1', loaded: false, loadedVersion: '' });
    await call(e, 'dev', 'POST', '/environment/startup?_action=restart', { token: t });
    await advance(e, 10_000);
    expect((await call(e, 'dev', 'GET', '/environment/startup', { token: t })).body.restartStatus).toBe('restarting');
    const snap: any = JSON.parse(JSON.stringify(e.snapshot()));
    expect(snap.aic.environments[0].esv.secrets[0].versions[0].valueBase64).toBe(b64('pw1'));
    const again = testEmulator({ fixture: snap });
    expect(JSON.stringify(again.snapshot())).toBe(JSON.stringify(snap));
  });
});
