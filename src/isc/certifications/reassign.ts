// ISC certification reassignment: synchronous, or asynchronous as a certification task settled on the emulator clock.
import type { RequestActor } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { auditActivity } from '../../core/audit.js';
import { hexId } from '../../core/ids.js';
import { findIdentity } from '../identities/service.js';
import type { IscIdentity } from '../identities/model.js';
import { iscWireError } from '../shared/errors.js';
import { DomainError, Invalid } from '../../core/errors.js';
import type { Certification, CertificationTask, ReviewItem, ReviewReassign } from './model.js';
import { JOB_REASSIGN, REASSIGN_TASK_DELAY_MS, certState, ctxFromJob, findItem, jobPrincipal, recordEvent } from './state.js';
import { actorOf, certificationFor, reviewedBy } from './authorization.js';
import { renderCertification, renderTask } from './render.js';
import { certAttrs, requireActive } from './decisions.js';

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
  let target = reviewedBy(env, to.id).find((c) => c.campaignId === cert.campaignId && c.phase === 'ACTIVE' && c.reviewer.type === 'IDENTITY' && c.reviewer.id === to.id && c.reassignment?.fromCertificationId === cert.id);
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
