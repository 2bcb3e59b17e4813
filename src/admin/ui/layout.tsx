// The frame every console page shares: header with navigation and the emulator clock, a flash line for the
// outcome of the last action, and the areas the page watches on the event stream (body data-watch).
import type { Child } from 'hono/jsx';
import type { Emulator } from '../../emulator.js';

export const BASE = '/__emulator/ui';

export const PAGES = [
  { path: '', title: 'Overview' },
  { path: '/promotion', title: 'Promotion' },
  { path: '/esv', title: 'ESVs' },
  { path: '/governance', title: 'Governance' },
  { path: '/isc', title: 'ISC' },
  { path: '/logs', title: 'Logs' },
  { path: '/act', title: 'Act as' },
] as const;

export interface PageProps {
  emulator: Emulator;
  title: string;
  /** Path under BASE ('' for the overview). */
  path: string;
  /** Change areas that refresh this page's live regions ('state', 'clock', 'faults', 'logs' or 'logs:<source>'). */
  watch: string[];
  /** Only changes of these environments concern the page (empty: all). */
  envs?: string[];
  flash?: { text: string; error: boolean } | undefined;
  children?: Child;
}

export function Layout(p: PageProps) {
  const clock = p.emulator.clock.state();
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${p.title} · tenant-emulator console`}</title>
        <link rel="stylesheet" href={`${BASE}/assets/console.css`} />
      </head>
      <body data-watch={p.watch.join(' ')} data-envs={(p.envs ?? []).join(' ')}>
        <a class="skip" href="#main">Skip to content</a>
        <header>
          <span class="brand">tenant-emulator</span>
          <nav aria-label="Console pages">
            <ul>
              {PAGES.map((pg) => (
                <li>
                  <a href={`${BASE}${pg.path}`} aria-current={pg.path === p.path ? 'page' : undefined}>
                    {pg.title}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <span id="live" aria-live="polite">static</span>
          <span class="clock" id="header-clock" data-live>
            <span class="vh">Emulator time </span>
            <time datetime={clock.now}>{clock.now.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time>
            {clock.frozen ? ' (frozen)' : clock.scale !== 1 ? ` (×${clock.scale})` : ''}
          </span>
        </header>
        <main id="main" tabindex={-1}>
          <h1>{p.title}</h1>
          <p id="flash" role="status" tabindex={-1} class={p.flash?.error ? 'error' : undefined}>
            {p.flash?.text ?? ''}
          </p>
          {p.children}
        </main>
        <script src={`${BASE}/assets/console.js`} defer></script>
      </body>
    </html>
  );
}

/** A state word as a coloured badge (text stays readable without colour). */
export function Badge(props: { state: string | null | undefined }) {
  const s = props.state ?? 'none';
  return <span class={`badge s-${s.replace(/[^A-Za-z-]/g, '')}`}>{s}</span>;
}

/** A hidden field telling an action where to send the browser back. */
export function Back(props: { to: string }) {
  return <input type="hidden" name="back" value={props.to} />;
}

export function Time(props: { at: string | number | null | undefined }) {
  if (props.at === null || props.at === undefined || props.at === '') return <span class="muted">—</span>;
  const iso = typeof props.at === 'number' ? new Date(props.at).toISOString() : props.at;
  return <time datetime={iso}>{iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, 'Z')}</time>;
}

/** A table head of column names (scope="col" for screen readers). */
export function THead(props: { cols: string[] }) {
  return (
    <thead>
      <tr>
        {props.cols.map((c) => (
          <th scope="col">{c}</th>
        ))}
      </tr>
    </thead>
  );
}

/** Links to the same page for each environment, the current one marked. */
export function EnvPicker(props: { label: string; page: string; envs: { name: string }[]; current: string; format?: (name: string) => string }) {
  return (
    <nav aria-label={`${props.label}s`}>
      <p>
        {props.label}:{' '}
        {props.envs.map((e) => (
          <>
            <a href={`${BASE}${props.page}?env=${e.name}`} aria-current={e.name === props.current ? 'true' : undefined}>
              {props.format ? props.format(e.name) : e.name}
            </a>{' '}
          </>
        ))}
      </p>
    </nav>
  );
}
