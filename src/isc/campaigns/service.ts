// ISC certification campaigns (SPEC §8, issue 14, contract tag "Certification Campaigns"): create, read, patch and
// delete here; activate, complete, admin reassign and the clock-driven steps in lifecycle.ts. The lifecycle:
//   PENDING →(stageMs: certifications generated from the access model)→ STAGED | ERROR
//   STAGED →(activate)→ ACTIVATING →(activateMs)→ ACTIVE →(complete, past due)→ COMPLETING →(completeMs)→ COMPLETED
// An ACTIVE campaign whose certifications are all signed off becomes COMPLETED at the last sign-off. At the deadline a
// campaign with autoRevokeAllowed completes itself with REVOKE for undecided items; otherwise it stays ACTIVE, past due,
// until an admin completes it (the contract: /complete "will run successfully for any campaigns that are past due").
// Attribution is the token's identity (seeds 000/001); jobs act as the identity that started them.
import { groupBy } from '../../core/indexes.js';
import type { Environment } from '../../environment.js';
import { checkIdentityQuery } from './identitySearch.js';
import type { RequestActor } from '../../core/types.js';
import type { Principal } from '../../core/auth.js';
import { hexId } from '../../core/ids.js';
import { findIdentity } from '../identities/service.js';
import { badRequest, forbidden, notFound } from '../shared/errors.js';
import { compileFilter, compileSorters, page, type Paging } from '../shared/filters.js';
import { certState, findCampaign, isCertAdmin } from '../certifications/service.js';
import { recordEvent, type EventInput } from '../search/events.js';
import type { Actor, Campaign, Certification } from '../certifications/model.js';
import { campaignBodySchema, type CampaignBody, type CampaignStatus, type CampaignTimings, type IscCampaignsState } from './model.js';
import { strictTimestamp } from '../../core/timestamps.js';

export const AREA = 'iscCampaigns';

export function campaignsState(env: Environment): IscCampaignsState {
  return env.slice<IscCampaignsState>(AREA);
}

export function timings(env: Environment): CampaignTimings {
  return campaignsState(env).timings;
}

// ---- who may call (contract x-sailpoint-userLevels) ----
/** createCampaign, activate, complete, …: ORG_ADMIN or CERT_ADMIN; a reviewer's PAT gets the documented 403. */
export function requireCampaignAdmin(p: Principal): void {
  if (!isCertAdmin(p)) throw forbidden();
}

/** getActiveCampaigns, reports: ORG_ADMIN, CERT_ADMIN or REPORT_ADMIN. */
export function requireCampaignReader(p: Principal): void {
  if (!isCertAdmin(p) && !p.authorities.includes('REPORT_ADMIN')) throw forbidden();
}

// ---- campaigns and their certifications ----
const campaignOf = (c: Certification) => [c.campaignId];

/** A campaign's certifications (an index over the certifications list: reads cost the campaign's size, not the store's). */
export function campaignCertifications(env: Environment, campaignId: string): readonly Certification[] {
  return groupBy(certState(env).certifications, campaignOf).get(campaignId) ?? [];
}

export function campaignFor(env: Environment, id: string): Campaign {
  const c = findCampaign(env, id);
  if (!c) throw notFound();
  return c;
}

/** A seeded campaign (no stored status) is ACTIVE until all its certifications are signed. */
export function statusOf(env: Environment, c: Campaign): CampaignStatus {
  if (c.status) return c.status;
  const certs = campaignCertifications(env, c.id);
  return certs.length && certs.every((x) => x.phase === 'SIGNED') ? 'COMPLETED' : 'ACTIVE';
}

export function counters(env: Environment, c: Campaign) {
  const certs = campaignCertifications(env, c.id);
  return { totalCertifications: certs.length, completedCertifications: certs.filter((x) => x.phase === 'SIGNED').length };
}

/** Absent rather than null: the contract declares these fields non-nullable (only `description` may be null). */
function present<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === null && k !== 'description') delete o[k];
  return o;
}

/** contract SlimCampaign */
export function renderSlim(env: Environment, c: Campaign) {
  const n = counters(env, c);
  return present({
    id: c.id,
    name: c.name,
    description: c.description,
    deadline: c.deadline ?? null,
    type: c.campaignType,
    status: statusOf(env, c),
    emailNotificationEnabled: c.emailNotificationEnabled ?? false,
    autoRevokeAllowed: c.autoRevokeAllowed ?? false,
    recommendationsEnabled: c.recommendationsEnabled ?? false,
    correlatedStatus: c.correlatedStatus,
    created: c.created ?? null,
    totalCertifications: n.totalCertifications,
    completedCertifications: n.completedCertifications,
    alerts: c.alerts ?? null,
  });
}

