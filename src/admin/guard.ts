// The control plane's door (issue #19 item 4). /__emulator resets state, mints tokens and hands out private keys, so a
// web page the developer happens to visit must not reach it: not by a cross-site form or text/plain POST (refused by
// Origin and by content type) and not by DNS rebinding (a hostile name resolving to 127.0.0.1: refused by Host).
// curl, SDKs and tests send no Origin and a loopback Host, and keep working; so does the console, which is same-origin.
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../core/types.js';
import type { Emulator } from '../emulator.js';
import { hostName, servesHost } from '../core/hosts.js';

/** The request's authority: the Host header on a listener, the URL's host for in-process requests. */
function authorityOf(c: Context<AppEnv>): string {
  const incoming = (c.env as { incoming?: { headers: { host?: string } } } | undefined)?.incoming;
  return incoming?.headers.host ?? c.req.header('host') ?? new URL(c.req.url).host;
}

function hasBody(c: Context<AppEnv>): boolean {
  const raw = c.req.raw;
  const listener = !!(c.env as { incoming?: unknown } | undefined)?.incoming;
  // on a listener raw.body would build the web request and start pulling the Node stream, which the body limits
  // (core/limits.ts) then read directly: only an in-process Request is asked
  if (!listener && raw.body === null) return false;
  const length = raw.headers.get('content-length');
  if (raw.headers.has('transfer-encoding')) return true;
  if (length !== null) return length.trim() !== '0';
  // a listener's request without length or chunking has no body (HTTP/1.1); an in-process one with a body does
  return !listener;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

export function controlPlaneGuard(emulator: Emulator): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const authority = authorityOf(c);
    const name = hostName(authority);
    if (!servesHost(emulator, name)) {
      return c.json({ error: `host ${name} is not served by this emulator's control plane; start it with --allowed-host ${name} (or ALLOWED_HOSTS) to allow it` }, 403);
    }
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      let same = false;
      try {
        const o = new URL(origin);
        same = o.host.toLowerCase() === authority.toLowerCase() || emulator.environments.some((e) => new URL(e.url).host === o.host.toLowerCase());
      } catch {
        same = false; // `Origin: null` (sandboxed frames, file: pages) and garbage
      }
      if (!same) return c.json({ error: `cross-origin requests to the control plane are refused (Origin ${origin})` }, 403);
    }
    // a browser tells us where a request came from even when it omits Origin (Fetch Metadata)
    const site = c.req.header('sec-fetch-site');
    if (site === 'cross-site' || site === 'same-site') return c.json({ error: `cross-site requests to the control plane are refused (Sec-Fetch-Site ${site})` }, 403);
    const method = c.req.method;
    // the console's own actions (/__emulator/ui/do/*) are HTML form posts, same-origin by the checks above; everything
    // else reads JSON, so a form or text/plain body (what a cross-site page can send without a preflight) is refused
    const formRoute = c.req.path.startsWith('/__emulator/ui/');
    if (!formRoute && method !== 'GET' && method !== 'HEAD' && hasBody(c) && !JSON_TYPE.test(c.req.header('content-type') ?? '')) {
      return c.json({ error: `the control plane reads JSON: send the body with content-type: application/json (got ${c.req.header('content-type') ?? 'none'})` }, 415);
    }
    return next();
  };
}
