// The campaign lifecycle on the emulator clock (see service.ts for the state machine): staging generates the
// certifications, activation opens them, the deadline rule, completion with the autoCompleteAction, the last sign-off
// completing an ACTIVE campaign, and admin reassignment (contract move). Jobs act as the identity that started them.
import type { Environment } from '../../environment.js';
import type { RequestActor } from '../../core/types.js';
import { hexId } from '../../core/ids.js';
import { dropIndex } from '../../core/indexes.js';
import { applyJsonPatch, parsePatch } from '../shared/jsonPatch.js';
import { findIdentity } from '../identities/service.js';
import { badRequest } from '../shared/errors.js';
import { actorOf, certState, ctxFromJob, finalizeSignOff, findCampaign, findCertification, jobPrincipal, onSignedOff, recordDecision, renderTask } from '../certifications/service.js';
import type { Campaign, CertificationTask } from '../certifications/model.js';
import { generateCertifications } from './generate.js';
import { campaignEvent, campaignAttrs, campaignCertifications, campaignFor, campaignFromBody, parseBody, parseDeadline, renderFull, renderSlim, requireCampaignAdmin, statusOf, timings } from './service.js';
import type { CampaignStatus } from './model.js';

export const JOB_STAGE = 'isc-campaign-stage';
export const JOB_ACTIVATE = 'isc-campaign-activate';
export const JOB_DEADLINE = 'isc-campaign-deadline';
export const JOB_COMPLETE = 'isc-campaign-complete';
export const JOB_ADMIN_REASSIGN = 'isc-campaign-admin-reassign';

/** Store a new PENDING campaign and schedule its staging (certification generation). */
export function startCampaign(env: Environment, ctx: RequestActor, campaign: Campaign): Campaign {
  certState(env).campaigns.push(campaign);
  env.jobs.schedule(JOB_STAGE, env.clock.now() + timings(env).stageMs, { campaignId: campaign.id, txId: ctx.txId, principal: jobPrincipal(ctx.principal) });
  campaignEvent(env, ctx, { operation: 'CREATE', name: 'Create Certification Campaign Passed', target: campaign.name, attributes: campaignAttrs(campaign) });
  env.changed();
  return campaign;
}

export function createCampaign(env: Environment, ctx: RequestActor, raw: unknown) {
  requireCampaignAdmin(ctx.principal);
  const body = parseBody(raw);
  const campaign = startCampaign(env, ctx, campaignFromBody(env, actorOf(env, ctx.principal), body));
  return renderFull(env, campaign);
}

// ---- patch (contract updateCampaign: STAGED → name, description, recommendationsEnabled, deadline, emailNotificationEnabled, autoRevokeAllowed; ACTIVE → deadline) ----
const PATCHABLE: Partial<Record<CampaignStatus, string[]>> = {
  STAGED: ['name', 'description', 'recommendationsEnabled', 'deadline', 'emailNotificationEnabled', 'autoRevokeAllowed'],
  ACTIVE: ['deadline'],
};

