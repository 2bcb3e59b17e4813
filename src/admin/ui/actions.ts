// Every console button: a form post mapped to one control-plane call or one product API call made as an identity
// (calls.ts). Nothing here decides product behaviour: the outcome line reports the status and body that came back.
import type { Emulator } from '../../emulator.js';
import { ActError, actAs, actSummary, controlPlane, serviceAccountWith, type ActingIdentity, type JsonResult } from './calls.js';

export type Form = Record<string, string | File | undefined>;
export type Flash = { text: string; error: boolean };
type Action = (emulator: Emulator, form: Form) => Promise<Flash>;

const str = (f: Form, k: string): string => {
  const v = f[k];
  return typeof v === 'string' ? v.trim() : '';
};
const need = (f: Form, k: string): string => {
  const v = str(f, k);
  if (!v) throw new ActError(`${k} is required`);
  return v;
};
const num = (f: Form, k: string): number | undefined => {
  const v = str(f, k);
  if (v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new ActError(`${k} must be a number`);
  return n;
};

/** The outcome of a control-plane call, with its error body when it refused. */
function outcome(r: JsonResult, done: string): Flash {
  if (r.status < 400) return { text: done, error: false };
  return { text: `${done.split(':')[0]} refused (${r.status}): ${JSON.stringify(r.body)}`, error: true };
}

/** The identity an act-as form names (env, kind, id). */
function identityOf(f: Form): ActingIdentity {
  const kind = need(f, 'kind');
  if (kind !== 'user' && kind !== 'serviceAccount' && kind !== 'identity') throw new ActError(`unknown identity kind ${kind}`);
  return { env: need(f, 'env'), kind, id: need(f, 'id') };
}

/** Promotion buttons act as the environment's service account holding the promotion scope (S4 L3180). */
function promotionActor(emulator: Emulator, f: Form): ActingIdentity {
  const env = emulator.env(need(f, 'env'));
  if (!env || env.product !== 'aic') throw new ActError(`no AIC environment ${str(f, 'env')}`);
  const who = str(f, 'id') ? identityOf(f) : serviceAccountWith(env, ['fr:idc:promotion:*']);
  if (!who) throw new ActError(`${env.name} has no active service account with fr:idc:promotion:*`);
  return who;
}

const PROMOTION = '/environment/promotion';

export const ACTIONS: Record<string, Action> = {
  // ---- control plane
  reset: async (e, f) => outcome(await controlPlane(e, 'POST', `/reset?env=${encodeURIComponent(need(f, 'env'))}`), `Reset ${str(f, 'env')} to its seed`),
  clock: async (e, f) => {
    const body: Record<string, unknown> = {};
    const advanceMs = num(f, 'advanceMs');
    const scale = num(f, 'scale');
    if (advanceMs !== undefined) body.advanceMs = advanceMs;
    if (scale !== undefined) body.scale = scale;
    if (str(f, 'frozen')) body.frozen = str(f, 'frozen') === 'true';
    const r = await controlPlane<{ now: string }>(e, 'POST', '/clock', body);
    return outcome(r, `Clock: ${r.status < 400 ? r.body.now : ''}${body.frozen === true ? ' (frozen)' : body.frozen === false ? ' (running)' : ''}`);
  },
  'fault-add': async (e, f) => {
    const body: Record<string, unknown> = { path: need(f, 'path') };
    for (const k of ['env', 'method'] as const) if (str(f, k)) body[k] = str(f, k);
    for (const k of ['status', 'delayMs', 'times'] as const) if (num(f, k) !== undefined) body[k] = num(f, k);
    const r = await controlPlane<{ id: string }>(e, 'POST', '/faults', body);
    return outcome(r, `Fault rule added: ${r.status < 400 ? r.body.id : ''}`);
  },
  'fault-remove': async (e, f) => outcome(await controlPlane(e, 'DELETE', `/faults/${encodeURIComponent(need(f, 'id'))}`), `Fault rule ${str(f, 'id')} removed`),
  'promo-fault': async (e, f) => {
    const body = { env: need(f, 'env'), failAt: need(f, 'failAt'), blocking: str(f, 'blocking') === 'true', ...(str(f, 'message') ? { message: str(f, 'message') } : {}) };
    return outcome(await controlPlane(e, 'POST', '/promotion/faults', body), `Next run on ${body.env} fails at "${body.failAt}"${body.blocking ? ' (blocking)' : ''}`);
  },
  'promo-maintenance': async (e, f) => {
    const locked = str(f, 'locked') === 'true';
    return outcome(await controlPlane(e, 'POST', '/promotion/maintenance', { env: need(f, 'env'), locked }), `Maintenance lock on ${str(f, 'env')} ${locked ? 'held' : 'released'}`);
  },
  'promo-unblock': async (e, f) => outcome(await controlPlane(e, 'POST', '/promotion/unblock', { env: need(f, 'env') }), `Blocking error on ${str(f, 'env')} cleared`),

  // ---- product API calls (as a service account, a user or an ISC identity)
  'promo-lock': async (e, f) => actSummary(await actAs(e, promotionActor(e, f), 'POST', `${PROMOTION}/lock`), 'Lock'),
  'promo-unlock': async (e, f) => actSummary(await actAs(e, promotionActor(e, f), 'DELETE', `${PROMOTION}/lock/${encodeURIComponent(need(f, 'promotionId'))}`), 'Unlock'),
  'promo-dryrun': async (e, f) => actSummary(await actAs(e, promotionActor(e, f), 'POST', `${PROMOTION}/promote`, { dryRun: true }), 'Dry run'),
  'promo-promote': async (e, f) =>
    actSummary(
      await actAs(e, promotionActor(e, f), 'POST', `${PROMOTION}/promote`, {
        dryRun: false,
        ignoreEncryptedSecrets: str(f, 'ignoreEncryptedSecrets') === 'true',
        unlockEnvironmentsAfterPromotion: str(f, 'unlockAfter') === 'true',
        ...(str(f, 'promoter') ? { promoter: str(f, 'promoter') } : {}),
      }),
      'Promote',
    ),
  'promo-rollback': async (e, f) => actSummary(await actAs(e, promotionActor(e, f), 'POST', `${PROMOTION}/rollback`, {}), 'Rollback'),
  'esv-restart': async (e, f) => actSummary(await actAs(e, promotionActor(e, f), 'POST', '/environment/startup?_action=restart'), 'Restart'),

  // AIC end-user actions (S3: the end-user UI calls the same governance endpoints)
  'request-decide': async (e, f) => {
    const decision = need(f, 'decision');
    if (decision !== 'approve' && decision !== 'reject') throw new ActError('decision must be approve or reject');
    const comment = str(f, 'comment') || (decision === 'approve' ? 'Approved in the console' : 'Rejected in the console');
    const r = await actAs(e, identityOf(f), 'POST', `/iga/governance/requests/${encodeURIComponent(need(f, 'requestId'))}?_action=${decision}`, { comment });
    return actSummary(r, decision === 'approve' ? 'Approve' : 'Reject');
  },
  'request-access': async (e, f) => {
    const who = identityOf(f);
    const body = { common: { userId: who.id, entitlementId: need(f, 'entitlementId'), justification: str(f, 'justification') || 'Requested in the console', priority: 'low', isDraft: false } };
    return actSummary(await actAs(e, who, 'POST', '/iga/governance/requests/entitlementGrant?_action=create', body), 'Request access');
  },
  'cert-item': async (e, f) => {
    const action = need(f, 'decision');
    if (!['certify', 'revoke', 'exception'].includes(action)) throw new ActError('decision must be certify, revoke or exception');
    const path = `/iga/governance/certification/certification/${encodeURIComponent(need(f, 'certId'))}/items/${encodeURIComponent(need(f, 'lineItemId'))}/${action}`;
    return actSummary(await actAs(e, identityOf(f), 'POST', path, { comment: str(f, 'comment') || `${action} in the console` }), `Certification ${action}`);
  },
  'cert-signoff': async (e, f) => {
    const path = `/iga/governance/certification/certification/${encodeURIComponent(need(f, 'certId'))}/items/signoff`;
    return actSummary(await actAs(e, identityOf(f), 'POST', path, { ids: need(f, 'ids').split(',') }), 'Sign off');
  },
  // ISC reviewer actions (S2: decide, then sign off)
  'isc-decide': async (e, f) => {
    const decision = need(f, 'decision');
    if (decision !== 'APPROVE' && decision !== 'REVOKE') throw new ActError('decision must be APPROVE or REVOKE');
    const path = `/v3/certifications/${encodeURIComponent(need(f, 'certId'))}/decide`;
    return actSummary(await actAs(e, identityOf(f), 'POST', path, [{ id: need(f, 'itemId'), decision, bulk: false }]), `Decide ${decision}`);
  },
  'isc-signoff': async (e, f) => actSummary(await actAs(e, identityOf(f), 'POST', `/v3/certifications/${encodeURIComponent(need(f, 'certId'))}/sign-off`), 'Sign off'),
};
