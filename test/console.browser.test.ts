// The console in a real browser: Debian's headless Chromium driven by playwright-core (scripts/chromium.mjs).
// Live updates arrive over /__emulator/events without reloading; time moves only with the emulator clock.
// Skipped (with a note) when /usr/bin/chromium is absent; .ci/run installs it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../scripts/chromium.mjs';
import { createEmulator, type Emulator } from '../src/emulator.js';
import { listen, type Listening } from '../src/server.js';
import { aicToken } from './helpers.js';

// the page functions below run in the browser (this project's TypeScript has no DOM lib): the little they touch
declare const document: { querySelector(selector: string): { textContent: string | null } | null; getElementById(id: string): { textContent: string | null } | null };
interface SelectLike {
  options: ArrayLike<{ text: string; value: string }>;
}

const hasChromium = chromiumAvailable();
if (!hasChromium) console.warn('[console.browser] /usr/bin/chromium not found: browser test skipped (apt-get install chromium)');

describe.skipIf(!hasChromium)('console in headless Chromium', () => {
  let emu: Emulator;
  let server: Listening;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let ui: string;
  /** Milliseconds from a change to the page showing it, per step (reported, and bounded below). */
  const latencies: Record<string, number> = {};

  beforeAll(async () => {
    emu = createEmulator({ clock: { frozen: true, startAt: Date.parse('2026-11-23T12:00:00.000Z') }, port: 0 });
    server = await listen(emu);
    ui = `${emu.env('dev')!.url}/__emulator/ui`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    console.info('[console.browser] change → page latencies (ms):', latencies);
    await browser?.close();
    await server?.close();
  });

  /** Open a page and wait until its event stream is connected; marks the document so a reload would show. */
  async function open(path: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(`${ui}${path}`);
    await page.waitForSelector('body[data-live=on]', { timeout: 10_000 });
    await page.evaluate(() => ((globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true));
    return page;
  }

  const sameDocument = (page: Page) => page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument === true);

  /** Another client moves the emulator clock (the control plane, as a CI script would). */
  const advance = (ms: number) => fetch(`${emu.env('prod')!.url}/__emulator/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: ms }) });

  async function waitText(page: Page, selector: string, text: string, step: string): Promise<void> {
    const start = Date.now();
    await page.waitForFunction(([sel, t]) => document.querySelector(sel!)?.textContent?.includes(t!) ?? false, [selector, text] as const, { timeout: 10_000 });
    latencies[step] = Date.now() - start;
  }

  it('locks staging from the Promotion page and follows locking → locked without reloading', async () => {
    const page = await open('/promotion?env=staging');
    expect(await page.textContent('[data-testid=lock-result]')).toBe('unlocked');
    // keyboard only: the buttons are plain form buttons
    await page.focus('#btn-lock');
    await page.keyboard.press('Enter');
    await waitText(page, '[data-testid=lock-result]', 'locking', 'lock → locking');
    await expect(page.textContent('#flash')).resolves.toMatch(/^Lock as emulator-sa \(serviceAccount .*\) → POST \/environment\/promotion\/lock 200/);
    await advance(5_000); // DEFAULT_TIMINGS.lockMs
    await waitText(page, '[data-testid=lock-result]', 'locked', 'clock → locked');
    expect(await page.textContent('[data-testid=lock-result]')).toBe('locked');
    expect(await sameDocument(page)).toBe(true);

    // a dry run: the seed's dev config references an ESV staging lacks, so the prepare phase stops there
    await page.click('#btn-dryrun');
    await waitText(page, '[data-testid=run-status]', 'Prepare config', 'dry run → running');
    await advance(5_000); // prepareMs
    await waitText(page, '[data-testid=run-status]', 'Missing ESVs', 'clock → missing ESVs');
    expect(await page.textContent('#run')).toContain('email.from');
    // unlock (ESV changes are refused while the pair is locked), let a pipeline (another client) create the
    // variable through the ESV API, lock again: the next dry run passes every phase
    await page.click('#btn-unlock');
    await waitText(page, '[data-testid=lock-result]', 'unlocking', 'unlock → unlocking');
    await advance(5_000); // unlockMs
    await waitText(page, '[data-testid=lock-result]', 'unlocked', 'clock → unlocked');
    const token = await aicToken(emu, 'staging', ['fr:idc:esv:*']);
    const put = await fetch(`${emu.env('staging')!.url}/environment/variables/esv-email-from`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-api-version': 'resource=2.0' },
      body: JSON.stringify({ valueBase64: Buffer.from('noreply@example.com').toString('base64'), expressionType: 'string', description: 'sender' }),
    });
    expect(put.ok).toBe(true);
    await page.click('#btn-lock');
    await waitText(page, '[data-testid=lock-result]', 'locking', 'lock again → locking');
    await advance(5_000);
    await waitText(page, '[data-testid=lock-result]', 'locked', 'clock → locked again');
    await page.click('#btn-dryrun');
    await waitText(page, '[data-testid=run-status]', 'Prepare config', 'dry run 2 → running');
    await advance(5_000); // prepareMs
    await waitText(page, '[data-testid=run-status]', 'Promote configuration', 'clock → promote phase');
    await advance(10_000); // promoteMs
    await waitText(page, '[data-testid=run-status]', 'Promotion completed', 'clock → completed');
    const timeline = await page.textContent('#timeline');
    for (const step of ['Environment locked', 'Promotion process initiated', 'Missing ESVs', 'Promote configuration', 'Promotion completed']) expect(timeline).toContain(step);
    expect(timeline).toContain('dry run');
    expect(await page.textContent('#report')).toContain('(dry run)');
    expect(await sameDocument(page)).toBe(true);
    // rendering a page never writes state: with nothing changing, the page stops refreshing (no feedback loop)
    const refreshes = () => page.evaluate(() => Number((globalThis as unknown as { document: { body: { dataset: Record<string, string> } } }).document.body.dataset.refreshes ?? 0));
    await page.waitForTimeout(300);
    const settled = await refreshes();
    expect(settled).toBeGreaterThan(0);
    await page.waitForTimeout(1_500);
    expect(await refreshes()).toBe(settled);
    await page.close();
  }, 90_000);

  it('approves an access request as its approver from Act as, sees the timeline gain the step and the request in the live log tail', async () => {
    const logs = await open('/logs?env=staging&source=idm-access');
    const act = await browser.context.newPage();
    await act.goto(`${ui}/act?env=staging`);
    const maria = await act.$eval('#act-who', (sel) => Array.from((sel as unknown as SelectLike).options).find((o) => o.text.startsWith('maria.manager'))!.value);
    await act.selectOption('#act-who', maria);
    await act.click('#act-pick');
    await act.waitForSelector('body[data-live=on]');
    const form = act.locator('form[aria-label^="decide request"]').first();
    const requestId = await form.locator('input[name=requestId]').inputValue();
    const card = `[data-request="${requestId}"]`;
    expect(await act.textContent(card)).not.toContain('approve by maria.manager');
    await form.locator('button[data-action=approve]').click();
    await act.waitForFunction(() => /^Approve as /.test(document.getElementById('flash')?.textContent ?? ''));
    const flash = (await act.textContent('#flash'))!;
    expect(flash).toMatch(/^Approve as maria\.manager \(user [0-9a-f-]+, token [^)]+\) → POST \/iga\/governance\/requests\/[0-9a-f-]+\?_action=approve 200/);
    await waitText(act, card, 'approve by maria.manager', 'approve → timeline');
    const tx = /transaction (console-[0-9a-f-]+)/.exec(flash)![1]!;
    // the other tab, untouched since it opened, shows the approval's access log line
    await waitText(logs, '#tail', tx, 'approve → log tail');
    expect(await sameDocument(logs)).toBe(true);
    // and the product attributed the approval to maria (the governance page reads the same request)
    const gov = await browser.context.newPage();
    await gov.goto(`${ui}/governance?env=staging`);
    expect(await gov.textContent(card)).toContain('approve by maria.manager');
    for (const ms of Object.values(latencies)) expect(ms).toBeLessThan(3_000);
    await Promise.all([logs.close(), act.close(), gov.close()]);
  }, 90_000);
});