export function patchCampaign(env: Environment, ctx: RequestActor, id: string, ops: unknown) {
  requireCampaignAdmin(ctx.principal);
  const campaign = campaignFor(env, id);
  const status = statusOf(env, campaign);
  const allowed = PATCHABLE[status] ?? [];
  const parsed = parsePatch(ops);
  for (const op of parsed) {
    for (const path of [op.path, op.from].filter((x): x is string => x !== undefined)) {
      const field = path.split('/')[1] ?? '';
      if (!allowed.includes(field)) throw badRequest(allowed.length ? `Field '${field}' cannot be patched while the campaign is ${status}; patchable fields: ${allowed.join(', ')}.` : `A ${status} campaign cannot be patched.`);
    }
  }
  const view = { name: campaign.name, description: campaign.description, recommendationsEnabled: campaign.recommendationsEnabled ?? false, deadline: campaign.deadline ?? null, emailNotificationEnabled: campaign.emailNotificationEnabled ?? false, autoRevokeAllowed: campaign.autoRevokeAllowed ?? false };
  const next = applyJsonPatch(view, parsed);
  if (typeof next.name !== 'string' || !next.name.trim()) throw badRequest("'name' must be a non-empty string.");
  if (next.description !== null && typeof next.description !== 'string') throw badRequest("'description' must be a string.");
  for (const f of ['recommendationsEnabled', 'emailNotificationEnabled', 'autoRevokeAllowed'] as const) if (typeof next[f] !== 'boolean') throw badRequest(`'${f}' must be a boolean.`);
  const deadline = next.deadline === null ? null : parseDeadline(String(next.deadline));
  if (status === 'ACTIVE' && (!deadline || Date.parse(deadline) <= env.clock.now())) throw badRequest('The deadline of an active campaign must be in the future.');
  Object.assign(campaign, { ...next, description: next.description ?? '', deadline, modified: env.clock.nowIso() });
  if (status === 'ACTIVE') scheduleDeadline(env, ctx, campaign);
  campaignEvent(env, ctx, { operation: 'UPDATE', name: 'Update Certification Campaign Passed', target: campaign.name, attributes: { ...campaignAttrs(campaign), fields: [...new Set(parsed.map((o) => o.path.split('/')[1]))] } });
  env.changed();
  return renderSlim(env, campaign);
}

// ---- staging (job) ----
export function stageCampaign(env: Environment, payload: Record<string, unknown>): void {
  const campaign = findCampaign(env, String(payload.campaignId));
  if (!campaign || campaign.status !== 'PENDING') return;
  const ctx = ctxFromJob(payload, campaign.id);
  let result: ReturnType<typeof generateCertifications>;
  try {
    result = generateCertifications(env, campaign);
  } catch (err) {
    // generation never leaves a campaign PENDING: what it could not do becomes the ERROR alert
    result = { certifications: [], warnings: [], reason: `No certifications were generated: ${err instanceof Error ? err.message : String(err)}` };
  }
  const now = env.clock.nowIso();
  campaign.modified = now;
  if (!result.certifications.length) {
    // issue 14: generation that finds nothing to certify leaves the campaign in ERROR with the reason as an alert
    campaign.status = 'ERROR';
    campaign.alerts = [{ level: 'ERROR', localizations: [{ locale: 'en-US', localeOrigin: 'DEFAULT', text: result.reason }] }];
    campaignEvent(env, ctx, { operation: 'GENERATE', status: 'FAILED', name: 'Generate Certification Campaign Failed', target: campaign.name, attributes: { ...campaignAttrs(campaign), reason: result.reason } });
  } else {
    certState(env).certifications.push(...result.certifications);
    campaign.status = 'STAGED';
    campaign.alerts = result.warnings.map((text) => ({ level: 'WARN' as const, localizations: [{ locale: 'en-US', localeOrigin: 'DEFAULT', text }] }));
    campaignEvent(env, ctx, { operation: 'GENERATE', name: 'Generate Certification Campaign Passed', target: campaign.name, attributes: { ...campaignAttrs(campaign), certifications: result.certifications.length } });
  }
  env.changed();
}

