// HTTP for self-service promotions (S4 L3180–3900). Every call goes to the upper environment; scope fr:idc:promotion:*.
import { createRoute, z } from '@hono/zod-openapi';
import type { EnvApp } from '../../core/types.js';
import { aicAuth } from '../../core/auth.js';
import { errorShape, send, validBody } from '../../core/http.js';
import { promoteBody, rollbackBody } from './model.js';
import * as svc from './service.js';
import { lazy } from '../../core/lazy.js';

const AUTH = aicAuth({ anyOf: ['fr:idc:promotion:*'] });
/** The service's domain errors answer the environment API's `{code, message}` (aic/errors.ts). */
const ENV_ERRORS = errorShape('env');
// built when the routes first register (issue #17: start-up)
const schemas = lazy(() => {
  const json = z.record(z.string(), z.unknown());
  const envErrorSchema = z.object({ code: z.number(), message: z.string() }).openapi('EnvironmentError');
  const errors = {
    400: { description: 'Invalid request, or not an upper environment', content: { 'application/json': { schema: envErrorSchema } } },
    401: { description: 'No or invalid token', content: { 'application/json': { schema: json } } },
    403: { description: 'Insufficient scope', content: { 'application/json': { schema: json } } },
    409: { description: 'Conflict (already locked, maintenance, blocked, not locked, wrong promotion id)', content: { 'application/json': { schema: envErrorSchema } } },
  } as const;
  return { json, envErrorSchema, errors };
});
const ok = (description: string) => ({ 200: { description, content: { 'application/json': { schema: schemas().json } } } });


/** Report reads answer 404 while there is no promotion or rollback to report on. */
const noReport = (summary: string) => ({
  responses: { ...ok(summary), ...schemas().errors, 404: { description: 'No report yet', content: { 'application/json': { schema: schemas().envErrorSchema } } } },
});

export function promotionRoutes(app: EnvApp): void {
  const tags = ['Promotions'];
  const route = (method: 'get' | 'post' | 'delete', path: string, summary: string, extra: Record<string, unknown> = {}) =>
    createRoute({ method, path, tags, summary, middleware: [ENV_ERRORS, AUTH] as const, responses: { ...ok(summary), ...schemas().errors }, ...extra });

  app.openapi(route('get', '/environment/promotion/lock/state', 'Lock state of the lower and upper environments'), (c) => {
    svc.settle(c.get('env'));
    return send(c, svc.lockStateView(c.get('env')));
  });
  app.openapi(route('post', '/environment/promotion/lock', 'Lock the lower and upper environments'), (c) => {
    svc.settle(c.get('env'));
    return send(c, svc.lock(c.get('env'), c.get('actor')));
  });
  app.openapi(
    route('delete', '/environment/promotion/lock/{promotionId}', 'Unlock the environments', { request: { params: z.object({ promotionId: z.string() }) } }),
    (c) => {
      svc.settle(c.get('env'));
      return send(c, svc.unlock(c.get('env'), c.req.param('promotionId')!, c.get('actor')));
    },
  );
  app.openapi(route('get', '/environment/promotion/promote', 'Promotion or rollback status'), (c) => {
    svc.settle(c.get('env'));
    return send(c, svc.statusView(c.get('env')));
  });
  app.openapi(
    route('post', '/environment/promotion/promote', 'Start a promotion (or a dry run): {dryRun, ignoreEncryptedSecrets?, promoter?, promotionDescription?, unlockEnvironmentsAfterPromotion?}'),
    async (c) => {
      const body = await validBody(c, 'env', promoteBody());
      svc.settle(c.get('env'));
      return send(c, svc.start(c.get('env'), 'promotion', body, c.get('actor')));
    },
  );
  app.openapi(
    route('post', '/environment/promotion/rollback', 'Start a rollback (body {})'),
    async (c) => {
      const body = await validBody(c, 'env', rollbackBody());
      svc.settle(c.get('env'));
      return send(c, svc.start(c.get('env'), 'rollback', { ...body, dryRun: false }, c.get('actor')));
    },
  );
  app.openapi(route('get', '/environment/promotion/report', 'Report of the most recent promotion or rollback', noReport('Report of the most recent promotion or rollback')), (c) => {
    svc.settle(c.get('env'));
    return send(c, svc.latestReport(c.get('env')));
  });
  app.openapi(route('get', '/environment/promotion/report/provisional-rollback', 'What a rollback would revert', noReport('What a rollback would revert')), (c) => {
    svc.settle(c.get('env'));
    return send(c, svc.provisionalRollback(c.get('env')));
  });
  // frodo-lib PromotionApi getProvisionalPromotionReport: what a promotion would move now (informational, no lock needed)
  app.openapi(route('get', '/environment/promotion/report/provisional', 'What a promotion would change now'), (c) => {
    svc.settle(c.get('env'));
    return send(c, svc.provisionalPromotion(c.get('env')));
  });
  app.openapi(route('get', '/environment/promotion/report/{reportId}', 'One report', { request: { params: z.object({ reportId: z.string() }) } }), (c) => {
    svc.settle(c.get('env'));
    return send(c, svc.reportById(c.get('env'), c.req.param('reportId')!));
  });
  app.openapi(route('get', '/environment/promotion/reports', 'Previous promotion and rollback reports'), (c) => {
    svc.settle(c.get('env'));
    return send(c, svc.listReports(c.get('env')));
  });
}
