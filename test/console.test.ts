// The trainer's console (docs/console.md): pages, actions through the product API, and the change feed that
// drives live pages (GET /__emulator/events). The real-browser test is console.browser.test.ts.
import { describe, expect, it } from 'vitest';
import { call, testEmulator } from './helpers.js';
import type { Change } from '../src/core/changes.js';
import { BATCH_MS } from '../src/core/changes.js';

const PAGES = ['/__emulator/ui', '/__emulator/ui/promotion', '/__emulator/ui/promotion?env=prod', '/__emulator/ui/esv?env=staging', '/__emulator/ui/logs?env=dev&source=idm-access'];

async function post(emu: ReturnType<typeof testEmulator>, action: string, form: Record<string, string>) {
  const res = await emu.request('dev', `/__emulator/ui/do/${action}`, { method: 'POST', body: new URLSearchParams(form) });
  const location = res.headers.get('location') ?? '';
  const url = new URL(location, 'http://x');
  return { status: res.status, location, flash: url.searchParams.get('flash') ?? '', error: url.searchParams.get('flashError') === '1' };
}

describe('console pages', () => {
  it('renders every page as HTML with its live regions', async () => {
    const emu = testEmulator();
    for (const path of PAGES) {
      const res = await call(emu, 'dev', 'GET', path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.text).toMatch(/^<!doctype html><html lang="en">/);
      expect(res.text).toContain('data-live');
    }
    const css = await call(emu, 'dev', 'GET', '/__emulator/ui/assets/console.css');
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    const js = await call(emu, 'dev', 'GET', '/__emulator/ui/assets/console.js');
    expect(js.text).toContain("new EventSource('/__emulator/events')");
  });

  it('is absent without the admin plane', async () => {
    const emu = testEmulator({ admin: false });
    expect((await call(emu, 'dev', 'GET', '/__emulator/ui')).status).toBe(404);
    expect((await call(emu, 'dev', 'GET', '/__emulator/events')).status).toBe(404);
  });

  it('never shows a secret value', async () => {
    const emu = testEmulator();
    const page = (await call(emu, 'staging', 'GET', '/__emulator/ui/esv?env=staging')).text;
    const secrets = (emu.env('staging')!.state.esv as { secrets: Array<{ _id: string; versions: Array<{ valueBase64: string }> }> }).secrets;
    expect(secrets.length).toBeGreaterThan(0);
    for (const s of secrets) {
      expect(page).toContain(s._id);
      for (const v of s.versions) expect(page).not.toContain(Buffer.from(v.valueBase64, 'base64').toString('utf8'));
    }
  });
});

describe('console actions', () => {
  it('locks staging through the promotion API as its service account, attributed to it', async () => {
    const emu = testEmulator();
    const r = await post(emu, 'promo-lock', { env: 'staging', back: '/__emulator/ui/promotion?env=staging' });
    expect(r.status).toBe(303);
    expect(r.location.startsWith('/__emulator/ui/promotion?env=staging&')).toBe(true);
    expect(r.error).toBe(false);
    expect(r.flash).toMatch(/^Lock as emulator-sa \(serviceAccount [0-9a-f-]+, token [^)]+\) → POST \/environment\/promotion\/lock 200/);
    const state = await call(emu, 'dev', 'GET', '/__emulator/promotion');
    expect(state.body.staging.lockState.state).toBe('locking');
    const sa = (emu.env('staging')!.state.credentials as { serviceAccounts: Array<{ _id: string }> }).serviceAccounts[0]!._id;
    expect(state.body.staging.lock.by).toEqual({ id: sa, type: 'serviceAccount' });
    await call(emu, 'dev', 'POST', '/__emulator/clock', { body: { advanceMs: 6000 } });
    const page = (await call(emu, 'dev', 'GET', '/__emulator/ui/promotion?env=staging')).text;
    expect(page).toContain('data-testid="lock-result"><span class="badge s-locked">locked</span>');
  });

  it('reports a refused product call with its status and body, and changes nothing', async () => {
    const emu = testEmulator();
    const r = await post(emu, 'promo-unlock', { env: 'staging', promotionId: 'nope', back: '/__emulator/ui/promotion' });
    expect(r.error).toBe(true);
    expect(r.flash).toMatch(/→ DELETE \/environment\/promotion\/lock\/nope 4\d\d: \{/);
    expect((await call(emu, 'dev', 'GET', '/__emulator/promotion')).body.staging.lockState.state).toBe('unlocked');
  });

  it('turns bad input into a flash line, never a 500, and only redirects inside the console', async () => {
    const emu = testEmulator();
    expect(await post(emu, 'nope', { back: 'https://evil.example/' })).toMatchObject({ status: 303, error: true, location: expect.stringMatching(/^\/__emulator\/ui\?flash=/) });
    expect(await post(emu, 'clock', { advanceMs: 'soon' })).toMatchObject({ status: 303, error: true, flash: 'advanceMs must be a number' });
    expect(await post(emu, 'fault-add', { path: '^([', status: '500' })).toMatchObject({ error: true });
    expect((await call(emu, 'dev', 'GET', '/__emulator/faults')).body.faults).toEqual([]);
    expect(await post(emu, 'promo-lock', { env: 'isc' })).toMatchObject({ error: true, flash: 'no AIC environment isc' });
  });

  it('changes the clock scale, freezes and advances through the control plane', async () => {
    const emu = testEmulator();
    const before = emu.clock.now();
    await post(emu, 'clock', { advanceMs: '60000' });
    expect(emu.clock.now()).toBe(before + 60000);
    await post(emu, 'clock', { scale: '10' });
    expect(emu.clock.state()).toMatchObject({ scale: 10, frozen: true });
    expect(emu.clock.now()).toBe(before + 60000);
  });
});

