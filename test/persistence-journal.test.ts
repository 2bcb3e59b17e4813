// Persistence by journal (docs/persistence.md): after every flush of real area traffic, the snapshot plus the journal
// read back from disk equal memory; compaction, a stale generation, a torn last line and a pre-journal data dir.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { advance, aicToken, call, iscToken, testEmulator } from './helpers.js';
import type { Emulator } from '../src/emulator.js';
import type { Environment } from '../src/environment.js';
import { loadFiles, GENERATION_KEY } from '../src/core/journal.js';
import { raw } from '../src/core/tracking.js';
import { clone } from '../src/core/clone.js';
import { ALICE, OLIVIA } from './isc-cert-helpers.js';

let dir: string;
let emu: Emulator;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'emu-journal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (s: string) => Buffer.from(s).toString('base64');
const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

/** The document the data dir holds for an environment (snapshot + journal), as a restart would load it. */
function onDisk(env: Environment) {
  return loadFiles(env.store.file!, env.store.journalFile!)!;
}
function expectDiskEqualsMemory(env: Environment, what: string): void {
  expect(onDisk(env).doc, what).toEqual(json(raw(env.state)));
}

describe('journal: the files equal memory after every write of real traffic', () => {
  it('ESV, IGA access requests, ISC access requests and clock-driven jobs', { timeout: 60_000 }, async () => {
    emu = testEmulator({ dataDir: dir });
    const dev = emu.env('dev')!;
    const isc = emu.isc;
    const touched = new Set<Environment>();
    const check = (what: string) => {
      for (const e of touched) expectDiskEqualsMemory(e, what);
    };
    const esv = await aicToken(emu, 'dev', ['fr:idc:esv:*'], 'test-service-account', 'serviceAccount', 10 * 86400);
    const ok = async (what: string, p: Promise<{ status: number; text: string }>) => {
      const res = await p;
      touched.add(/\/v3\//.test(what) || what.startsWith('ISC') ? isc : dev);
      expect(res.status, `${what}: ${res.text}`).toBeLessThan(300);
      check(what);
      return res as unknown as { status: number; body: any };
    };
    // ESV: create (inserted in the sorted list: the tail moves), update in place, secrets, delete, restart job
    await ok('PUT new variable', call(emu, 'dev', 'PUT', '/environment/variables/esv-aaa-first', { token: esv, body: { valueBase64: b64('1'), expressionType: 'int' } }));
    await ok('PUT update', call(emu, 'dev', 'PUT', '/environment/variables/esv-aaa-first', { token: esv, body: { valueBase64: b64('2') } }));
    expect(onDisk(dev).replayed).toBeGreaterThan(0);
    await ok('PUT secret', call(emu, 'dev', 'PUT', '/environment/secrets/esv-zz-secret', { token: esv, body: { valueBase64: b64('s3cret'), encoding: 'generic' } }));
    await ok('DELETE variable', call(emu, 'dev', 'DELETE', '/environment/variables/esv-aaa-first', { token: esv }));
    await ok('restart', call(emu, 'dev', 'POST', '/environment/startup?_action=restart', { token: esv }));
    await advance(emu, 15 * 60_000);
    await ok('after restart job', call(emu, 'dev', 'PUT', '/environment/variables/esv-after', { token: esv, body: { valueBase64: b64('x'), expressionType: 'string' } }));

    // IGA: a request by a user for herself, approved by her manager and the owner, fulfilled on the clock
    const gov = dev.slice<any>('governance');
    const holds = (uid: string, id: string) => gov.grants.some((g: any) => g.userId === uid && g.assignmentId === id);
    const seeded = new Set((dev.slice<any>('requests').requests as any[]).map((r) => r.user?.id));
    const user = gov.users.find((u: any) => u.manager && !u.roles.length && !seeded.has(u._id) && gov.entitlements.some((e: any) => !holds(u._id, e.id) && !e.ownerIds.includes(u._id) && !e.ownerIds.includes(u.manager)));
    const ent = gov.entitlements.find((e: any) => !holds(user._id, e.id) && !e.ownerIds.includes(user._id) && !e.ownerIds.includes(user.manager));
    const userTok = await aicToken(emu, 'dev', ['fr:idm:*'], user._id, 'user');
    const created = await ok('IGA create', call(emu, 'dev', 'POST', '/iga/governance/requests?_action=create', { token: userTok, body: { users: [user._id], catalogs: [{ type: 'entitlement', id: ent.id }], justification: 'journal' } }));
    const reqId = created.body.result[0] as string;
    const mgrTok = await aicToken(emu, 'dev', ['fr:idm:*'], user.manager, 'user');
    await ok('IGA manager approves', call(emu, 'dev', 'POST', `/iga/governance/requests/${reqId}?_action=approve`, { token: mgrTok, body: { comment: 'ok' } }));
    const ownerTok = await aicToken(emu, 'dev', ['fr:idm:*'], ent.ownerIds[0], 'user');
    await ok('IGA owner approves', call(emu, 'dev', 'POST', `/iga/governance/requests/${reqId}?_action=approve`, { token: ownerTok, body: {} }));
    await advance(emu, 24 * 3600_000);
    await ok('after fulfilment', call(emu, 'dev', 'PUT', '/environment/variables/esv-after', { token: esv, body: { valueBase64: b64('y') } }));
    expect(holds(user._id, ent.id)).toBe(true);
    expect((onDisk(dev).doc.governance as any).grants.some((g: any) => g.userId === user._id && g.assignmentId === ent.id)).toBe(true);

    // ISC: a self-request approved by the manager
    const ap = isc.slice<any>('iscAccess').accessProfiles.find((a: any) => a.name === 'Payroll Operations');
    const alice = await iscToken(emu, ALICE);
    await ok('ISC request', call(emu, isc.name, 'POST', '/v3/access-requests', { token: alice, body: { requestedFor: [ALICE], requestType: 'GRANT_ACCESS', requestedItems: [{ type: 'ACCESS_PROFILE', id: ap.id, comment: 'quarter close' }] } }));
    const olivia = await iscToken(emu, OLIVIA);
    const pending = await call(emu, isc.name, 'GET', '/v3/access-request-approvals/pending', { token: olivia });
    expect(pending.body.length).toBeGreaterThan(0);
    await ok('ISC approve', call(emu, isc.name, 'POST', `/v3/access-request-approvals/${pending.body[0].id}/approve`, { token: olivia, body: { comment: 'ok' } }));

    // a restart on the same directory loads exactly what memory held
    const before = json(raw(dev.state));
    const again = testEmulator({ dataDir: dir });
    expect(json(raw(again.env('dev')!.state))).toEqual({ ...(before as object), clockNow: expect.any(Number) });
  });
});

describe('journal files', () => {
  async function withVariable(e: Emulator, name: string, value: string) {
    const t = await aicToken(e, 'dev', ['fr:idc:esv:*']);
    const res = await call(e, 'dev', 'PUT', `/environment/variables/${name}`, { token: t, body: { valueBase64: b64(value), expressionType: 'string' } });
    expect(res.status).toBeLessThan(300);
  }
  const variable = (e: Emulator, name: string) => (e.env('dev')!.slice<any>('esv').variables as any[]).find((v) => v._id === name);

  it('a write appends one line of the changed paths, not the state', async () => {
    emu = testEmulator({ dataDir: dir });
    await withVariable(emu, 'esv-one', 'a');
    const dev = emu.env('dev')!;
    const lines = readFileSync(dev.store.journalFile!, 'utf8').trimEnd().split('\n');
    const size = readFileSync(dev.store.file!, 'utf8').length;
    await withVariable(emu, 'esv-one', 'b');
    const after = readFileSync(dev.store.journalFile!, 'utf8').trimEnd().split('\n');
    expect(after).toHaveLength(lines.length + 1);
    const last = JSON.parse(after.at(-1)!) as Array<{ p: string[]; v?: unknown }>;
    expect(last.some((e) => e.p[0] === 'esv' && JSON.stringify(e.v ?? '').includes(b64('b')))).toBe(true);
    expect(after.at(-1)!.length).toBeLessThan(size / 20);
  });

  it('group commit: the flushes of one turn of the event loop share one write, each answered once its change is on disk', async () => {
    emu = testEmulator({ dataDir: dir });
    await withVariable(emu, 'esv-gc', 'start');
    const dev = emu.env('dev')!;
    const lineCount = () => readFileSync(dev.store.journalFile!, 'utf8').trimEnd().split('\n').length;
    const before = lineCount();
    const vars = dev.slice<any>('esv').variables as any[];
    const onDiskValue = (i: number) => ((onDisk(dev).doc.esv as any).variables as any[])[i].description as string;
    const settled: string[] = [];
    // three callers change state and flush in the same turn: nothing is written before the turn ends
    const flushes = ['first', 'second', 'third'].map((d, i) => {
      vars[i].description = d;
      const p = dev.store.flush().then(() => {
        // answered only once the write carrying this caller's change is in the files
        expect(onDiskValue(i)).toBe(d);
        settled.push(d);
      });
      expect(lineCount()).toBe(before);
      return p;
    });
    await Promise.all(flushes);
    expect(settled).toEqual(['first', 'second', 'third']);
    const lines = readFileSync(dev.store.journalFile!, 'utf8').trimEnd().split('\n');
    // one line shared by the three
    expect(lines).toHaveLength(before + 1);
    for (const d of ['first', 'second', 'third']) expect(lines.at(-1)).toContain(d);
    // a flush with nothing new to write shares the scheduled write; a change of a later turn gets the next line
    vars[0].description = 'fourth';
    const fourth = dev.store.flush();
    const same = dev.store.flush();
    expect(same).toBe(fourth);
    await same;
    expect(onDiskValue(0)).toBe('fourth');
    await new Promise((r) => setImmediate(r));
    vars[1].description = 'fifth';
    await dev.store.flush();
    expect(onDiskValue(1)).toBe('fifth');
    expect(lineCount()).toBe(before + 3);
    // nothing changed: no write at all
    await dev.store.flush();
    expect(lineCount()).toBe(before + 3);
    const again = testEmulator({ dataDir: dir }).env('dev')!.slice<any>('esv').variables as any[];
    expect(again.slice(0, 3).map((v) => v.description)).toEqual(['fourth', 'fifth', 'third']);
  });

  it('group commit: flushes made while a snapshot is under way wait for it and then share one append', async () => {
    emu = testEmulator({ dataDir: dir });
    await withVariable(emu, 'esv-snap', 'start');
    const dev = emu.env('dev')!;
    // a full snapshot under way (replace: reset, seed, restore)
    dev.store.replace(raw(dev.state) as Record<string, unknown>);
    const live = dev.slice<any>('esv').variables as any[];
    live[0].description = 'in-snapshot';
    const snap = dev.store.flush();
    await new Promise((r) => setImmediate(r));
    // the snapshot took its changes and is being written; these join the write after it
    live[1].description = 'after-1';
    const a = dev.store.flush();
    live[2].description = 'after-2';
    const b = dev.store.flush();
    expect(b).toBe(a);
    await Promise.all([snap, a, b]);
    const lines = readFileSync(dev.store.journalFile!, 'utf8').trimEnd().split('\n');
    // the new generation's header, then the one shared append
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('after-1');
    expect(lines[1]).toContain('after-2');
    expect(lines[1]).not.toContain('in-snapshot');
    expectDiskEqualsMemory(dev, 'after the snapshot and the append');
  });

  it('a failed append fails every caller sharing it, and the next write is a full snapshot', async () => {
    emu = testEmulator({ dataDir: dir });
    await withVariable(emu, 'esv-fail', 'start');
    const dev = emu.env('dev')!;
    const gen0 = dev.store.journalGeneration;
    const vars = dev.slice<any>('esv').variables as any[];
    // the journal descriptor stops working (as a full disk would make the write fail)
    const store = dev.store as unknown as { fd: number | undefined };
    const realFd = store.fd;
    store.fd = 2 ** 30;
    vars[0].description = 'lost-1';
    const a = dev.store.flush();
    vars[1].description = 'lost-2';
    const b = dev.store.flush();
    await expect(a).rejects.toThrow();
    await expect(b).rejects.toThrow();
    store.fd = realFd;
    // the next write starts a new generation from a full snapshot holding everything in memory
    vars[2].description = 'kept';
    await dev.store.flush();
    expect(dev.store.journalGeneration).not.toBe(gen0);
    expectDiskEqualsMemory(dev, 'after the snapshot that followed the failed append');
    const again = testEmulator({ dataDir: dir }).env('dev')!.slice<any>('esv').variables as any[];
    expect(again.slice(0, 3).map((v) => v.description)).toEqual(['lost-1', 'lost-2', 'kept']);
  });

  it('compacts into a new snapshot and journal generation past the threshold, and reloads the same state', async () => {
    emu = testEmulator({ dataDir: dir });
    const dev = emu.env('dev')!;
    await withVariable(emu, 'esv-c', '0');
    const gen0 = dev.store.journalGeneration;
    dev.store.compactMinBytes = 2_000;
    // the threshold is max(compactMinBytes, snapshot size): write past the snapshot's size (the compaction runs after
    // the append is acknowledged; the next write waits for it)
    const big = 'x'.repeat(40_000);
    for (let i = 0; i < 60 && dev.store.journalGeneration === gen0; i++) await withVariable(emu, 'esv-c', `${i}${big}`);
    await withVariable(emu, 'esv-c', 'final');
    const gen1 = dev.store.journalGeneration;
    expect(gen1).not.toBe(gen0);
    const snap = JSON.parse(readFileSync(dev.store.file!, 'utf8'));
    expect(snap[GENERATION_KEY]).toBe(gen1);
    expect(readFileSync(dev.store.journalFile!, 'utf8').split('\n')[0]).toBe(JSON.stringify({ generation: gen1 }));
    expectDiskEqualsMemory(dev, 'after compaction');
    expect(variable(testEmulator({ dataDir: dir }), 'esv-c').valueBase64).toBe(b64('final'));
  });

  it('ignores a journal of another generation (killed between the snapshot rename and the journal switch)', async () => {
    emu = testEmulator({ dataDir: dir });
    await withVariable(emu, 'esv-g', 'in-snapshot');
    const dev = emu.env('dev')!;
    // a snapshot of a newer generation holding the latest value, next to the old generation's journal
    const snap = JSON.parse(readFileSync(dev.store.file!, 'utf8'));
    const doc = clone(raw(dev.state)) as any;
    doc[GENERATION_KEY] = 'newer';
    writeFileSync(dev.store.file!, JSON.stringify(doc));
    await withVariable(emu, 'esv-g', 'stale-journal-entry');
    expect(snap[GENERATION_KEY]).not.toBe('newer');
    expect(variable(testEmulator({ dataDir: dir }), 'esv-g').valueBase64).toBe(b64('in-snapshot'));
  });

  it('ignores a torn last line (a write killed mid-append was never acknowledged)', async () => {
    emu = testEmulator({ dataDir: dir });
    await withVariable(emu, 'esv-t', 'acknowledged');
    const dev = emu.env('dev')!;
    appendFileSync(dev.store.journalFile!, '[{"p":["esv","variables","0","valueBase64"],"v":"dG9y');
    const loaded = onDisk(dev);
    expect(loaded.doc).toEqual(json(raw(dev.state)));
    const again = testEmulator({ dataDir: dir });
    expect(variable(again, 'esv-t').valueBase64).toBe(b64('acknowledged'));
    // the restarted emulator's first write starts a new generation: the torn line never joins a later one
    await withVariable(again, 'esv-t', 'later');
    expect(readFileSync(dev.store.journalFile!, 'utf8')).not.toContain('dG9y');
    expect(variable(testEmulator({ dataDir: dir }), 'esv-t').valueBase64).toBe(b64('later'));
  });

  it('loads a data dir written before the journal (the plain state document) and journals on top of it', async () => {
    emu = testEmulator({ dataDir: dir });
    await withVariable(emu, 'esv-legacy', 'old');
    const dev = emu.env('dev')!;
    const legacy = json(raw(dev.state)) as Record<string, unknown>;
    writeFileSync(dev.store.file!, JSON.stringify(legacy, null, 2));
    rmSync(dev.store.journalFile!);
    const again = testEmulator({ dataDir: dir });
    expect(variable(again, 'esv-legacy').valueBase64).toBe(b64('old'));
    await withVariable(again, 'esv-legacy', 'new');
    expect(existsSync(dev.store.journalFile!)).toBe(true);
    expect(variable(testEmulator({ dataDir: dir }), 'esv-legacy').valueBase64).toBe(b64('new'));
  });

  it('in memory (no data dir) the state is the raw document, not a proxy', () => {
    emu = testEmulator({ dataDir: undefined });
    const s = emu.env('dev')!.state;
    expect(raw(s)).toBe(s);
    expect(() => structuredClone(s)).not.toThrow();
  });
});
