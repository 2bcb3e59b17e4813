// The public health check, GET /monitoring/health (S4 L4692–4702: 200 "OK" when healthy; a fault rule makes an
// environment unhealthy, admin/faults.ts). It is a liveness probe: CI jobs, `emulator start --wait`, Docker's
// HEALTHCHECK and load balancers poll it in loops, so on a listener a plain `GET /monitoring/health` is answered here,
// by the listener, before the product app (server.ts dispatcher), as a load balancer's probe endpoint is (issue #17:
// the probe costs what a bare Hono route costs). It does what the app does for it and nothing the app would not: the
// environment's due jobs run (the app's first middleware ticks on every request), AIC's transaction id is echoed or
// made, and the same bytes go out. Everything else takes the app's route (app.ts): HEAD, a query string, in-process
// calls, and any environment while a fault rule exists (the app's fault layer decides what an unhealthy one answers).
import type { Emulator } from '../emulator.js';
import type { Environment } from '../environment.js';
import { transactionIdFor } from './ids.js';
import { nodeHeader } from './requestHeader.js';
import { stampTransactionId } from './response.js';
import type { EnvBindings } from './types.js';

export const HEALTH_PATH = '/monitoring/health';
/** What a healthy environment answers: 200, text/plain; charset=UTF-8. */
export const HEALTHY = 'OK';

/** A listener's `GET /monitoring/health`, no query: the request the listener answers, and that registers no routes
 *  when the app answers it (Emulator.appOf). */
export function isPlainHealthCheck(incoming: { url?: string; method?: string } | undefined): boolean {
  return incoming !== undefined && incoming.url === HEALTH_PATH && incoming.method === 'GET';
}

/** The listener's answer to a plain health check while no fault rule exists; undefined: the app answers. */
export function listenerHealth(emulator: Emulator, env: Environment, bindings: EnvBindings): Response | undefined {
  if (emulator.faults.size !== 0) return undefined;
  const incoming = bindings.incoming!;
  // the app's first middleware, for this route: the transaction id (AIC), then due jobs (app.ts)
  if (env.product === 'aic') {
    stampTransactionId(bindings.outgoing, transactionIdFor(nodeHeader(incoming.headers, 'x-forgerock-transactionid')));
  }
  env.tick();
  // the Response Hono's c.text(HEALTHY) makes when nothing else was set on the context: the body alone, to which
  // @hono/node-server adds its default Content-Type (text/plain; charset=UTF-8) and the length, so the bytes are the
  // app route's (test/health-listener.test.ts)
  return new Response(HEALTHY);
}
