// Monitoring logs (SPEC §4; S4 L4800–6520): /monitoring/logs, /sources and /tail fed by what the emulator serves.
// Its middleware writes the access entry of every request an AIC environment serves (registered second among
// AIC areas, so it wraps every route); other areas add activity entries through core/audit.ts.
import { z } from 'zod';
import { lazy } from '../../core/lazy.js';
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { Area, AppEnv } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { crestError } from '../../core/errors.js';
import { logsFixture, type LogsFixture, type LogsState } from './model.js';
import { registerLogRoutes } from './routes.js';
import { resetRateLimit } from './service.js';
import { type AccessRecord, type TokenRequestInfo, accessRecord, accessSource, isTokenRequest, isUnloggedPath, logTokenAuthentication, readTokenRequest, tokenDetail, writeAccessAttempt, writeAccessOutcome } from './access.js';
import { fillBackground } from './traffic.js';
import { maxEntries, maybePrune, seedLogs } from './state.js';

export { logAuthentication } from './service.js';
export { setLogTraffic } from './traffic.js';

// POST /logs/entries: one entry or an array of them (built on the first such call)
const entriesBody = lazy(() => {
  const entryBody = z.object({
    source: z.string().min(1),
    payload: z.union([z.string(), z.record(z.string(), z.unknown())]),
    timestamp: z.string().optional(),
  });
  return z.union([entryBody, z.array(entryBody)]);
});

/** The outcome of a served request (and a token grant's authentication entry), once the rest of the chain answered. */
function done(
  c: Context<AppEnv>,
  env: Environment,
  record: AccessRecord,
  path: string,
  start: number,
  token: TokenRequestInfo | undefined,
  seqBefore: number,
): void {
  const principal = c.get('principal') as Principal | undefined;
  // SPEC §4 / S4 am-authentication: token grants are authentication events
  if (token) logTokenAuthentication(env, c.get('txId'), token, c.res.status, seqBefore);
  // one reading of the clock for the outcome's time, its elapsed time and the prune check (issue #17)
  const end = env.clock.now();
  writeAccessOutcome(env, record, path, c.res.status, end - start, principal, end);
  maybePrune(env, end);
}

export const logsArea: Area<LogsFixture, LogsState> = {
  name: 'logs',
  fixture: logsFixture,
  seed: seedLogs,
  snapshot: (st) => ({
    logs: {
      rateLimit: st.rateLimit,
      retentionDays: st.retentionDays,
      wsFederation: st.wsFederation,
      backgroundTraffic: st.backgroundTraffic,
      ...(st.maxEntries != null ? { maxEntries: st.maxEntries } : {}),
    },
  }),

  init(env) {
    env.logbook.maxEntries = () => maxEntries(env);
  },

  middleware(app) {
    // synchronous when the rest of the chain is (core/router.ts composeChain): no promise of its own per request
    const log = (c: Context<AppEnv>, next: Next, path: string): void | Promise<void> => {
      const env = c.get('env');
      fillBackground(env);
      const start = env.clock.now();
      const method = c.req.method;
      // S4 am-access example: a token request's attempt carries its client_id, grant_type and scope
      if (isTokenRequest(method, path)) return readTokenRequest(c.req.raw).then((token) => around(c, next, path, env, start, method, token));
      return around(c, next, path, env, start, method, undefined);
    };
    const around = (
      c: Context<AppEnv>,
      next: Next,
      path: string,
      env: Environment,
      start: number,
      method: string,
      token: Awaited<ReturnType<typeof readTokenRequest>> | undefined,
    ): void | Promise<void> => {
      const incoming = (c.env as { incoming?: { headers: Record<string, string | string[] | undefined> } } | undefined)?.incoming;
      const record = accessRecord(env.logbook, method, c.req.url, incoming?.headers ?? c.req.raw.headers, c.get('txId'), token ? tokenDetail(token) : undefined);
      const seqBefore = env.logbook.lastSeq;
      // S4 am-access: AM writes AM-ACCESS-ATTEMPT when the call arrives and AM-ACCESS-OUTCOME when it completes
      if (accessSource(path) === 'am-access') writeAccessAttempt(env, record);
      const downstream = next() as unknown;
      // the outcome is written by a module function: a closure is made only when the rest of the chain is a promise
      if (downstream instanceof Promise) return downstream.then(() => done(c, env, record, path, start, token, seqBefore));
      done(c, env, record, path, start, token, seqBefore);
    };
    // the control plane and monitoring pass synchronously (no promise of their own)
    // (typed as Hono's promise-returning middleware; composeChain takes either)
    const access = ((c: Context<AppEnv>, next: Next) => {
      const path = c.req.path;
      return isUnloggedPath(path) ? next() : log(c, next, path);
    }) as MiddlewareHandler<AppEnv>;
    app.use('*', access);
  },

  routes(app) {
    registerLogRoutes(app);
  },

  adminRoutes(admin, emulator) {
    const target = (c: Context<AppEnv>): Environment => {
      const name = c.req.query('env');
      const e = name ? emulator.env(name) : c.get('env');
      if (!e || e.product !== 'aic') throw crestError(404, `no AIC environment ${name ?? ''}`.trim());
      return e;
    };
    // append entries as if the tenant wrote them (for testing log consumers): {source, payload, timestamp?} or an array
    admin.post('/logs/entries', async (c) => {
      const env = target(c);
      const raw = await c.req.json().catch(() => undefined);
      const parsed = entriesBody().safeParse(raw);
      if (!parsed.success) throw crestError(400, parsed.error.issues[0]?.message ?? 'invalid body');
      const list = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
      for (const e of list) {
        const t = e.timestamp ? Date.parse(e.timestamp) : env.clock.now();
        if (Number.isNaN(t)) throw crestError(400, `invalid timestamp ${e.timestamp}`);
        env.logbook.append(e.source, e.payload, t);
      }
      return c.json({ appended: list.length });
    });
    // background traffic on/off at runtime: {ratePerMinute} (0 or null turns it off)
    admin.post('/logs/traffic', async (c) => {
      const env = target(c);
      const raw = (await c.req.json().catch(() => ({}))) as { ratePerMinute?: unknown };
      const rate = raw.ratePerMinute;
      if (rate !== null && (typeof rate !== 'number' || !(rate >= 0) || rate > 60_000)) throw crestError(400, 'ratePerMinute must be a number between 0 and 60000');
      const st = env.slice<LogsState>('logs');
      st.backgroundTraffic = rate ? { ratePerMinute: rate } : null;
      env.changed();
      return c.json({ backgroundTraffic: st.backgroundTraffic });
    });
    // start a fresh rate-limit window
    admin.delete('/logs/rate-limit', (c) => {
      resetRateLimit(target(c));
      return c.body(null, 204);
    });
  },
};
