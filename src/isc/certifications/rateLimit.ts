// Per-access-token rate limit for every ISC /v3 and /beta request (SPEC §7, S2 429): default 100 requests per 10 s,
// configurable with the fixture key `iscRateLimit`; refused requests get 429 `{"message":" Rate Limit Exceeded "}`
// and `Retry-After` in seconds. Windows run on the emulator clock (core/rateLimit.ts).
import { createMiddleware } from 'hono/factory';
import type { AppEnv, EnvApp } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import { requestHeader } from '../../core/requestHeader.js';
import { FixedWindowLimiter } from '../../core/rateLimit.js';
import type { IscCertificationsState } from './model.js';

function config(env: Environment) {
  return env.slice<IscCertificationsState | undefined>('iscCertifications')?.rateLimit ?? { requests: 100, windowSeconds: 10 };
}

const newSlot = () => ({ entry: undefined as { windowMs: number; limiter: FixedWindowLimiter } | undefined });

export function limiterFor(env: Environment): FixedWindowLimiter {
  const windowMs = config(env).windowSeconds * 1000;
  // the environment's memory: reset and seed start fresh windows
  const slot = env.memory('isc.rateLimit', newSlot);
  if (!slot.entry || slot.entry.windowMs !== windowMs) {
    slot.entry = { windowMs, limiter: new FixedWindowLimiter(() => config(env).requests, windowMs, () => env.clock.now()) };
  }
  return slot.entry.limiter;
}

export function registerRateLimit(app: EnvApp): void {
  // synchronous: no promise of its own per request
  const mw = createMiddleware<AppEnv>((c, next) => {
    const token = c.get('env').tokens.bearer(requestHeader(c, 'authorization'));
    // no token: nothing to count against; the route answers 401
    if (!token) return next();
    const d = limiterFor(c.get('env')).refusal(token);
    if (d !== undefined) {
      c.header('Retry-After', String(d.retryAfterSeconds));
      return Promise.resolve(c.json({ message: ' Rate Limit Exceeded ' }, 429));
    }
    return next();
  });
  app.use('/v3/*', mw);
  app.use('/beta/*', mw);
}
