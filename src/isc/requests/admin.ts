// Control plane for ISC access requests (under /__emulator): the inspector's view of requests and their approvals,
// and fulfilment controls (delay, injected failures) like the AIC fulfilment's /__emulator/iga/fulfilment.
import type { EnvApp } from '../../core/types.js';
import type { Emulator } from '../../emulator.js';
import { adminError } from '../../core/errors.js';
import { requestsState } from './state.js';
import { renderPending, renderStatus } from './render.js';

export function registerRequestsAdminRoutes(admin: EnvApp, emulator: Emulator): void {
  // ?state=open (default: items still executing, with their pending approvals) | all
  admin.get('/isc/access-requests', (c) => {
    const env = emulator.isc;
    const all = c.req.query('state') === 'all';
    const st = requestsState(env);
    const items = st.items.filter((r) => all || r.state === 'EXECUTING');
    return c.json({
      requests: items.map((r) => ({ ...renderStatus(env, r), phase: r.phase })),
      pendingApprovals: st.approvals.filter((a) => a.state === 'PENDING').map((a) => renderPending(env, a)),
      config: st.config,
      fulfilment: st.fulfilment,
    });
  });
  admin.get('/isc/access-requests/fulfilment', (c) => c.json(requestsState(emulator.isc).fulfilment));
  // {delayMs?, failNext?, failureMessage?}: the next `failNext` provisioning runs end in ERROR with failureMessage
  admin.post('/isc/access-requests/fulfilment', async (c) => {
    const ctl = requestsState(emulator.isc).fulfilment;
    const b = (await c.req.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!b || typeof b !== 'object' || Array.isArray(b)) throw adminError(400, 'body must be a JSON object');
    const int = (v: unknown, name: string, max: number) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw adminError(400, `${name} must be an integer between 0 and ${max}`);
      return v;
    };
    const next = { ...ctl };
    if (b.delayMs !== undefined) next.delayMs = int(b.delayMs, 'delayMs', 365 * 86_400_000);
    if (b.failNext !== undefined) next.failNext = int(b.failNext, 'failNext', 1_000_000);
    if (b.failureMessage !== undefined) {
      if (typeof b.failureMessage !== 'string' || !b.failureMessage) throw adminError(400, 'failureMessage must be a non-empty string');
      next.failureMessage = b.failureMessage;
    }
    Object.assign(ctl, next);
    emulator.isc.changed();
    return c.json(ctl);
  });
}
