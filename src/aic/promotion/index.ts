// Self-service promotions (issue 5; SPEC §3; S4 L3009–3900): lock, promote, rollback, reports, 409s, fault injection.
import type { Area } from '../../core/types.js';
import { envError } from '../../core/errors.js';
import { DEFAULT_TIMINGS, promotionFixture, type PromotionFixture, type PromotionState } from './model.js';
import { promotionRoutes } from './routes.js';
import { promotionAdminRoutes } from './admin.js';
import { SETTLE_JOB, settle } from './service.js';
import { lockOf } from './guard.js';

// S4 L3140: when the lower environment is development, most endpoints there are restricted while locked;
// these keep working (authentication, sessions, the promotion API itself, health, the control plane).
const ALLOWED_WHILE_LOCKED = [/^\/am\/oauth2\//, /^\/am\/json\/realms\/.*(authenticate|sessions)/, /^\/environment\/promotion\//, /^\/monitoring\//, /^\/__emulator(\/|$)/];

export const promotionArea: Area<PromotionFixture, PromotionState> = {
  name: 'promotion',
  fixture: promotionFixture,
  seed: (section) => {
    const p = section.promotion ?? {};
    return {
      lock: (p.lock ?? null) as PromotionState['lock'],
      maintenance: p.maintenance ?? false,
      blocked: p.blocked ?? null,
      run: (p.run ?? null) as unknown as PromotionState['run'],
      fault: p.fault ?? null,
      lockFault: p.lockFault ?? null,
      reports: (p.reports ?? []) as unknown as PromotionState['reports'],
      rollback: (p.rollback ?? null) as unknown as PromotionState['rollback'],
      timings: { ...DEFAULT_TIMINGS, ...(p.timings ?? {}) },
    };
  },
  snapshot: (st) => ({ promotion: st as unknown as NonNullable<PromotionFixture['promotion']> }),
  init: (env) => {
    env.jobs.on(SETTLE_JOB, () => settle(env));
  },
  middleware: (app) => {
    // synchronous: no promise of its own per request
    app.use('*', (c, next) => {
      const env = c.get('env');
      settle(env);
      const method = c.req.method;
      if (!env.lower && method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
        const lock = lockOf(env);
        if (lock.state !== 'unlocked' && lock.promotionId && !ALLOWED_WHILE_LOCKED.some((re) => re.test(c.req.path))) {
          throw envError(409, `Environment is locked for promotion ${lock.promotionId}`);
        }
      }
      return next();
    });
  },
  routes: (app) => promotionRoutes(app),
  adminRoutes: (admin, emulator) => promotionAdminRoutes(admin, emulator),
};
