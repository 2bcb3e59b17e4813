// The console's stylesheet and its one progressive-enhancement script, served from /__emulator/ui/assets/*.
// No build step, no CDN, no web fonts: everything works offline in a training room or a CI container.
// Without the script every page still works (plain links and forms that post and redirect back).

export const CONSOLE_CSS = `
:root{--fg:#16181d;--muted:#4a5160;--bg:#fff;--line:#c9ced8;--soft:#f2f4f7;--accent:#0b57d0;--ok:#116b2f;--warn:#8a5300;--bad:#b3261e;color-scheme:light}
*{box-sizing:border-box}
html{font:17px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg)}
body{margin:0}
a{color:var(--accent)}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem .6rem;z-index:2}
header{background:#10243e;color:#fff;padding:.5rem 1.25rem;display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center}
header .brand{font-weight:700;font-size:1.1rem}
header nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem}
header nav a{color:#fff;text-decoration:none;padding:.3rem .65rem;border-radius:.3rem;display:inline-block}
header nav a:hover{background:#23406a}
header nav a[aria-current=page]{background:#fff;color:#10243e;font-weight:600}
header .clock{margin-left:auto;font-variant-numeric:tabular-nums;font-size:.95rem}
#live{font-size:.85rem;opacity:.85}
main{padding:1rem 1.25rem 3rem;max-width:84rem}
h1{font-size:1.6rem;margin:.3rem 0 .8rem}h2{font-size:1.25rem;margin:1.6rem 0 .5rem}h3{font-size:1.05rem;margin:1rem 0 .4rem}
table{border-collapse:collapse;width:100%;margin:.3rem 0 1rem;font-size:.95rem}
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
caption{text-align:left;font-weight:600;padding:.3rem 0;color:var(--muted)}
code,pre,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.88em}
pre{background:var(--soft);padding:.6rem;overflow:auto;max-height:22rem;margin:.3rem 0}
.muted{color:var(--muted)}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-size:.85rem;font-weight:600;border:1px solid currentColor}
.s-ok,.s-unlocked,.s-ready,.s-READY,.s-complete,.s-approve,.s-loaded,.s-active{color:var(--ok)}
.s-locking,.s-unlocking,.s-restarting,.s-RUNNING,.s-in-progress,.s-pending,.s-staging{color:var(--warn)}
.s-locked{color:var(--accent)}
.s-error,.s-ERROR,.s-reject,.s-revoke,.s-blocked,.s-cancelled,.s-expired{color:var(--bad)}
form{margin:0}
fieldset{border:1px solid var(--line);border-radius:.4rem;padding:.6rem .8rem;margin:.5rem 0 1rem}
legend{font-weight:600;padding:0 .3rem}
label{display:inline-flex;flex-direction:column;font-size:.88rem;color:var(--muted);margin:0 .6rem .4rem 0;vertical-align:bottom}
input,select,button,textarea{font:inherit;font-size:.95rem}
input,select,textarea{padding:.3rem .4rem;border:1px solid #8a93a3;border-radius:.3rem;color:var(--fg);background:#fff}
button{padding:.35rem .8rem;border:1px solid var(--accent);border-radius:.3rem;background:var(--accent);color:#fff;cursor:pointer;margin:0 .35rem .35rem 0}
button.secondary{background:#fff;color:var(--accent)}
button.danger{background:var(--bad);border-color:var(--bad)}
button:disabled{opacity:.5;cursor:not-allowed}
.row{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:flex-start}
.card{border:1px solid var(--line);border-radius:.5rem;padding:.7rem 1rem;min-width:16rem;flex:1}
.card h3{margin-top:0}
.chain{display:flex;align-items:center;gap:.5rem;flex-wrap:wrap;margin:.3rem 0 1rem}
.chain .card{flex:0 1 22rem}
.arrow{font-size:1.6rem;color:var(--muted)}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:.3rem 0}
dl.kv dt{color:var(--muted)}dl.kv dd{margin:0}
ol.timeline{list-style:none;padding:0;margin:.3rem 0 1rem;border-left:3px solid var(--line)}
ol.timeline li{padding:.2rem .8rem;position:relative}
ol.timeline li::before{content:"";position:absolute;left:-.45rem;top:.65rem;width:.6rem;height:.6rem;border-radius:50%;background:var(--accent)}
ol.timeline time{font-variant-numeric:tabular-nums;color:var(--muted);margin-right:.6rem}
.diff-add{background:#e6f4ea}.diff-del{background:#fce8e6}.diff-mod{background:#fef7e0}
progress{width:10rem;vertical-align:middle}
#flash:empty{display:none}
#flash{border-left:4px solid var(--accent);background:var(--soft);padding:.5rem .8rem;margin:.2rem 0 1rem}
#flash.error{border-color:var(--bad)}
.tail{max-height:32rem;overflow:auto;font-size:.85rem}
.tail td{white-space:nowrap}.tail td.payload{white-space:normal;word-break:break-word}
@media (min-width:1600px){html{font-size:19px}}
`;

