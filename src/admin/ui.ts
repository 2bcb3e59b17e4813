// A small inspector page at GET /__emulator/ for trainers and curious developers. It renders nothing itself:
// its script calls the same control-plane JSON API (environments, credentials, clock, faults, reset, snapshot).
export const INSPECTOR_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tenant-emulator</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
code,pre{background:#f4f4f4;padding:.1rem .3rem}pre{padding:.5rem;overflow:auto;max-height:18rem}
button{margin-right:.4rem}
</style></head><body>
<h1>tenant-emulator</h1>
<p>Emulated PingOne Advanced Identity Cloud and SailPoint Identity Security Cloud tenants. Everything here uses the
control plane under <code>/__emulator</code>.</p>
<h2>Environments</h2><table id="envs"><tr><th>name</th><th>product</th><th>url</th><th>lower</th><th>upper</th><th></th></tr></table>
<h2>Clock</h2><p id="clock"></p>
<p><button data-adv="1000">+1 s</button><button data-adv="60000">+1 min</button><button data-adv="3600000">+1 h</button>
<button data-adv="86400000">+1 day</button><button id="freeze"></button></p>
<h2>Faults</h2><pre id="faults"></pre>
<h2>State</h2><p><button id="reset">Reset all environments</button><a href="snapshot" download="snapshot.json">Download snapshot</a></p>
<h2>Credentials</h2><pre id="creds"></pre>
<script>
const j = (p, o) => fetch(p, o).then((r) => r.status === 204 ? null : r.json());
const post = (p, b) => j(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b ?? {}) });
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
async function refresh() {
  const { environments } = await j('environments');
  document.getElementById('envs').innerHTML = '<tr><th>name</th><th>product</th><th>url</th><th>lower</th><th>upper</th><th></th></tr>' +
    environments.map((e) => '<tr><td>' + esc(e.name) + '</td><td>' + esc(e.product) + '</td><td><a href="' + esc(e.url) + '/monitoring/health">' + esc(e.url) +
      '</a></td><td>' + esc(e.lower ?? '') + '</td><td>' + esc(e.upper ?? '') + '</td><td><button data-reset="' + esc(e.name) + '">reset</button></td></tr>').join('');
  const clock = await j('clock');
  document.getElementById('clock').textContent = clock.now + (clock.frozen ? ' (frozen)' : '') + ', offset ' + clock.offsetMs + ' ms, scale ' + clock.scale;
  document.getElementById('freeze').textContent = clock.frozen ? 'Unfreeze' : 'Freeze';
  document.getElementById('freeze').onclick = () => post('clock', { frozen: !clock.frozen }).then(refresh);
  document.getElementById('faults').textContent = JSON.stringify((await j('faults')).faults, null, 2);
  document.getElementById('creds').textContent = JSON.stringify(await j('credentials'), null, 2);
}
document.addEventListener('click', (ev) => {
  const t = ev.target;
  if (t.dataset.adv) post('clock', { advanceMs: Number(t.dataset.adv) }).then(refresh);
  if (t.dataset.reset) post('reset?env=' + encodeURIComponent(t.dataset.reset)).then(refresh);
  if (t.id === 'reset') post('reset').then(refresh);
});
refresh();
</script></body></html>`;
