// The trainer's console under /__emulator/ui (docs/console.md): server-rendered pages (Hono JSX), one small
// script for live regions, and POST /__emulator/ui/do/<action> for every button and form. An action answers
// 303 back to the page it came from with a flash line, so pages work without the script as well.
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv, EnvApp } from '../../core/types.js';
import type { Emulator } from '../../emulator.js';
import { CONSOLE_CSS, CONSOLE_JS } from './assets.js';
import { BASE, Layout } from './layout.js';
import { ACTIONS, type Form } from './actions.js';
import { overviewPage } from './pages/overview.js';
import { promotionPage } from './pages/promotion.js';
import { esvPage } from './pages/esv.js';
import { logsPage } from './pages/logs.js';
import { governancePage } from './pages/governance.js';
import { iscPage } from './pages/isc.js';
import { actPage } from './pages/act.js';

type Query = Record<string, string | undefined>;

interface PageDef {
  path: string;
  title: string;
  /** Change areas that refresh the page (see core/changes.ts). */
  watch: (q: Query) => string[];
  envs?: (q: Query, emulator: Emulator) => string[];
  render: (emulator: Emulator, q: Query) => Promise<Child> | Child;
}

const STATE = () => ['state', 'clock', 'faults'];

const PAGES: PageDef[] = [
  { path: '', title: 'Overview', watch: STATE, render: (e) => overviewPage(e) },
  { path: '/promotion', title: 'Promotion', watch: STATE, render: (e, q) => promotionPage(e, q) },
  { path: '/esv', title: 'ESVs', watch: STATE, render: (e, q) => esvPage(e, q) },
  { path: '/governance', title: 'Governance', watch: STATE, render: (e, q) => governancePage(e, q) },
  { path: '/isc', title: 'ISC', watch: STATE, render: (e, q) => iscPage(e, q) },
  // the tail follows log appends of the chosen environment only (other pages ignore log traffic)
  { path: '/logs', title: 'Logs', watch: () => ['logs', 'clock'], envs: (q, e) => [e.env(q.env ?? '')?.name ?? e.aicEnvironments[0]?.name ?? ''], render: (e, q) => logsPage(e, q) },
  { path: '/act', title: 'Act as', watch: STATE, render: (e, q) => actPage(e, q) },
];

/** Only paths of this console are valid targets for the redirect after an action. */
function backTo(raw: unknown): string {
  const s = typeof raw === 'string' ? raw : '';
  if (!s.startsWith(BASE) || s.startsWith('//') || /[\r\n\\]/.test(s)) return BASE;
  // judged after dot segments are resolved: `/__emulator/ui/../../evil` is no console path
  const resolved = new URL(s, 'http://console');
  const path = resolved.pathname;
  return path === BASE || path.startsWith(`${BASE}/`) ? path + resolved.search : BASE;
}

export function registerConsole(admin: EnvApp, emulator: Emulator): void {
  const asset = (body: string, type: string) => (c: Context<AppEnv>) => c.body(body, 200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-cache' });
  admin.get(`/ui/assets/console.css`, asset(CONSOLE_CSS, 'text/css'));
  admin.get(`/ui/assets/console.js`, asset(CONSOLE_JS, 'text/javascript'));
  admin.get('/ui/', (c) => c.redirect(BASE));

  for (const page of PAGES) {
    admin.get(`/ui${page.path}`, async (c) => {
      const q = c.req.query();
      const flash = q.flash ? { text: q.flash, error: q.flashError === '1' } : undefined;
      let body: Child;
      let failed = false;
      try {
        body = await page.render(emulator, q);
      } catch (err) {
        // a console bug must not hide the rest of the console: say so on the page (and in the server log)
        console.error(`[emulator] console page ${page.path || '/'} failed:`, err);
        body = <p role="alert">This page could not be rendered: {err instanceof Error ? err.message : String(err)}</p>;
        failed = true;
      }
      const html = (
        <Layout emulator={emulator} title={page.title} path={page.path} watch={page.watch(q)} envs={page.envs?.(q, emulator) ?? []} flash={flash}>
          {body}
        </Layout>
      );
      c.header('cache-control', 'no-store');
      return c.html(`<!doctype html>${html}`, failed ? 500 : 200);
    });
  }

  admin.post('/ui/do/:action', async (c) => {
    const name = c.req.param('action');
    // the table's own actions only (`constructor`, `__proto__` are no console action)
    const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
    const form = (await c.req.parseBody()) as Form;
    const back = backTo(form.back);
    let flash: { text: string; error: boolean };
    if (!action) flash = { text: `unknown console action ${name}`, error: true };
    else {
      try {
        flash = await action(emulator, form);
      } catch (err) {
        flash = { text: err instanceof Error ? err.message : String(err), error: true };
      }
    }
    const url = new URL(back, 'http://console');
    url.searchParams.set('flash', flash.text);
    if (flash.error) url.searchParams.set('flashError', '1');
    return c.redirect(url.pathname + url.search, 303);
  });
}