// Live updates: one EventSource per tab on /__emulator/events; a change batch that concerns the page (its
// body's data-watch areas) re-fetches the page and swaps its [data-live] regions, keeping forms and focus.
// Forms post with fetch and swap <main> with the page the action redirects to (the same page without script).
export const CONSOLE_JS = `(() => {
  const watch = new Set((document.body.dataset.watch || '').split(' ').filter(Boolean));
  const envs = new Set((document.body.dataset.envs || '').split(' ').filter(Boolean));
  const status = document.getElementById('live');
  let busy = false, again = false;
  const parse = (html) => new DOMParser().parseFromString(html, 'text/html');
  function keepFocus(swap) {
    const a = document.activeElement; const id = a && a.id; const name = a && a.getAttribute && a.getAttribute('name');
    swap();
    const again = id ? document.getElementById(id) : null;
    if (again) again.focus();
    else if (name && a && !document.contains(a)) { const n = document.querySelector('[name="' + CSS.escape(name) + '"]'); if (n) n.focus(); }
  }
  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const res = await fetch(location.href, { headers: { 'x-console-refresh': '1' } });
      const doc = parse(await res.text());
      keepFocus(() => {
        for (const el of document.querySelectorAll('[data-live]')) {
          const fresh = doc.getElementById(el.id);
          if (fresh && fresh.innerHTML !== el.innerHTML) el.innerHTML = fresh.innerHTML;
        }
      });
      document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes || 0) + 1);
    } catch (e) { if (status) status.textContent = 'refresh failed'; }
    finally { busy = false; if (again) { again = false; refresh(); } }
  }
  const relevant = (c) => (c.env === '*' || envs.size === 0 || envs.has(c.env)) && (watch.has(c.area) || (c.source && watch.has(c.area + ':' + c.source)));
  if (window.EventSource && watch.size) {
    const es = new EventSource('/__emulator/events');
    es.addEventListener('hello', () => { if (status) status.textContent = 'live'; document.body.dataset.live = 'on'; });
    es.addEventListener('change', (ev) => { if (JSON.parse(ev.data).changes.some(relevant)) refresh(); });
    es.onerror = () => { if (status) status.textContent = 'reconnecting…'; };
  }
  document.addEventListener('submit', async (ev) => {
    const form = ev.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== 'post') return;
    ev.preventDefault();
    const body = new URLSearchParams(new FormData(form, ev.submitter));
    for (const b of form.querySelectorAll('button')) b.disabled = true;
    try {
      const res = await fetch(form.action, { method: 'POST', body });
      const doc = parse(await res.text());
      const main = doc.querySelector('main');
      if (main) keepFocus(() => { document.querySelector('main').replaceWith(main); });
      const url = new URL(res.url); url.searchParams.delete('flash'); url.searchParams.delete('flashError');
      history.replaceState(null, '', url.pathname + url.search);
      const flash = document.getElementById('flash'); if (flash && flash.textContent) flash.focus();
    } finally { for (const b of form.querySelectorAll('button')) b.disabled = false; }
  });
})();
`;
