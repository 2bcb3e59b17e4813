// Remediation of REVOKE decisions (S2: sign-off "initiates any remediations required"; SPEC §8: "certification
// remediation goes through the same provisioning path"). At sign-off every revoked item becomes PENDING; `delayMs` of
// emulator time later the access model's revokeAccess takes the access away, attributed to the identity that signed
// (its token's principal, seeds 000/001). Access the model no longer holds is complete with nothing to remove. An item
// whose revocation fails (a failure injected from the control plane) is FAILED with the reason; the campaigns'
// run-remediation-scan re-queues those. Role-composition items (the subject is a role) take the access profile or
// entitlement out of the role, as its remediator would.
import type { Environment } from '../../environment.js';
import type { RequestActor } from '../../core/types.js';
import { ApiError } from '../../core/errors.js';
import { accessIndex, findItem as findAccessItem, identityRef, revokeAccess } from '../access/service.js';
import { findIdentity } from '../identities/service.js';
import { certAttrs, certState, ctxFromJob, findCertification, jobPrincipal, onSignedOff, recordEvent } from './service.js';
import type { Certification, RemediationControl, ReviewItem } from './model.js';

export const JOB_REMEDIATION = 'isc-cert-remediation';

export function remediationControl(env: Environment): RemediationControl {
  return certState(env).remediation;
}

/** Mark revoked items PENDING and schedule their removal as `ctx`'s principal. */
export function queueRemediation(env: Environment, ctx: RequestActor, cert: Certification, items: ReviewItem[]): void {
  if (!items.length) return;
  const now = env.clock.nowIso();
  for (const it of items) it.remediation = { status: 'PENDING', started: now, completed: null, error: null };
  env.jobs.schedule(JOB_REMEDIATION, env.clock.now() + remediationControl(env).delayMs, { certificationId: cert.id, itemIds: items.map((i) => i.id), txId: ctx.txId, principal: jobPrincipal(ctx.principal) });
  recordEvent(env, ctx, { operation: 'REMEDIATION', status: 'STARTED', name: 'Certification Remediation Started', target: cert.name, attributes: { ...certAttrs(env, cert), revokedItems: items.map((i) => i.id) } });
  env.changed();
}

onSignedOff((env, ctx, cert) =>
  queueRemediation(
    env,
    ctx,
    cert,
    cert.items.filter((i) => i.decision === 'REVOKE'),
  ),
);

const accessRef = (it: ReviewItem) => ({ type: it.type, id: (it.type === 'ROLE' ? it.role?.id : it.type === 'ACCESS_PROFILE' ? it.accessProfile?.id : it.entitlement?.id) ?? '' });

/** Take one item's access away. Access the model no longer knows (deleted item or identity) has nothing left to remove. */
function remediateItem(env: Environment, it: ReviewItem, actorId: string): void {
  const item = accessRef(it);
  if (!findAccessItem(env, item)) return;
  if (!findIdentity(env, it.identityId)) {
    // role composition: the subject is a role, the item one of its parts
    const ix = accessIndex(env);
    const role = ix.roles.get(it.identityId);
    if (!role) return;
    const list = item.type === 'ACCESS_PROFILE' ? role.accessProfileIds : role.entitlementIds;
    const at = list.indexOf(item.id);
    if (at >= 0) {
      list.splice(at, 1);
      role.modified = env.clock.nowIso();
      ix.touch();
    }
    return;
  }
  revokeAccess(env, it.identityId, item, { id: actorId });
}

/** Job: revoke each PENDING item of the batch (or fail it, when a failure is injected or the model refuses). */
export function runRemediation(env: Environment, payload: Record<string, unknown>): void {
  const cert = findCertification(env, String(payload.certificationId));
  if (!cert) return;
  const ctx = payload.principal ? ctxFromJob(payload, cert.id) : undefined;
  // remediations queued before attribution was recorded act as the signer
  const actorId = ctx?.principal.id ?? cert.signer?.id ?? '';
  const ids = Array.isArray(payload.itemIds) ? new Set(payload.itemIds as string[]) : undefined;
  const control = remediationControl(env);
  const now = env.clock.nowIso();
  const done: string[] = [];
  const failed: Array<{ id: string; error: string }> = [];
  for (const it of cert.items) {
    if (it.remediation?.status !== 'PENDING' || (ids && !ids.has(it.id))) continue;
    let error: string | null = null;
    if (control.failNext > 0) {
      control.failNext--;
      error = control.failureMessage;
    } else {
      try {
        remediateItem(env, it, actorId);
      } catch (err) {
        error = err instanceof ApiError ? `The access could not be removed (${err.status}).` : err instanceof Error && err.message ? err.message : 'The access could not be removed.';
      }
    }
    it.remediation = { status: error ? 'FAILED' : 'COMPLETED', started: it.remediation.started, completed: error ? null : now, error };
    if (error) failed.push({ id: it.id, error });
    else done.push(it.id);
  }
  const signer = identityRef(env, actorId);
  if (done.length) recordEvent(env, ctx, { operation: 'REMEDIATION', status: 'PASSED', name: 'Certification Remediation Passed', target: cert.name, attributes: { ...certAttrs(env, cert), revokedItems: done, remediatedFor: signer?.name ?? actorId } });
  if (failed.length) recordEvent(env, ctx, { operation: 'REMEDIATION', status: 'FAILED', name: 'Certification Remediation Failed', target: cert.name, attributes: { ...certAttrs(env, cert), failedItems: failed } });
  env.changed();
}