describe('change feed', () => {
  it('costs nothing while nobody watches: no store or log hook is attached', async () => {
    const emu = testEmulator();
    const env = emu.env('dev')!;
    const listeners = (book: object) => (book as unknown as { listeners: Set<unknown> }).listeners.size;
    expect(env.store.onChange).toBeUndefined();
    expect(listeners(env.logbook)).toBe(0);
    const off = emu.changes.subscribe(() => {});
    expect(env.store.onChange).toBeTypeOf('function');
    expect(listeners(env.logbook)).toBe(1);
    off();
    expect(env.store.onChange).toBeUndefined();
    expect(listeners(env.logbook)).toBe(0);
  });

  it('batches state, log, clock and fault changes naming the environment and area', async () => {
    const emu = testEmulator();
    const batches: Change[][] = [];
    const off = emu.changes.subscribe((b) => batches.push(b));
    emu.env('staging')!.changed();
    emu.env('staging')!.changed();
    emu.env('dev')!.log('idm-core', { message: 'hello' });
    await call(emu, 'dev', 'POST', '/__emulator/clock', { body: { advanceMs: 1 } });
    await call(emu, 'dev', 'POST', '/__emulator/faults', { body: { path: '/x', status: 500 } });
    await new Promise((r) => setTimeout(r, BATCH_MS + 30)); // the batch window is real time by design (transport, not emulation)
    off();
    const all = batches.flat();
    expect(all).toContainEqual({ env: 'staging', area: 'state' });
    expect(all).toContainEqual({ env: 'dev', area: 'logs', source: 'idm-core' });
    expect(all).toContainEqual({ env: '*', area: 'clock' });
    expect(all).toContainEqual({ env: '*', area: 'faults' });
    expect(all.filter((c) => c.env === 'staging' && c.area === 'state')).toHaveLength(1);
  });

  it('streams change events over SSE at /__emulator/events, filtered by env and area', async () => {
    const emu = testEmulator();
    const abort = new AbortController();
    const res = await emu.request('dev', '/__emulator/events?env=staging&area=state,clock', { signal: abort.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
    };
    await until(/event: hello/);
    expect(emu.changes.subscribers).toBe(1);
    emu.env('dev')!.changed(); // filtered out: another environment
    await call(emu, 'dev', 'POST', '/__emulator/ui/do/promo-lock', { raw: new URLSearchParams({ env: 'staging' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await until(/event: change\ndata: .*"staging"/);
    const events = text.split('\n\n').filter((b) => b.startsWith('event: change')).map((b) => JSON.parse(b.split('data: ')[1]!) as { changes: Change[] });
    const changes = events.flatMap((e) => e.changes);
    expect(changes).toContainEqual({ env: 'staging', area: 'state' });
    expect(changes.some((c) => c.env === 'dev')).toBe(false);
    abort.abort();
    await reader.cancel().catch(() => {});
    await new Promise((r) => setTimeout(r, 20));
    expect(emu.changes.subscribers).toBe(0);
  });
});

describe('act as', () => {
  it('decides an ISC review item as its reviewer, attributed to that identity', async () => {
    const emu = testEmulator();
    const isc = emu.isc;
    type Cert = { id: string; phase: string; reviewer: { type: string; id: string }; items: Array<{ id: string; decision: string | null; decisionMaker: { id: string; name: string } | null }> };
    const certs = (isc.state.iscCertifications as { certifications: Cert[] }).certifications;
    const cert = certs.find((c) => c.phase === 'ACTIVE' && c.reviewer.type === 'IDENTITY' && c.items.length)!;
    const r = await post(emu, 'isc-decide', { env: isc.name, kind: 'identity', id: cert.reviewer.id, certId: cert.id, itemId: cert.items[0]!.id, decision: 'APPROVE', back: '/__emulator/ui/act' });
    expect(r.error).toBe(false);
    expect(r.flash).toMatch(new RegExp(`^Decide APPROVE as [\\w.]+ \\(identity ${cert.reviewer.id}, token [0-9a-f]+\\) → POST /v3/certifications/${cert.id}/decide 200`));
    expect(cert.items[0]!.decision).toBe('APPROVE');
    expect(cert.items[0]!.decisionMaker?.id).toBe(cert.reviewer.id);
  });

  it('refuses what the product refuses: a user who is not the approver cannot approve', async () => {
    const emu = testEmulator();
    const env = emu.env('staging')!;
    const { allRequests } = await import('../src/aic/iga/requests/service.js');
    const { governance } = await import('../src/aic/governance/service.js');
    const req = allRequests(env).find((x) => x.decision.status === 'in-progress')!;
    const approvers = new Set(req.decision.actors.active.map((a) => a.id));
    const outsider = governance(env).users.find((u) => !approvers.has(`managed/user/${u._id}`) && u._id !== req.requester?.id && !u.roles.includes('governance-administrator'))!;
    const before = JSON.stringify(req.decision);
    const r = await post(emu, 'request-decide', { env: 'staging', kind: 'user', id: outsider._id, requestId: req.id, decision: 'approve' });
    expect(r.error).toBe(true);
    expect(r.flash).toMatch(/→ POST \/iga\/governance\/requests\/.+\?_action=approve 403/);
    expect(JSON.stringify(req.decision)).toBe(before);
  });

  it('renders the Act as page for a user, a service account and an ISC identity', async () => {
    const emu = testEmulator();
    const maria = (emu.env('staging')!.state.governance as { users: Array<{ _id: string; userName: string }> }).users.find((u) => u.userName === 'maria.manager')!;
    const page = (await call(emu, 'dev', 'GET', `/__emulator/ui/act?env=staging&who=user:${maria._id}`)).text;
    expect(page).toMatch(/Approvals waiting \(\d+\)/);
    expect(page).toContain('data-action="approve"');
    const sa = (emu.env('staging')!.state.credentials as { serviceAccounts: Array<{ _id: string }> }).serviceAccounts[0]!._id;
    expect((await call(emu, 'dev', 'GET', `/__emulator/ui/act?env=staging&who=serviceAccount:${sa}`)).text).toContain('Tenant operations');
    expect((await call(emu, 'dev', 'GET', `/__emulator/ui/act?env=isc&who=identity:${emu.isc.name}-nobody`)).text).toContain('Certifications to review (0)');
    for (const path of ['/__emulator/ui/governance?env=staging', '/__emulator/ui/isc']) expect((await call(emu, 'dev', 'GET', path)).status).toBe(200);
  });
});

describe('ISC page', () => {
  it("shows each identity's access as the access model derives it", async () => {
    const emu = testEmulator();
    const { identityAccess } = await import('../src/isc/access/service.js');
    const { identities } = await import('../src/isc/identities/service.js');
    const holder = identities(emu.isc).map((i) => identityAccess(emu.isc, i.id)).find((a) => a.roles.length && a.entitlements.length)!;
    expect(holder).toBeDefined();
    const page = (await call(emu, 'dev', 'GET', '/__emulator/ui/isc')).text;
    expect(page).toContain(holder.roles[0]!.role.name);
    expect(page).toContain(`${holder.entitlements[0]!.entitlement.name} (${holder.entitlements[0]!.source.name})`);
  });
});
