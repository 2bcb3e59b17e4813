// ISC certification rules (SPEC §7, seed S2, contract): visibility, decisions, reassignment, sign-off, remediation,
// certification tasks. Attribution is always the token's identity (seeds 000/001): an API client's token acts as its
// service identity, a PAT or authorization-code token as the human; nothing in a request can name another actor.
import { indexBy } from '../../core/indexes.js';
import type { RequestActor } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { auditActivity } from '../../core/audit.js';
import { hexId } from '../../core/ids.js';
import { findIdentity } from '../identities/service.js';
import type { IscIdentity } from '../identities/model.js';
import { iscWireError } from '../shared/errors.js';
import { DomainError, Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { compileFilter, compileSorters, page, type Paging } from '../shared/filters.js';
import { recordEvent as record, type EventInput, type RequestContext } from '../search/events.js';

/** A certification audit event (objects CERTIFICATION, e.g. CERTIFICATION_SIGNOFF_PASSED). */
export function recordEvent(env: Environment, ctx: RequestContext | undefined, ev: Omit<EventInput, 'type' | 'objects'>) {
  return record(env, ctx, { type: 'CERTIFICATION', objects: ['CERTIFICATION'], ...ev });
}
import type { Actor, Campaign, Certification, CertificationTask, IscCertificationsState, ReviewDecision, ReviewItem, ReviewReassign, ReviewerRef } from './model.js';

export const AREA = 'iscCertifications';
/** reassign-async completes this long after submission (emulator clock). */
export const REASSIGN_TASK_DELAY_MS = 5_000;
export const JOB_REASSIGN = 'isc-cert-reassign';


/** The acting principal as a job payload keeps it, so clock-driven work is attributed to who started it (seeds 000/001). */
export interface JobPrincipal {
  id: string;
  type: Principal['type'];
  authorities: string[];
  name: string | null;
  clientId: string | null;
}

export function jobPrincipal(p: Principal): JobPrincipal {
  return { id: p.id, type: p.type, authorities: p.authorities, name: p.name ?? null, clientId: p.clientId ?? null };
}

/** The request context a job acts in: the principal and transaction id its payload recorded. */
export function ctxFromJob(payload: Record<string, unknown>, fallbackTx: string): RequestActor {
  const pp = payload.principal as JobPrincipal;
  const principal: Principal = { id: pp.id, type: pp.type, authorities: pp.authorities, name: pp.name ?? undefined, clientId: pp.clientId ?? undefined, scopes: [], tokenId: '', claims: {} };
  return { txId: String(payload.txId ?? fallbackTx), principal };
}

export function certState(env: Environment): IscCertificationsState {
  return env.slice<IscCertificationsState>(AREA);
}

// ---- indexes (in-memory, rebuilt when the arrays change) ----
const byId = (x: { id: string }) => x.id;

export function findCertification(env: Environment, id: string): Certification | undefined {
  return indexBy(certState(env).certifications, byId).get(id);
}

function findItem(cert: Certification, id: string): ReviewItem | undefined {
  return indexBy(cert.items, byId).get(id);
}

export function findCampaign(env: Environment, id: string): Campaign | undefined {
  return indexBy(certState(env).campaigns, byId).get(id);
}

// ---- authorization ----
export function isCertAdmin(p: Principal): boolean {
  // S2: "A token with ORG_ADMIN or CERT_ADMIN authority"
  return p.authorities.includes('ORG_ADMIN') || p.authorities.includes('CERT_ADMIN');
}

function reviews(cert: Certification, identityId: string): boolean {
  return cert.reviewer.type === 'IDENTITY' ? cert.reviewer.id === identityId : cert.reviewer.members.includes(identityId);
}

/** The acting identity, recorded on decisions, reassignments and sign-off (seeds 000/001). */
export function actorOf(env: Environment, p: Principal): Actor {
  const identity = findIdentity(env, p.id);
  return { id: p.id, name: identity?.name ?? p.name ?? p.id, type: 'IDENTITY' };
}

/**
 * A certification the caller may act on: 404 when absent, 403 (S2 body) unless ORG_ADMIN/CERT_ADMIN or its reviewer,
 * 400 for governance-group certifications (S2/contract: "does not support requests for certifications assigned to Governance Groups").
 */
export function certificationFor(env: Environment, p: Principal, id: string): Certification {
  const cert = findCertification(env, id);
  if (!cert) throw new NotFound(`Certification ${id} not found`);
  if (!isCertAdmin(p) && !reviews(cert, p.id)) throw new Forbidden(`Identity ${p.id} may not act on certification ${id}`);
  if (cert.reviewer.type === 'GOVERNANCE_GROUP') throw new Invalid('This API does not support requests for certifications assigned to Governance Groups.');
  return cert;
}

// ---- rendering (contract IdentityCertificationDto, AccessReviewItem, Reviewer, CertificationTask) ----
function renderReviewer(env: Environment, r: ReviewerRef | { type: 'IDENTITY'; id: string }) {
  if (r.type === 'GOVERNANCE_GROUP') return { id: r.id, name: (r as ReviewerRef).name ?? r.id, email: null, type: 'GOVERNANCE_GROUP' as const, created: null, modified: null };
  const i = findIdentity(env, r.id);
  return { id: r.id, name: i?.displayName ?? i?.name ?? r.id, email: i?.email ?? null, type: 'IDENTITY' as const, created: i?.created ?? null, modified: i?.created ?? null };
}

export function certCounts(cert: Certification) {
  const perIdentity = new Map<string, boolean>();
  let decisionsMade = 0;
  for (const it of cert.items) {
    if (it.decision) decisionsMade++;
    perIdentity.set(it.identityId, (perIdentity.get(it.identityId) ?? true) && !!it.decision);
  }
  let identitiesCompleted = 0;
  for (const done of perIdentity.values()) if (done) identitiesCompleted++;
  return { decisionsMade, decisionsTotal: cert.items.length, identitiesCompleted, identitiesTotal: perIdentity.size };
}

export function renderCertification(env: Environment, cert: Certification) {
  const campaign = findCampaign(env, cert.campaignId);
  const counts = certCounts(cert);
  return {
    id: cert.id,
    name: cert.name,
    campaign: {
      id: cert.campaignId,
      name: campaign?.name ?? cert.campaignId,
      type: 'CAMPAIGN' as const,
      campaignType: campaign?.campaignType ?? 'MANAGER',
      description: campaign?.description ?? '',
      correlatedStatus: campaign?.correlatedStatus ?? 'CORRELATED',
      mandatoryCommentRequirement: campaign?.mandatoryCommentRequirement ?? 'NO_DECISIONS',
    },
    // S2: "Have all decisions been made?"; sign-off leaves it true
    completed: cert.phase === 'SIGNED' || (counts.decisionsTotal > 0 && counts.decisionsMade === counts.decisionsTotal),
    identitiesCompleted: counts.identitiesCompleted,
    identitiesTotal: counts.identitiesTotal,
    created: cert.created,
    modified: cert.modified,
    decisionsMade: counts.decisionsMade,
    decisionsTotal: counts.decisionsTotal,
    due: cert.due,
    signed: cert.signed,
    reviewer: renderReviewer(env, cert.reviewer),
    reassignment: cert.reassignment
      ? {
          from: { id: cert.reassignment.fromCertificationId, name: cert.reassignment.fromCertificationName, type: 'CERTIFICATION' as const, reviewer: renderReviewer(env, { type: 'IDENTITY', id: cert.reassignment.fromReviewerId }) },
          comment: cert.reassignment.comment,
        }
      : null,
    hasErrors: cert.hasErrors,
    errorMessage: cert.errorMessage,
    phase: cert.phase,
    // emulator extension for audit reports: who signed off (the token's identity); the contract has only `signed`
    signer: cert.signer,
  };
}

function accessOf(it: ReviewItem): { type: 'ENTITLEMENT' | 'ACCESS_PROFILE' | 'ROLE'; id: string; name: string } {
  const obj = it.type === 'ROLE' ? it.role : it.type === 'ACCESS_PROFILE' ? it.accessProfile : it.entitlement;
  return { type: it.type, id: obj?.id ?? '', name: obj?.name ?? '' };
}

export function renderItem(env: Environment, it: ReviewItem, completedByIdentity: Map<string, boolean>) {
  const subject = findIdentity(env, it.identityId);
  const { permissions: _p, ...entitlement } = it.entitlement ?? ({} as NonNullable<ReviewItem['entitlement']>);
  const ent = it.entitlement
    ? {
        ...entitlement,
        dataAccess: null,
        account: it.entitlement.account
          ? { nativeIdentity: it.entitlement.account.nativeIdentity, disabled: false, locked: false, type: 'ACCOUNT', id: it.entitlement.account.id, name: it.entitlement.account.name, created: it.entitlement.account.created, modified: it.entitlement.account.created, governanceGroupId: null, owner: { id: it.identityId, type: 'IDENTITY', displayName: subject?.displayName ?? subject?.name ?? null } }
          : null,
      }
    : null;
  return {
    accessSummary: {
      access: accessOf(it),
      // only the reviewed kind is present (contract ReviewableAccessProfile is not nullable)
      ...(ent ? { entitlement: ent } : {}),
      ...(it.accessProfile ? { accessProfile: it.accessProfile } : {}),
      ...(it.role ? { role: it.role } : {}),
    },
    identitySummary: { id: it.identitySummaryId, name: subject?.displayName ?? subject?.name ?? it.subjectName ?? it.identityId, identityId: it.identityId, completed: completedByIdentity.get(it.identityId) ?? false },
    id: it.id,
    completed: !!it.decision,
    newAccess: it.newAccess,
    decision: it.decision ?? undefined,
    comments: it.comments,
    // emulator extensions for audit: the decision's actor (token identity) and time, and remediation of revoked access
    decisionMaker: it.decisionMaker,
    decided: it.decided,
    remediation: it.remediation,
  };
}

export function renderTask(t: CertificationTask) {
  return { id: t.id, type: t.type, targetType: t.targetType, targetId: t.targetId, status: t.status, errors: t.errors, reassignmentTrailDTOs: t.reassignmentTrailDTOs, created: t.created };
}

// ---- listing ----
const CERT_FILTERS = { id: ['eq', 'in'], 'campaign.id': ['eq', 'in'], phase: ['eq'], completed: ['eq'] } as const;

/** Filter and sort on stored certifications, render only the page (hot path: no DTO per certification). */
function certField(c: Certification, f: string): unknown {
  switch (f) {
    case 'campaign.id':
      return c.campaignId;
    case 'completed': {
      const n = certCounts(c);
      return c.phase === 'SIGNED' || (n.decisionsTotal > 0 && n.decisionsMade === n.decisionsTotal);
    }
    default:
      return (c as unknown as Record<string, unknown>)[f];
  }
}

export function listCertifications(env: Environment, p: Principal, q: { reviewerIdentity?: string; filters?: string; sorters?: string }, paging: Paging) {
  const reviewer = q.reviewerIdentity === 'me' ? p.id : q.reviewerIdentity;
  const filter = compileFilter<Certification>(q.filters, CERT_FILTERS as never, certField);
  const sort = compileSorters<Certification>(q.sorters, ['name', 'due', 'signed'], certField);
  const admin = isCertAdmin(p);
  // contract: "only certifications you are authorized to review will be returned" (admins see all)
  const rows = certState(env).certifications.filter((c) => (reviewer ? reviews(c, reviewer) : true) && (admin || reviews(c, p.id)) && filter(c));
  if (sort) rows.sort(sort);
  const res = page(rows, paging);
  return { rows: res.rows.map((c) => renderCertification(env, c)), total: res.total };
}

const ITEM_FILTERS = {
  id: ['eq', 'in'],
  type: ['eq'],
  'access.type': ['eq'],
  completed: ['eq', 'ne'],
  'identitySummary.id': ['eq', 'in'],
  'identitySummary.name': ['eq', 'sw'],
  'access.id': ['eq', 'in'],
  'access.name': ['eq', 'sw'],
  'entitlement.sourceName': ['eq', 'sw'],
  'accessProfile.sourceName': ['eq', 'sw'],
} as const;

type ItemRow = ReturnType<typeof renderItem>;
function itemField(row: ItemRow, f: string): unknown {
  switch (f) {
    case 'type':
    case 'access.type':
      return row.accessSummary.access.type;
    case 'access.id':
      return row.accessSummary.access.id;
    case 'access.name':
      return row.accessSummary.access.name;
    case 'identitySummary.id':
      return row.identitySummary.id;
    case 'identitySummary.name':
      return row.identitySummary.name;
    case 'entitlement.sourceName':
      return row.accessSummary.entitlement?.sourceName;
    case 'accessProfile.sourceName':
      return row.accessSummary.accessProfile?.entitlements[0]?.sourceName;
    default:
      return (row as Record<string, unknown>)[f];
  }
}

export function listItems(env: Environment, cert: Certification, q: { filters?: string; sorters?: string; entitlements?: string; accessProfiles?: string; roles?: string }, paging: Paging) {
  const byAccess = [q.entitlements, q.accessProfiles, q.roles].filter((v) => v !== undefined);
  // contract: only one of entitlements / access-profiles / roles at a time
  if (byAccess.length > 1) throw new Invalid('Only one of the query parameters entitlements, access-profiles or roles can be used at a time.');
  const accessIds = byAccess.length ? new Set(byAccess[0]!.split(',').map((s) => s.trim()).filter(Boolean)) : undefined;
  const accessType = q.entitlements !== undefined ? 'ENTITLEMENT' : q.accessProfiles !== undefined ? 'ACCESS_PROFILE' : 'ROLE';
  const filter = compileFilter<ItemRow>(q.filters, ITEM_FILTERS as never, itemField);
  const sort = compileSorters<ItemRow>(q.sorters, ['identitySummary.name', 'access.name', 'access.type', 'entitlement.sourceName', 'accessProfile.sourceName'], itemField);
  const completed = identityCompletion(cert);
  const rows = cert.items
    .filter((it) => !accessIds || (it.type === accessType && accessIds.has(accessOf(it).id)))
    .map((it) => renderItem(env, it, completed))
    .filter(filter);
  if (sort) rows.sort(sort);
  return page(rows, paging);
}

function identityCompletion(cert: Certification): Map<string, boolean> {
  const m = new Map<string, boolean>();
  for (const it of cert.items) m.set(it.identityId, (m.get(it.identityId) ?? true) && !!it.decision);
  return m;
}

const REVIEWER_FILTERS = { id: ['eq', 'in'], name: ['eq', 'sw'], email: ['eq', 'sw'] } as const;

/** GET /certifications/{id}/reviewers: the current reviewer and the reviewers it was reassigned from. */
export function listReviewers(env: Environment, cert: Certification, q: { filters?: string; sorters?: string }, paging: Paging) {
  const ids = [cert.reviewer.id];
  if (cert.reassignment) ids.push(cert.reassignment.fromReviewerId);
  const rows = [...new Set(ids)].map((id) => {
    const i = findIdentity(env, id);
    return { type: 'IDENTITY', id, name: i?.displayName ?? i?.name ?? id, email: i?.email ?? '' };
  });
  const filter = compileFilter<(typeof rows)[number]>(q.filters, REVIEWER_FILTERS as never, (r, f) => (r as Record<string, unknown>)[f]);
  const sort = compileSorters<(typeof rows)[number]>(q.sorters, ['name', 'email'], (r, f) => (r as Record<string, unknown>)[f]);
  const out = rows.filter(filter);
  if (sort) out.sort(sort);
  return page(out, paging);
}

// ---- decisions ----
function touch(env: Environment, cert: Certification): void {
  cert.modified = env.clock.nowIso();
  env.changed();
}

function requireActive(cert: Certification): void {
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

// ---- reassignment ----
interface ReassignPlan {
  cert: Certification;
  to: IscIdentity;
  items: ReviewItem[];
  reason: string;
}

function planReassign(env: Environment, p: Principal, certId: string, body: ReviewReassign, max: number): ReassignPlan {
  const cert = certificationFor(env, p, certId);
  requireActive(cert);
  if (!body.reassign.length) throw new Invalid('reassign must contain at least one reference.');
  // contract: reassign "up to 50", reassign-async "up to 500" identities or items
  if (body.reassign.length > max) throw new Invalid(`At most ${max} identities or items can be reassigned in one request.`);
  const to = findIdentity(env, body.reassignTo);
  if (!to || !to.active) throw new Invalid(`Identity ${body.reassignTo} does not exist or is inactive.`);
  if (to.id === cert.reviewer.id) throw new Invalid(`Identity ${to.id} is already the reviewer of certification ${cert.id}.`);
  const chosen = new Set<ReviewItem>();
  for (const ref of body.reassign) {
    if (ref.type === 'ITEM') {
      const it = findItem(cert, ref.id);
      if (!it) throw new Invalid(`Access review item ${ref.id} does not exist in certification ${cert.id}.`);
      chosen.add(it);
    } else {
      const matched = cert.items.filter((i) => i.identitySummaryId === ref.id || i.identityId === ref.id);
      if (!matched.length) throw new Invalid(`Identity summary ${ref.id} does not exist in certification ${cert.id}.`);
      for (const it of matched) chosen.add(it);
    }
  }
  return { cert, to, items: [...chosen], reason: body.reason };
}

function applyReassign(env: Environment, ctx: RequestActor, plan: ReassignPlan): Certification {
  const { cert, to, items, reason } = plan;
  const st = certState(env);
  const now = env.clock.nowIso();
  let target = st.certifications.find((c) => c.campaignId === cert.campaignId && c.phase === 'ACTIVE' && c.reviewer.type === 'IDENTITY' && c.reviewer.id === to.id && c.reassignment?.fromCertificationId === cert.id);
  if (!target) {
    target = {
      id: hexId(),
      name: cert.name.replace(/ for .*$/, '') + ` for ${to.displayName ?? to.name}`,
      campaignId: cert.campaignId,
      created: now,
      modified: now,
      due: cert.due,
      signed: null,
      signer: null,
      reviewer: { type: 'IDENTITY', id: to.id, members: [] },
      reassignment: { fromCertificationId: cert.id, fromCertificationName: cert.name, fromReviewerId: cert.reviewer.id, comment: reason },
      phase: 'ACTIVE',
      hasErrors: false,
      errorMessage: null,
      items: [],
    };
    st.certifications.push(target);
  }
  const moving = new Set(items);
  cert.items = cert.items.filter((i) => !moving.has(i));
  target.items.push(...items);
  target.modified = now;
  cert.modified = now;
  recordEvent(env, ctx, {
    operation: 'REASSIGN',
    name: 'Reassign Certification Passed',
    target: cert.name,
    attributes: { ...certAttrs(env, cert), reassignedTo: to.id, reassignedToName: to.name, newCertificationId: target.id, items: items.map((i) => i.id), reason },
  });
  auditActivity(env, ctx, { objectId: `certifications/${cert.id}`, operation: 'ACTION', details: { action: 'reassign', to: to.id, newCertificationId: target.id } });
  env.changed();
  return target;
}

export function reassign(env: Environment, ctx: RequestActor, certId: string, body: ReviewReassign) {
  const plan = planReassign(env, ctx.principal, certId, body, 50);
  applyReassign(env, ctx, plan);
  return renderCertification(env, plan.cert);
}

export function reassignAsync(env: Environment, ctx: RequestActor, certId: string, body: ReviewReassign) {
  const plan = planReassign(env, ctx.principal, certId, body, 500);
  const now = env.clock.now();
  const task: CertificationTask = {
    id: hexId(),
    type: 'REASSIGN',
    targetType: 'CERTIFICATION',
    targetId: plan.cert.id,
    status: 'QUEUED',
    errors: [],
    reassignmentTrailDTOs: [],
    created: new Date(now).toISOString(),
    reviewerId: plan.cert.reviewer.id,
    dueAt: new Date(now + REASSIGN_TASK_DELAY_MS).toISOString(),
    request: body,
    actor: actorOf(env, ctx.principal),
  };
  certState(env).tasks.push(task);
  env.jobs.schedule(JOB_REASSIGN, now + REASSIGN_TASK_DELAY_MS, { taskId: task.id, txId: ctx.txId, principal: jobPrincipal(ctx.principal) });
  env.changed();
  return renderTask(task);
}

/** Job handler: run a queued reassignment as the identity that submitted it. */
export function runReassignTask(env: Environment, payload: Record<string, unknown>): void {
  const task = certState(env).tasks.find((t) => t.id === payload.taskId);
  if (!task || task.status === 'SUCCESS' || task.status === 'ERROR') return;
  // attribution as the submitting token (seeds 000/001), including the API client that sent it
  const ctx = ctxFromJob(payload, task.id);
  try {
    const plan = planReassign(env, ctx.principal, task.targetId, task.request as ReviewReassign, 500);
    const previousOwner = plan.cert.reviewer.id;
    applyReassign(env, ctx, plan);
    task.status = 'SUCCESS';
    task.reassignmentTrailDTOs = [{ previousOwner, newOwner: plan.to.id, reassignmentType: 'MANUAL_REASSIGNMENT' }];
  } catch (err) {
    const body = (err instanceof DomainError ? iscWireError(err) : (err as { body?: unknown })).body as { causes?: Array<{ locale: string; localeOrigin: string; text: string }> } | undefined;
    task.status = 'ERROR';
    task.errors = body?.causes?.length ? body.causes : [{ locale: 'en-US', localeOrigin: 'DEFAULT', text: 'The reassignment failed.' }];
  }
  env.changed();
}

// ---- certification tasks ----
const TASK_FILTERS = { id: ['eq', 'in'], targetId: ['eq', 'in'], type: ['eq', 'in'] } as const;

function canSeeTask(env: Environment, p: Principal, t: CertificationTask): boolean {
  if (isCertAdmin(p) || t.reviewerId === p.id || t.actor?.id === p.id) return true;
  const cert = findCertification(env, t.targetId);
  return !!cert && reviews(cert, p.id);
}

export function listTasks(env: Environment, p: Principal, q: { reviewerIdentity?: string; filters?: string }, paging: Paging) {
  const reviewer = q.reviewerIdentity === 'me' ? p.id : q.reviewerIdentity;
  const filter = compileFilter<CertificationTask>(q.filters, TASK_FILTERS as never, (t, f) => (t as Record<string, unknown>)[f]);
  // contract: "returns a list of pending (QUEUED or IN_PROGRESS) certification tasks"
  const rows = certState(env)
    .tasks.filter((t) => (t.status === 'QUEUED' || t.status === 'IN_PROGRESS') && canSeeTask(env, p, t) && (!reviewer || t.reviewerId === reviewer))
    .filter(filter)
    .map(renderTask);
  return page(rows, paging);
}

export function getTask(env: Environment, p: Principal, id: string) {
  const t = certState(env).tasks.find((x) => x.id === id);
  if (!t) throw new NotFound(`Certification task ${id} not found`);
  if (!canSeeTask(env, p, t)) throw new Forbidden(`Identity ${p.id} may not see certification task ${id}`);
  return renderTask(t);
}

// ---- summaries (contract getIdentityDecisionSummary, getIdentitySummaries, getIdentitySummary, getIdentityAccessSummaries) ----
const SUMMARY_DECISION_FILTERS = { 'identitySummary.id': ['eq', 'in'] } as const;

/** GET /certifications/{id}/decision-summary: decisions made/total and approved/revoked per access type. */
export function decisionSummary(cert: Certification, filters?: string) {
  const keep = compileFilter<ReviewItem>(filters, SUMMARY_DECISION_FILTERS as never, (it) => it.identitySummaryId);
  const out = {
    entitlementDecisionsMade: 0,
    accessProfileDecisionsMade: 0,
    roleDecisionsMade: 0,
    accountDecisionsMade: 0,
    entitlementDecisionsTotal: 0,
    accessProfileDecisionsTotal: 0,
    roleDecisionsTotal: 0,
    accountDecisionsTotal: 0,
    entitlementsApproved: 0,
    entitlementsRevoked: 0,
    accessProfilesApproved: 0,
    accessProfilesRevoked: 0,
    rolesApproved: 0,
    rolesRevoked: 0,
    accountsApproved: 0,
    accountsRevoked: 0,
  };
  const key = { ENTITLEMENT: ['entitlement', 'entitlements'], ACCESS_PROFILE: ['accessProfile', 'accessProfiles'], ROLE: ['role', 'roles'] } as const;
  for (const it of cert.items) {
    if (!keep(it)) continue;
    const [one, many] = key[it.type];
    out[`${one}DecisionsTotal`]++;
    if (it.decision) out[`${one}DecisionsMade`]++;
    if (it.decision === 'APPROVE') out[`${many}Approved`]++;
    if (it.decision === 'REVOKE') out[`${many}Revoked`]++;
  }
  return out;
}

function identitySummaries(env: Environment, cert: Certification) {
  const done = identityCompletion(cert);
  const seen = new Map<string, { id: string; name: string; identityId: string; completed: boolean }>();
  for (const it of cert.items) {
    if (seen.has(it.identitySummaryId)) continue;
    const i = findIdentity(env, it.identityId);
    seen.set(it.identitySummaryId, { id: it.identitySummaryId, name: i?.displayName ?? i?.name ?? it.subjectName ?? it.identityId, identityId: it.identityId, completed: done.get(it.identityId) ?? false });
  }
  return [...seen.values()];
}

const IDENTITY_SUMMARY_FILTERS = { id: ['eq', 'in'], completed: ['eq', 'ne'], name: ['eq', 'sw'] } as const;

export function listIdentitySummaries(env: Environment, cert: Certification, q: { filters?: string; sorters?: string }, paging: Paging) {
  type Row = ReturnType<typeof identitySummaries>[number];
  const filter = compileFilter<Row>(q.filters, IDENTITY_SUMMARY_FILTERS as never, (r, f) => (r as Record<string, unknown>)[f]);
  const sort = compileSorters<Row>(q.sorters, ['name'], (r, f) => (r as Record<string, unknown>)[f]);
  const rows = identitySummaries(env, cert).filter(filter);
  if (sort) rows.sort(sort);
  return page(rows, paging);
}

export function getIdentitySummary(env: Environment, cert: Certification, summaryId: string) {
  const row = identitySummaries(env, cert).find((s) => s.id === summaryId);
  if (!row) throw new NotFound(`Identity summary ${summaryId} not found in certification ${cert.id}`);
  return row;
}

const ACCESS_SUMMARY_FILTERS = { completed: ['eq', 'ne'], 'access.id': ['eq', 'in'], 'access.name': ['eq', 'sw'], 'entitlement.sourceName': ['eq', 'sw'], 'accessProfile.sourceName': ['eq', 'sw'] } as const;

/** GET /certifications/{id}/access-summaries/{type}: the certification's distinct access of one type. */
export function listAccessSummaries(cert: Certification, type: string, q: { filters?: string; sorters?: string }, paging: Paging) {
  if (type !== 'ROLE' && type !== 'ACCESS_PROFILE' && type !== 'ENTITLEMENT') throw new Invalid(`Invalid access summary type: ${type}`);
  const byAccess = new Map<string, { row: Record<string, unknown> & { access: ReturnType<typeof accessOf> }; completed: boolean }>();
  for (const it of cert.items) {
    if (it.type !== type) continue;
    const access = accessOf(it);
    const cur = byAccess.get(access.id);
    if (cur) {
      cur.completed &&= !!it.decision;
      continue;
    }
    const row: Record<string, unknown> & { access: ReturnType<typeof accessOf> } = { access };
    if (it.entitlement) {
      const { permissions: _p, ...e } = it.entitlement;
      row.entitlement = { ...e, account: null, dataAccess: null };
    }
    if (it.accessProfile) row.accessProfile = it.accessProfile;
    if (it.role) row.role = it.role;
    byAccess.set(access.id, { row, completed: !!it.decision });
  }
  type Entry = { row: Record<string, unknown> & { access: ReturnType<typeof accessOf> }; completed: boolean };
  const get = (e: Entry, f: string): unknown => {
    if (f === 'completed') return e.completed;
    if (f === 'access.id') return e.row.access.id;
    if (f === 'access.name') return e.row.access.name;
    if (f === 'entitlement.sourceName') return (e.row.entitlement as { sourceName?: string } | undefined)?.sourceName;
    if (f === 'accessProfile.sourceName') return (e.row.accessProfile as { entitlements?: Array<{ sourceName: string }> } | undefined)?.entitlements?.[0]?.sourceName;
    return undefined;
  };
  const filter = compileFilter<Entry>(q.filters, ACCESS_SUMMARY_FILTERS as never, get);
  const sort = compileSorters<Entry>(q.sorters, ['access.name'], get);
  const rows = [...byAccess.values()].filter(filter);
  if (sort) rows.sort(sort);
  const p = page(rows, paging);
  return { rows: p.rows.map((e) => e.row), total: p.total };
}

const PERMISSION_FILTERS = { target: ['eq', 'sw'], rights: ['ca'] } as const;

/** GET /certifications/{certificationId}/access-review-items/{itemId}/permissions: an entitlement item's permissions. */
export function listItemPermissions(cert: Certification, itemId: string, q: { filters?: string }, paging: Paging) {
  const item = findItem(cert, itemId);
  if (!item) throw new NotFound(`Access review item ${itemId} not found in certification ${cert.id}`);
  type Row = { rights: string[]; target: string };
  const filter = compileFilter<Row>(q.filters, PERMISSION_FILTERS as never, (r, f) => (r as Record<string, unknown>)[f]);
  const rows = (item.entitlement?.permissions ?? []).filter(filter);
  return page(rows, paging);
}
