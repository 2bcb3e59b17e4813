// ISC certification reads: the lists (certifications, items, reviewers), certification tasks, and the summaries
// (contract getIdentityDecisionSummary, getIdentitySummaries, getIdentitySummary, getIdentityAccessSummaries).
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { findIdentity } from '../identities/service.js';
import { Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { compileFilter, compileSorters, page, type Paging } from '../shared/filters.js';
import type { Certification, CertificationTask, ReviewItem } from './model.js';
import { certState, findCertification, findItem } from './state.js';
import { isCertAdmin, reviewedBy, reviews } from './authorization.js';
import { groupBy, orderOf } from '../../core/indexes.js';
import { accessOf, certCounts, renderCertification, renderItem, renderTask } from './render.js';

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
  // candidates in store order, a superset of the rows: the reviewer index unless an admin lists everything
  const mine = admin ? undefined : reviewedBy(env, p.id);
  const theirs = reviewer ? reviewedBy(env, reviewer) : undefined;
  const candidates = mine && theirs ? (theirs.length < mine.length ? theirs : mine) : (mine ?? theirs ?? certState(env).certifications);
  // contract: "only certifications you are authorized to review will be returned" (admins see all)
  const rows = candidates.filter((c) => (reviewer ? reviews(c, reviewer) : true) && (admin || reviews(c, p.id)) && filter(c));
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

// ---- certification tasks ----
const TASK_FILTERS = { id: ['eq', 'in'], targetId: ['eq', 'in'], type: ['eq', 'in'] } as const;

function canSeeTask(env: Environment, p: Principal, t: CertificationTask): boolean {
  if (isCertAdmin(p) || t.reviewerId === p.id || t.actor?.id === p.id) return true;
  const cert = findCertification(env, t.targetId);
  return !!cert && reviews(cert, p.id);
}

const taskKeys = (t: CertificationTask) => [`r:${t.reviewerId ?? ''}`, `a:${t.actor?.id ?? ''}`, `t:${t.targetId}`];

/** The tasks a caller could see, in store order, from an index over the tasks list (a superset of the rows). */
function taskCandidates(env: Environment, p: Principal, reviewer: string | undefined): readonly CertificationTask[] {
  const tasks = certState(env).tasks;
  const by = (key: string) => groupBy(tasks, taskKeys).get(key) ?? [];
  if (reviewer) return by(`r:${reviewer}`);
  if (isCertAdmin(p)) return tasks;
  // canSeeTask: the caller's own tasks, tasks they submitted, and tasks on certifications they review
  const groups = [by(`r:${p.id}`), by(`a:${p.id}`), ...reviewedBy(env, p.id).map((c) => by(`t:${c.id}`))].filter((g) => g.length);
  if (groups.length <= 1) return groups[0] ?? [];
  const pos = orderOf(tasks);
  return [...new Set(groups.flat())].sort((x, y) => pos.get(x)! - pos.get(y)!);
}

export function listTasks(env: Environment, p: Principal, q: { reviewerIdentity?: string; filters?: string }, paging: Paging) {
  const reviewer = q.reviewerIdentity === 'me' ? p.id : q.reviewerIdentity;
  const filter = compileFilter<CertificationTask>(q.filters, TASK_FILTERS as never, (t, f) => (t as Record<string, unknown>)[f]);
  // contract: "returns a list of pending (QUEUED or IN_PROGRESS) certification tasks"
  const rows = taskCandidates(env, p, reviewer)
    .filter((t) => (t.status === 'QUEUED' || t.status === 'IN_PROGRESS') && canSeeTask(env, p, t) && (!reviewer || t.reviewerId === reviewer))
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