/** contract Campaign-2 (FULL) */
export function renderFull(env: Environment, c: Campaign) {
  return present({
    ...renderSlim(env, c),
    modified: c.modified ?? null,
    filter: c.filter ?? null,
    sunsetCommentsRequired: c.sunsetCommentsRequired ?? true,
    sourceOwnerCampaignInfo: c.sourceOwnerCampaignInfo ?? null,
    searchCampaignInfo: c.searchCampaignInfo ?? null,
    roleCompositionCampaignInfo: c.roleCompositionCampaignInfo ?? null,
    machineAccountCampaignInfo: c.machineAccountCampaignInfo ?? null,
    sourcesWithOrphanEntitlements: [],
    mandatoryCommentRequirement: c.mandatoryCommentRequirement,
  });
}

export type Detail = 'SLIM' | 'FULL';
export function parseDetail(raw: string | undefined): Detail {
  if (raw === undefined || raw === '') return 'SLIM';
  const d = raw.toUpperCase();
  if (d !== 'SLIM' && d !== 'FULL') throw badRequest(`Invalid value for query parameter detail: ${raw}`);
  return d;
}

const render = (env: Environment, c: Campaign, detail: Detail) => (detail === 'FULL' ? renderFull(env, c) : renderSlim(env, c));

const CAMPAIGN_FILTERS = { id: ['eq', 'in'], name: ['eq', 'sw'], status: ['eq', 'in'] } as const;

export function listCampaigns(env: Environment, p: Principal, q: { filters?: string; sorters?: string; detail?: string }, paging: Paging) {
  requireCampaignReader(p);
  const detail = parseDetail(q.detail);
  const get = (c: Campaign, f: string): unknown => (f === 'status' ? statusOf(env, c) : (c as Record<string, unknown>)[f]);
  const filter = compileFilter<Campaign>(q.filters, CAMPAIGN_FILTERS as never, get);
  const sort = compileSorters<Campaign>(q.sorters, ['name', 'created'], get);
  const rows = certState(env).campaigns.filter(filter);
  if (sort) rows.sort(sort);
  const res = page(rows, paging);
  return { rows: res.rows.map((c) => render(env, c, detail)), total: res.total };
}

export function getCampaign(env: Environment, p: Principal, id: string, detail?: string) {
  requireCampaignAdmin(p);
  return render(env, campaignFor(env, id), parseDetail(detail));
}

// ---- create ----
export function parseDeadline(raw: string | null | undefined): string | null {
  if (raw === undefined || raw === null) return null;
  const t = strictTimestamp(raw);
  if (t === undefined) throw badRequest(`Invalid deadline: ${raw}`);
  return new Date(t).toISOString();
}

/** The type-specific rules of contract Campaign-2 ("Must be set only if the campaign type is …"). */
export function validateCampaignBody(env: Environment, body: CampaignBody): void {
  const only = (field: keyof CampaignBody, type: string) => {
    if (body[field] && body.type !== type) throw badRequest(`${field} must be set only if the campaign type is ${type}.`);
  };
  only('sourceOwnerCampaignInfo', 'SOURCE_OWNER');
  only('searchCampaignInfo', 'SEARCH');
  only('roleCompositionCampaignInfo', 'ROLE_COMPOSITION');
  only('machineAccountCampaignInfo', 'MACHINE_ACCOUNT');
  if (body.correlatedStatus === 'UNCORRELATED' && body.type !== 'SOURCE_OWNER') throw badRequest('Only SOURCE_OWNER campaigns can be UNCORRELATED.');
  if (body.type === 'SOURCE_OWNER' && !body.sourceOwnerCampaignInfo?.sourceIds?.length) throw badRequest('sourceOwnerCampaignInfo.sourceIds is required for SOURCE_OWNER campaigns.');
  if (body.type === 'SEARCH') {
    const info = body.searchCampaignInfo;
    if (!info) throw badRequest('searchCampaignInfo is required for SEARCH campaigns.');
    const hasQuery = !!info.query?.trim();
    const hasIds = !!info.identityIds?.length;
    if (hasQuery === hasIds) throw badRequest('One of searchCampaignInfo.query or searchCampaignInfo.identityIds must be set.');
    if (hasQuery) checkIdentityQuery(env, info.query!);
    for (const c of info.accessConstraints ?? []) if (c.operator === 'SELECTED' && !c.ids?.length) throw badRequest('accessConstraints ids must be set when operator is SELECTED.');
  }
  if (body.type === 'ROLE_COMPOSITION') {
    const info = body.roleCompositionCampaignInfo;
    if (!info) throw badRequest('roleCompositionCampaignInfo.remediatorRef is required for ROLE_COMPOSITION campaigns.');
    if (info.roleIds?.length && info.query?.trim()) throw badRequest('Only one of roleCompositionCampaignInfo.roleIds and query may be set.');
  }
  parseDeadline(body.deadline);
}

