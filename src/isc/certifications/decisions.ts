// ISC certification decisions and sign-off (S2): an active certification's items are decided by its reviewers, then signed off.
import type { RequestActor } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import { auditActivity } from '../../core/audit.js';
import { findIdentity } from '../identities/service.js';
import { Invalid } from '../../core/errors.js';
import type { Actor, Certification, ReviewDecision, ReviewItem } from './model.js';
import { findCampaign, findItem, recordEvent } from './state.js';
import { actorOf, certificationFor } from './authorization.js';
import { accessOf, certCounts, renderCertification, renderReviewer } from './render.js';

// ---- decisions ----
function touch(env: Environment, cert: Certification): void {
  cert.modified = env.clock.nowIso();
  env.changed();
}

export function requireActive(cert: Certification): void {
  if (cert.phase === 'SIGNED') throw new Invalid(`Certification ${cert.id} has already been signed off.`);
  if (cert.phase === 'STAGED') throw new Invalid(`Certification ${cert.id} is not active.`);
}

/** POST /certifications/{id}/decide: validate every decision first (all or nothing), then apply and record the actor. */
export function decide(env: Environment, ctx: RequestActor, certId: string, decisions: ReviewDecision[]) {
  const cert = certificationFor(env, ctx.principal, certId);
  requireActive(cert);
  const campaign = findCampaign(env, cert.campaignId);
  const rule = campaign?.mandatoryCommentRequirement ?? 'NO_DECISIONS';
  const seen = new Set<string>();
  const targets = decisions.map((d) => {
    const item = findItem(cert, d.id);
    if (!item) throw new Invalid(`Access review item ${d.id} does not exist in certification ${cert.id}.`);
    if (seen.has(d.id)) throw new Invalid(`Duplicate decision for access review item ${d.id}.`);
    seen.add(d.id);
    const needsComment = rule === 'ALL_DECISIONS' || (rule === 'REVOKE_ONLY_DECISIONS' && d.decision === 'REVOKE');
    if (needsComment && !d.comments?.trim()) throw new Invalid(`Comments are required for ${d.decision} decisions in this campaign (mandatoryCommentRequirement ${rule}).`);
    if (d.proposedEndDate != null && Number.isNaN(Date.parse(d.proposedEndDate))) throw new Invalid(`Invalid proposedEndDate: ${d.proposedEndDate}`);
    return { item, d };
  });
  const actor = actorOf(env, ctx.principal);
  const now = env.clock.nowIso();
  for (const { item, d } of targets) recordDecision(env, ctx, cert, item, d, actor, now);
  touch(env, cert);
  return renderCertification(env, cert);
}

/** Apply one decision to an item and write its audit records (decide, and campaign completion's auto-decisions). */
export function recordDecision(env: Environment, ctx: RequestActor | undefined, cert: Certification, item: ReviewItem, d: Pick<ReviewDecision, 'decision' | 'bulk' | 'comments' | 'proposedEndDate'>, actor: Actor, now: string): void {
  item.decision = d.decision;
  item.comments = d.comments ?? null;
  item.bulk = d.bulk;
  item.proposedEndDate = d.proposedEndDate ?? null;
  item.decisionMaker = actor;
  item.decided = now;
  const access = accessOf(item);
  const subject = findIdentity(env, item.identityId);
  recordEvent(env, ctx, {
    operation: 'DECIDE',
    name: `${d.decision === 'APPROVE' ? 'Approve' : 'Revoke'} Certification Item Passed`,
    target: subject?.name ?? item.identityId,
    attributes: { ...certAttrs(env, cert), itemId: item.id, decision: d.decision, comments: d.comments ?? null, bulk: d.bulk, accessType: access.type, accessId: access.id, accessName: access.name, identityId: item.identityId },
  });
  if (ctx) auditActivity(env, ctx, { objectId: `certifications/${cert.id}/access-review-items/${item.id}`, operation: 'ACTION', details: { action: 'decide', decision: d.decision } });
}

export function certAttrs(env: Environment, cert: Certification): Record<string, unknown> {
  const reviewer = renderReviewer(env, cert.reviewer);
  return { certificationId: cert.id, certificationName: cert.name, campaignId: cert.campaignId, campaignName: findCampaign(env, cert.campaignId)?.name ?? null, reviewerId: reviewer.id, reviewerName: reviewer.name };
}

// ---- sign-off (S2) ----
export function signOff(env: Environment, ctx: RequestActor, certId: string) {
  const cert = certificationFor(env, ctx.principal, certId);
  if (cert.phase === 'SIGNED') throw new Invalid(`Certification ${cert.id} has already been signed off.`);
  if (cert.phase === 'STAGED') throw new Invalid(`Certification ${cert.id} is not active.`);
  const { decisionsMade, decisionsTotal } = certCounts(cert);
  // S2 400: the sign-off finalizes "all decisions", so none may be missing
  if (decisionsMade < decisionsTotal) throw new Invalid(`Certification ${cert.id} cannot be signed off: ${decisionsTotal - decisionsMade} of ${decisionsTotal} decisions have not been made.`);
  return finalizeSignOff(env, ctx, cert, actorOf(env, ctx.principal));
}

/** Sign a certification whose decisions are all made, as `actor`, and start remediation of its revoked items. */
export function finalizeSignOff(env: Environment, ctx: RequestActor, cert: Certification, actor: Actor) {
  const now = env.clock.nowIso();
  cert.phase = 'SIGNED';
  cert.signed = now;
  cert.signer = actor;
  recordEvent(env, ctx, { operation: 'SIGNOFF', name: 'Sign Off Certification Passed', target: cert.name, attributes: certAttrs(env, cert) });
  auditActivity(env, ctx, { objectId: `certifications/${cert.id}`, operation: 'ACTION', details: { action: 'sign-off' } });
  touch(env, cert);
  for (const listener of signedOffListeners) listener(env, ctx, cert);
  return renderCertification(env, cert);
}

type SignedOffListener = (env: Environment, ctx: RequestActor, cert: Certification) => void;
const signedOffListeners: SignedOffListener[] = [];
/** Be told when a certification is signed (remediation starts; the campaigns area completes a campaign with its last one). */
export function onSignedOff(listener: SignedOffListener): void {
  if (!signedOffListeners.includes(listener)) signedOffListeners.push(listener);
}
