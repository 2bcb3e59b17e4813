// Issue 15 "done when": the real admin library, @rockcarver/frodo-lib, driven as frodo-cli drives it against the
// emulator over a real listener (frodo needs a host URL): service-account login, the account's name and scopes,
// environment info, ESVs, a script's Base64 round trip, a journey with a page node exported and imported, and a
// full configuration export that reports no error.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createRequire } from 'node:module';
import { testEmulator, call } from './helpers.js';
import { listen } from '../src/server.js';
import type { Emulator } from '../src/emulator.js';

// frodo-lib's ESM build fails ("Dynamic require of util"): load the CommonJS one
const { frodo } = createRequire(import.meta.url)('@rockcarver/frodo-lib') as { frodo: any };

let emu: Emulator;
let closeListener: () => Promise<void>;
let f: any;
let sa: { id: string; name: string; scopes: string[]; privateJwk: unknown };

beforeAll(async () => {
  emu = testEmulator({ port: 0 });
  const l = await listen(emu);
  closeListener = () => l.close();
  const dev = emu.env('dev')!;
  sa = (await call(emu, 'dev', 'GET', '/__emulator/credentials')).body.environments.dev.serviceAccounts.find((s: any) => s.scopes.includes('fr:am:*'));
  f = frodo.createInstanceWithServiceAccount(`${dev.url}/am`, sa.id, JSON.stringify(sa.privateJwk), 'alpha', 'cloud');
  expect(await f.login.getTokens()).toBeTruthy();
}, 60_000);

afterAll(async () => {
  await closeListener?.();
});

describe('frodo-lib against the emulator', () => {
  it('getServiceAccount returns the account name and scopes; info.getInfo reports the environment', async () => {
    const account = await f.cloud.serviceAccount.getServiceAccount(sa.id);
    expect(account).toMatchObject({ _id: sa.id, name: sa.name, scopes: sa.scopes, accountStatus: 'Active' });
    const info = await f.info.getInfo();
    expect(info).toMatchObject({ deploymentType: 'cloud', authenticatedSubject: `${sa.name} [${sa.id}] (Service Account)`, immutable: false, locked: false, tier: 'dev' });
  });

  it('lists ESVs', async () => {
    const variables = await f.cloud.variable.readVariables();
    expect(variables.map((v: any) => v._id)).toContain('esv-smtp-host');
  });

  it('a script imported through frodo exports exactly as it went in (Base64 on the wire)', async () => {
    const id = '3b2f6836-184c-4ee9-8a1d-557cb01837a5';
    const lines = ['/* Check Username */', '(function () {', '  outcome = sharedState.get("username") ? "known" : "unknown";', '}());'];
    const importData = { script: { [id]: { _id: id, name: 'FrodoTestScript3', description: 'round trip', script: lines, default: false, language: 'JAVASCRIPT', context: 'AUTHENTICATION_TREE_DECISION_NODE', evaluatorVersion: '1.0' } } };
    await f.script.importScripts('', '', importData, { deps: false, reUuid: false, includeDefault: false });
    const exported = await f.script.exportScript(id, { deps: false, includeDefault: false, useStringArrays: true });
    expect(exported.script[id].script).toEqual(lines);
    // the emulator stores the decoded text
    expect((emu.env('dev')!.state.config as any).am.alpha.scripts[id].script).toBe(lines.join('\n'));
  });

  it('exports a journey with a page node and imports it under another name with new node ids', async () => {
    const exported = await f.authn.journey.exportJourney('Login', { useStringArrays: true, deps: true, coords: true });
    const page = Object.values(exported.nodes).find((n: any) => n._type._id === 'PageNode') as any;
    expect(page.nodes.map((n: any) => n.nodeType)).toEqual(['ValidatedUsernameNode', 'ValidatedPasswordNode']);
    expect(Object.keys(exported.innerNodes)).toEqual(page.nodes.map((n: any) => n._id));
    expect(exported.tree._id).toBe('Login');

    const copy = structuredClone(exported);
    copy.tree._id = 'LoginCopy';
    await f.authn.journey.importJourney(copy, { reUuid: true, deps: false });
    const again = await f.authn.journey.exportJourney('LoginCopy', { useStringArrays: true, deps: false, coords: true });
    const copiedPage = Object.values(again.nodes).find((n: any) => n._type._id === 'PageNode') as any;
    expect(copiedPage._id).not.toBe(page._id);
    expect(copiedPage.nodes.map((n: any) => n.nodeType)).toEqual(['ValidatedUsernameNode', 'ValidatedPasswordNode']);
    expect(Object.keys(again.innerNodes).sort()).toEqual(copiedPage.nodes.map((n: any) => n._id).sort());
    expect(Object.keys(again.tree.nodes).sort()).toEqual(Object.keys(again.nodes).sort());
    // the original journey and its nodes are untouched
    expect((await f.authn.journey.readJourney('Login')).entryNodeId).toBe(exported.tree.entryNodeId);
  });

  it('config.exportFullConfiguration completes and reports no error', async () => {
    const errors: unknown[] = [];
    const full = await f.config.exportFullConfiguration(
      { useStringArrays: true, noDecode: false, coords: true, includeDefault: false, includeActiveValues: false, target: '', includeReadOnly: false, onlyRealm: false, onlyGlobal: false },
      (e: unknown) => {
        if (e) errors.push(e);
      },
    );
    expect(errors.map((e: any) => `${e.message}: ${e.cause?.message ?? ''}`)).toEqual([]);
    expect(Object.keys(full.realm).sort()).toEqual(['root-alpha', 'root-bravo']);
    expect(Object.keys(full.realm['root-alpha'].trees)).toEqual(expect.arrayContaining(['Login', 'LoginCopy', 'Registration']));
    expect(Object.keys(full.realm['root-alpha'].script)).toContain('3b2f6836-184c-4ee9-8a1d-557cb01837a5');
    expect(full.global.sync.mappings.map((m: any) => m.name)).toContain('systemLdapAccounts_managedAlpha_user');
    expect(Object.keys(full.global.internalRole)).toContain('openidm-admin');
  }, 120_000);
});
