// Which host names this emulator serves: the control plane answers only to them (admin/guard.ts) and the AIC admin UI
// clients' registered redirect URIs live on them (aic/oauth/session.ts). Loopback names always; the listen address,
// `--public-url` and `--allowed-host` names on top.
import type { Emulator } from '../emulator.js';

/** `ALLOWED_HOSTS` / `--allowed-host` entries: `name`, `.suffix` or `*.suffix` (any subdomain), `*` (any host). */
export function parseAllowedHosts(list: string | string[] | undefined): string[] {
  const items = Array.isArray(list) ? list : (list ?? '').split(',');
  return items.map((h) => h.trim().toLowerCase()).filter(Boolean);
}

/** The host name of a `Host` header or URL authority, lower case, without port or IPv6 brackets. */
export function hostName(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (a.startsWith('[')) return a.slice(1, a.indexOf(']') > 0 ? a.indexOf(']') : undefined);
  const colon = a.lastIndexOf(':');
  return colon >= 0 && a.indexOf(':') === colon ? a.slice(0, colon) : a;
}

function isLoopback(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true; // RFC 6761: *.localhost is loopback (env labels)
  if (name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** Whether the emulator serves this host name (loopback, its listen address, `--public-url`, `--allowed-host`). */
export function servesHost(emulator: Emulator, name: string): boolean {
  if (isLoopback(name)) return true;
  const listen = emulator.host.toLowerCase();
  if (listen !== '0.0.0.0' && listen !== '::' && hostName(listen) === name) return true;
  const publicUrl = emulator.options.publicUrl;
  if (publicUrl) {
    // `http://{env}.localhost:30100` serves every environment's label
    for (const candidate of publicUrl.includes('{env}') ? emulator.environments.map((e) => publicUrl.replaceAll('{env}', e.name)) : [publicUrl]) {
      if (URL.canParse(candidate) && hostName(new URL(candidate).host) === name) return true;
    }
  }
  for (const allowed of emulator.allowedHosts) {
    if (allowed === '*' || allowed === name) return true;
    const suffix = allowed.startsWith('*.') ? allowed.slice(1) : allowed.startsWith('.') ? allowed : undefined;
    if (suffix && (name.endsWith(suffix) || name === suffix.slice(1))) return true;
  }
  return false;
}
