// Control plane for access requests (under /__emulator, `?env=<aic env>`, default: the environment called):
// approval delegates, which the product sets in the end-user UI (S4 L13073–13115, My Directory > Delegates).
import type { Context } from 'hono';
import type { AppEnv, EnvApp } from '../../../core/types.js';
import type { Emulator } from '../../../emulator.js';
import type { Environment } from '../../../environment.js';
import { DomainError, igaError } from '../../../core/errors.js';
import { aicWireError } from '../../errors.js';
import { addDelegate, fulfilmentControl, removeDelegate } from './service.js';
import { requestsState } from './config.js';

export function registerAdminRoutes(admin: EnvApp, emulator: Emulator): void {
  const target = (c: Context<AppEnv>): Environment => {
    const name = c.req.query('env');
    const e = name ? emulator.env(name) : c.get('env');
    if (!e || e.product !== 'aic') throw igaError(404, `no AIC environment ${name ?? ''}`.trim());
    return e;
  };
  admin.get('/iga/delegates', (c) => c.json({ result: requestsState(target(c)).delegates ?? [] }));
  // {userId, delegateId, startDate?, endDate?}: delegateId receives userId's approval items during the period
  admin.post('/iga/delegates', async (c) => {
    const env = target(c);
    const b = (await c.req.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!b || typeof b.userId !== 'string' || typeof b.delegateId !== 'string') throw igaError(400, 'userId and delegateId are required');
    try {
      addDelegate(env, { userId: b.userId, delegateId: b.delegateId, startDate: (b.startDate as string | null | undefined) ?? null, endDate: (b.endDate as string | null | undefined) ?? null });
    } catch (e) {
      // the service's refusals (unknown user, bad date) answer IGA's `{message}` here too, as before domain errors
      throw e instanceof DomainError ? aicWireError('iga', e) : e;
    }
    return c.json({ result: requestsState(env).delegates });
  });
  // fulfilment controls: {delayMs?, failNext?, failureMessage?} — the next `failNext` fulfilments end "not provisioned"
  admin.get('/iga/fulfilment', (c) => c.json(fulfilmentControl(target(c))));
  admin.post('/iga/fulfilment', async (c) => {
    const ctl = fulfilmentControl(target(c));
    const b = ((await c.req.json().catch(() => ({}))) ?? {}) as Record<string, unknown>;
    const int = (v: unknown, name: string, max: number) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw igaError(400, `${name} must be an integer between 0 and ${max}`);
      return v;
    };
    if (b.delayMs !== undefined) ctl.delayMs = int(b.delayMs, 'delayMs', 365 * 86_400_000);
    if (b.failNext !== undefined) ctl.failNext = int(b.failNext, 'failNext', 1_000_000);
    if (b.failureMessage !== undefined) {
      if (typeof b.failureMessage !== 'string' || !b.failureMessage) throw igaError(400, 'failureMessage must be a non-empty string');
      ctl.failureMessage = b.failureMessage;
    }
    return c.json(ctl);
  });
  admin.delete('/iga/delegates', (c) => {
    const env = target(c);
    const ok = removeDelegate(env, c.req.query('userId') ?? '', c.req.query('delegateId') ?? '');
    if (!ok) throw igaError(404, 'No such delegate');
    return c.body(null, 204);
  });
}