// ---- activate ----
/** contract ActivateCampaignOptions.timeZone: Z, ±hh:mm, ±hhmm or ±hh → offset in minutes. */
export function parseTimeZone(raw: string | undefined): number {
  if (raw === undefined || raw === '' || raw === 'Z') return 0;
  const m = /^([+-])(\d{2})(?::?(\d{2}))?$/.exec(raw);
  if (!m || Number(m[2]) > 18 || Number(m[3] ?? 0) > 59) throw badRequest(`Invalid timeZone: ${raw}. Use Z or an offset such as -05:00, +0530 or +02.`);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

export function activateCampaign(env: Environment, ctx: RequestActor, id: string, opts: { timeZone?: string }): Record<string, never> {
  requireCampaignAdmin(ctx.principal);
  const campaign = campaignFor(env, id);
  const status = statusOf(env, campaign);
  // contract startCampaign: "The campaign must be staged."
  if (status !== 'STAGED') throw badRequest(`Campaign ${campaign.id} is ${status}; only a STAGED campaign can be activated.`);
  const offsetMin = parseTimeZone(opts.timeZone);
  const now = env.clock.now();
  if (campaign.deadline) {
    // contract SlimCampaign.deadline: "This date must be in the future in order to activate the campaign"; the time zone
    // moves the deadline to the end of its calendar date in the caller's zone ("it will remain within the original date")
    const local = new Date(Date.parse(campaign.deadline) + offsetMin * 60_000).toISOString().slice(0, 10);
    const end = Date.parse(`${local}T23:59:59.999Z`) - offsetMin * 60_000;
    if (end <= now || local <= new Date(now + offsetMin * 60_000).toISOString().slice(0, 10)) throw badRequest(`The campaign deadline ${campaign.deadline} must be after today to activate the campaign.`);
    campaign.deadline = new Date(end).toISOString();
  }
  campaign.status = 'ACTIVATING';
  campaign.timeZone = opts.timeZone ?? 'Z';
  campaign.modified = new Date(now).toISOString();
  env.jobs.schedule(JOB_ACTIVATE, now + timings(env).activateMs, { campaignId: campaign.id, txId: ctx.txId, principal: jobPrincipal(ctx.principal) });
  campaignEvent(env, ctx, { operation: 'ACTIVATE', status: 'STARTED', name: 'Activate Certification Campaign Started', target: campaign.name, attributes: { ...campaignAttrs(campaign), timeZone: campaign.timeZone, deadline: campaign.deadline ?? null } });
  env.changed();
  return {};
}

export function activationDone(env: Environment, payload: Record<string, unknown>): void {
  const campaign = findCampaign(env, String(payload.campaignId));
  if (!campaign || campaign.status !== 'ACTIVATING') return;
  const ctx = ctxFromJob(payload, campaign.id);
  const now = env.clock.nowIso();
  for (const cert of campaignCertifications(env, campaign.id)) {
    if (cert.phase !== 'STAGED') continue;
    cert.phase = 'ACTIVE';
    cert.due = campaign.deadline ?? null;
    cert.modified = now;
  }
  campaign.status = 'ACTIVE';
  campaign.activated = now;
  campaign.modified = now;
  scheduleDeadline(env, ctx, campaign);
  campaignEvent(env, ctx, { operation: 'ACTIVATE', name: 'Activate Certification Campaign Passed', target: campaign.name, attributes: campaignAttrs(campaign) });
  env.changed();
}

function scheduleDeadline(env: Environment, ctx: RequestActor, campaign: Campaign): void {
  env.jobs.cancel((j) => j.kind === JOB_DEADLINE && j.payload.campaignId === campaign.id);
  if (campaign.deadline) env.jobs.schedule(JOB_DEADLINE, Date.parse(campaign.deadline), { campaignId: campaign.id, txId: ctx.txId, principal: jobPrincipal(ctx.principal) });
}

/** Deadline job: an autoRevokeAllowed campaign completes itself, revoking what nobody decided (as its creator). */
export function deadlineReached(env: Environment, payload: Record<string, unknown>): void {
  const campaign = findCampaign(env, String(payload.campaignId));
  if (!campaign || statusOf(env, campaign) !== 'ACTIVE' || !campaign.autoRevokeAllowed) return;
  beginCompletion(env, ctxFromJob(payload, campaign.id), campaign, 'REVOKE');
}

// ---- complete ----
export function completeCampaign(env: Environment, ctx: RequestActor, id: string, opts: { autoCompleteAction?: string }): Record<string, never> {
  requireCampaignAdmin(ctx.principal);
  const campaign = campaignFor(env, id);
  const status = statusOf(env, campaign);
  if (status !== 'ACTIVE') throw badRequest(`Campaign ${campaign.id} is ${status}; only an ACTIVE campaign can be completed.`);
  const action = opts.autoCompleteAction ?? 'APPROVE';
  if (action !== 'APPROVE' && action !== 'REVOKE') throw badRequest(`Invalid autoCompleteAction: ${action}. Use APPROVE or REVOKE.`);
  // contract completeCampaign: "This endpoint will return a content error if the campaign is not past due."
  if (campaign.deadline && Date.parse(campaign.deadline) > env.clock.now()) throw badRequest(`Campaign ${campaign.id} is not past due (deadline ${campaign.deadline}); only past-due campaigns can be completed.`);
  beginCompletion(env, ctx, campaign, action);
  return {};
}

function beginCompletion(env: Environment, ctx: RequestActor, campaign: Campaign, action: 'APPROVE' | 'REVOKE'): void {
  campaign.status = 'COMPLETING';
  campaign.autoCompleteAction = action;
  campaign.modified = env.clock.nowIso();
  env.jobs.schedule(JOB_COMPLETE, env.clock.now() + timings(env).completeMs, { campaignId: campaign.id, action, txId: ctx.txId, principal: jobPrincipal(ctx.principal) });
  campaignEvent(env, ctx, { operation: 'COMPLETE', status: 'STARTED', name: 'Complete Certification Campaign Started', target: campaign.name, attributes: { ...campaignAttrs(campaign), autoCompleteAction: action } });
  env.changed();
}

/** Completion job: undecided items get the autoCompleteAction, every open certification is signed (by the completer). */
export function completionDone(env: Environment, payload: Record<string, unknown>): void {
  const campaign = findCampaign(env, String(payload.campaignId));
  if (!campaign || campaign.status !== 'COMPLETING') return;
  const ctx = ctxFromJob(payload, campaign.id);
  const action = payload.action === 'REVOKE' ? 'REVOKE' : 'APPROVE';
  const actor = actorOf(env, ctx.principal);
  const now = env.clock.nowIso();
  let autoDecided = 0;
  for (const cert of campaignCertifications(env, campaign.id)) {
    if (cert.phase === 'SIGNED') continue;
    for (const item of cert.items) {
      if (item.decision) continue;
      recordDecision(env, ctx, cert, item, { decision: action, bulk: true, comments: `Decided automatically on campaign completion (autoCompleteAction ${action}).`, proposedEndDate: null }, actor, now);
      autoDecided++;
    }
    finalizeSignOff(env, ctx, cert, actor);
  }
  campaign.status = 'COMPLETED';
  campaign.completedAt = now;
  campaign.modified = now;
  campaignEvent(env, ctx, { operation: 'COMPLETE', name: 'Complete Certification Campaign Passed', target: campaign.name, attributes: { ...campaignAttrs(campaign), autoCompleteAction: action, autoDecided } });
  env.changed();
}

/** The last sign-off of an ACTIVE campaign completes it. */
onSignedOff((env, ctx, cert) => {
  const campaign = findCampaign(env, cert.campaignId);
  if (!campaign || campaign.status !== 'ACTIVE') return;
  if (!campaignCertifications(env, campaign.id).every((c) => c.phase === 'SIGNED')) return;
  const now = env.clock.nowIso();
  campaign.status = 'COMPLETED';
  campaign.completedAt = now;
  campaign.modified = now;
  env.jobs.cancel((j) => j.kind === JOB_DEADLINE && j.payload.campaignId === campaign.id);
  campaignEvent(env, ctx, { operation: 'COMPLETE', name: 'Complete Certification Campaign Passed', target: campaign.name, attributes: { ...campaignAttrs(campaign), lastCertificationId: cert.id } });
});

// ---- admin reassign (contract move: AdminReviewReassign → CertificationTask ADMIN_REASSIGN, QUEUED) ----
export const ADMIN_REASSIGN_DELAY_MS = 5_000;

export function reassignCampaign(env: Environment, ctx: RequestActor, id: string, body: { certificationIds?: unknown; reassignTo?: { id?: unknown; type?: unknown } | null; reason?: unknown }) {
  requireCampaignAdmin(ctx.principal);
  const campaign = campaignFor(env, id);
  const status = statusOf(env, campaign);
  if (status !== 'ACTIVE' && status !== 'STAGED') throw badRequest(`Campaign ${campaign.id} is ${status}; certifications can only be reassigned in a STAGED or ACTIVE campaign.`);
  const ids = body.certificationIds;
  if (!Array.isArray(ids) || !ids.length || ids.length > 250 || !ids.every((x) => typeof x === 'string')) throw badRequest("'certificationIds' must hold 1 to 250 certification ids.");
  const to = typeof body.reassignTo?.id === 'string' ? findIdentity(env, body.reassignTo.id) : undefined;
  if (!to || !to.active) throw badRequest(`Identity ${String(body.reassignTo?.id)} does not exist or is inactive.`);
  if (body.reassignTo?.type !== undefined && body.reassignTo.type !== 'IDENTITY') throw badRequest("reassignTo.type must be 'IDENTITY'.");
  for (const certId of ids as string[]) {
    const cert = findCertification(env, certId);
    if (!cert || cert.campaignId !== campaign.id) throw badRequest(`Certification ${certId} does not belong to campaign ${campaign.id}.`);
    if (cert.phase === 'SIGNED') throw badRequest(`Certification ${certId} has already been signed off.`);
  }
  const now = env.clock.now();
  const task: CertificationTask = {
    id: hexId(),
    type: 'ADMIN_REASSIGN',
    targetType: 'CAMPAIGN',
    targetId: campaign.id,
    status: 'QUEUED',
    errors: [],
    reassignmentTrailDTOs: [],
    created: new Date(now).toISOString(),
    dueAt: new Date(now + ADMIN_REASSIGN_DELAY_MS).toISOString(),
    request: { certificationIds: ids, reassignTo: to.id, reason: typeof body.reason === 'string' ? body.reason : '' },
    actor: actorOf(env, ctx.principal),
  };
  certState(env).tasks.push(task);
  env.jobs.schedule(JOB_ADMIN_REASSIGN, now + ADMIN_REASSIGN_DELAY_MS, { taskId: task.id, campaignId: campaign.id, txId: ctx.txId, principal: jobPrincipal(ctx.principal) });
  env.changed();
  return renderTask(task);
}

export function runAdminReassign(env: Environment, payload: Record<string, unknown>): void {
  const task = certState(env).tasks.find((t) => t.id === payload.taskId);
  if (!task || task.status !== 'QUEUED') return;
  const ctx = ctxFromJob(payload, task.id);
  const req = task.request as { certificationIds: string[]; reassignTo: string; reason: string };
  const to = findIdentity(env, req.reassignTo);
  const now = env.clock.nowIso();
  const trail: CertificationTask['reassignmentTrailDTOs'] = [];
  for (const certId of req.certificationIds) {
    const cert = findCertification(env, certId);
    if (!cert || cert.phase === 'SIGNED' || !to) continue;
    const from = cert.reviewer;
    cert.reassignment = { fromCertificationId: cert.id, fromCertificationName: cert.name, fromReviewerId: from.id, comment: req.reason };
    cert.reviewer = { type: 'IDENTITY', id: to.id, members: [] };
    cert.modified = now;
    trail.push({ previousOwner: from.id, newOwner: to.id, reassignmentType: 'ADMIN_REASSIGNMENT' });
  }
  // reviewers changed in place: the reviewer index (certifications/authorization.ts reviewedBy) is rebuilt on next use
  if (trail.length) dropIndex(certState(env).certifications);
  task.status = 'SUCCESS';
  task.reassignmentTrailDTOs = trail;
  campaignEvent(env, ctx, { operation: 'REASSIGN', name: 'Reassign Certification Campaign Passed', target: task.targetId, attributes: { campaignId: task.targetId, certificationIds: req.certificationIds, reassignedTo: req.reassignTo } });
  env.changed();
}