/** Parse and validate a Campaign-2 body (the route's zod hook already checked the shape). */
export function campaignFromBody(env: Environment, actor: Actor, body: CampaignBody): Campaign {
  validateCampaignBody(env, body);
  const now = env.clock.nowIso();
  const rc = body.roleCompositionCampaignInfo;
  if (rc) {
    const remediator = findIdentity(env, rc.remediatorRef.id);
    if (!remediator) throw badRequest(`Remediator ${rc.remediatorRef.id} does not exist.`);
  }
  return {
    id: hexId(),
    name: body.name,
    campaignType: body.type,
    description: body.description ?? '',
    correlatedStatus: body.correlatedStatus ?? 'CORRELATED',
    mandatoryCommentRequirement: body.mandatoryCommentRequirement ?? 'NO_DECISIONS',
    status: 'PENDING',
    deadline: parseDeadline(body.deadline),
    created: now,
    modified: null,
    emailNotificationEnabled: body.emailNotificationEnabled ?? false,
    autoRevokeAllowed: body.autoRevokeAllowed ?? false,
    recommendationsEnabled: body.recommendationsEnabled ?? false,
    sunsetCommentsRequired: body.sunsetCommentsRequired ?? true,
    filter: body.filter ? { type: 'CAMPAIGN_FILTER', id: body.filter.id, name: body.filter.name ?? null } : null,
    sourceOwnerCampaignInfo: body.sourceOwnerCampaignInfo ?? null,
    searchCampaignInfo: body.searchCampaignInfo ?? null,
    roleCompositionCampaignInfo: rc ? { ...rc, remediatorRef: { ...rc.remediatorRef, name: findIdentity(env, rc.remediatorRef.id)?.name ?? null } } : null,
    machineAccountCampaignInfo: body.machineAccountCampaignInfo ?? null,
    alerts: [],
    createdBy: actor,
  };
}

export function parseBody(raw: unknown): CampaignBody {
  const r = campaignBodySchema().safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw badRequest(issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message);
  }
  return r.data;
}

/**
 * A campaign audit event, attributed to the caller (or the identity a job acts for): objects CERTIFICATION + CAMPAIGN
 * (+ TEMPLATE), so technicalName reads e.g. CERTIFICATION_CAMPAIGN_ACTIVATE_PASSED (contract EventDocument pattern).
 */
export function campaignEvent(env: Environment, ctx: RequestActor | undefined, ev: Omit<EventInput, 'type' | 'objects'>, template = false) {
  return recordEvent(env, ctx, { type: 'CERTIFICATION', objects: template ? ['CERTIFICATION', 'CAMPAIGN', 'TEMPLATE'] : ['CERTIFICATION', 'CAMPAIGN'], ...ev });
}

export function campaignAttrs(c: Campaign): Record<string, unknown> {
  return { campaignId: c.id, campaignName: c.name, campaignType: c.campaignType };
}

// ---- delete ----
export function deleteCampaigns(env: Environment, ctx: RequestActor, ids: unknown): Record<string, never> {
  requireCampaignAdmin(ctx.principal);
  if (!Array.isArray(ids) || !ids.length || !ids.every((x) => typeof x === 'string')) throw badRequest("'ids' must be a non-empty array of campaign ids.");
  const targets = ids.map((id: string) => campaignFor(env, id));
  for (const c of targets) {
    const s = statusOf(env, c);
    if (s === 'ACTIVATING' || s === 'COMPLETING') throw badRequest(`Campaign ${c.id} is ${s} and cannot be deleted until that finishes.`);
  }
  const gone = new Set(targets.map((c) => c.id));
  const st = certState(env);
  // new arrays, so the per-array indexes are rebuilt
  st.campaigns = st.campaigns.filter((c) => !gone.has(c.id));
  st.certifications = st.certifications.filter((c) => !gone.has(c.campaignId));
  env.jobs.cancel((j) => j.kind.startsWith('isc-campaign-') && gone.has(String(j.payload.campaignId)));
  for (const c of targets) campaignEvent(env, ctx, { operation: 'DELETE', name: 'Delete Certification Campaign Passed', target: c.name, attributes: campaignAttrs(c) });
  env.changed();
  return {};
}

