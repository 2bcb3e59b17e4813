// Campaigns: start from a template, asynchronous generation, staging, deadlines, expiry, cancel, reviewer tasks (S3 L1994–3240; S4 L15351–16700).
import type { RequestActor } from '../../../core/types.js';
import type { Environment } from '../../../environment.js';
import type { Principal } from '../../../core/auth.js';
import { Invalid, NotFound } from '../../../core/errors.js';
import { auditActivity } from '../../../core/audit.js';
import { uuid } from '../../../core/ids.js';
import type { GovernanceState } from '../../governance/model.js';
import { findUser, governance, indexes as govIndexes } from '../../governance/service.js';
import { ACTIVE_CAMPAIGN, type Actor, type ActorInfo, type Campaign, type Decision, type ItemType, type LineItem, FULL_PERMISSIONS } from './model.js';
import { matchesTargetFilter, validateTargetFilter } from '../targetFilter.js';
import { DAY, GENERATION_MS, REMEDIATION_LAG_MS, JOB_GENERATE, JOB_EXPIRE, JOB_REMEDIATE, certState, idx, userKey, bareId, iso, indexItem, addActorIndex, actorInfo, processAudit, sortVal, cmpStr, userInfo } from './state.js';
import { getTemplate, planSchedule } from './templates.js';
import { strictTimestamp } from '../../../core/timestamps.js';

// ---------------------------------------------------------------- campaigns

const campaignMissing = (id: string) => new NotFound(`Cannot find certification with id ${id}.`);

export function getCampaign(env: Environment, id: string): Campaign {
  const c = idx(env).campaigns.get(id);
  if (!c) throw campaignMissing(id);
  expireIfDue(env, c);
  return c;
}

/**
 * Start a campaign from a template, as the template's schedule script does (recording: invokeContext script posts
 * `{templateId}` to iga/governance/certification). The campaign is created now and generated asynchronously.
 */
export function startCampaign(env: Environment, ctx: RequestActor | null, templateId: string, overrides: Record<string, unknown> = {}): Campaign {
  const t = getTemplate(env, templateId);
  const { metadata, schedule, scheduleId, id, status, _campaignCount, ...fields } = t;
  void metadata; void schedule; void id; void status; void _campaignCount;
  const c: Campaign = {
    ...fields,
    ...overrides,
    id: uuid(),
    templateId: t.id,
    scheduleId: scheduleId ?? null,
    name: String(overrides.name ?? t.name),
    status: 'creating',
    startDate: null,
    deadline: null,
    completionDate: null,
    completedBy: null,
    systemMessages: { info: [], errors: [] },
    _createdBy: ctx ? actorInfo(env, ctx.principal) : null,
  } as Campaign;
  const campaigns = certState(env).campaigns;
  campaigns.push(c);
  // the element as the list hands it out (with a data dir, the change-tracking view: docs/persistence.md)
  idx(env).campaigns.set(c.id, campaigns.at(-1)!);
  // S4 L15550: running a template activates it
  t.status = 'active';
  t._campaignCount = Number(t._campaignCount ?? 0) + 1;
  env.jobs.schedule(JOB_GENERATE, env.clock.now() + GENERATION_MS, { campaignId: c.id });
  env.changed();
  if (ctx) auditActivity(env, ctx, { objectId: `governance/certification/${c.id}`, operation: 'CREATE', after: { templateId: t.id, name: c.name, status: c.status } });
  return c;
}

export interface GenerateOptions {
  newId: () => string;
  nowMs: number;
}

/** Line items for a campaign: users × accounts/entitlements/roles matching the template's targetFilter. */
export function generateItems(gov: GovernanceState, c: Campaign, opts: GenerateOptions): LineItem[] {
  const gx = govIndexes(gov);
  const tf = (c.targetFilter ?? {}) as Record<string, unknown>;
  const types = Array.isArray(tf.type) && tf.type.length ? (tf.type as string[]) : ['accountGrant', 'entitlementGrant', 'roleMembership'];
  const want = {
    account: types.some((t) => /^accountgrant$/i.test(t)),
    entitlement: types.some((t) => /^(entitlementgrant|resourcegrant)$/i.test(t)),
    role: types.some((t) => /^rolemembership$/i.test(t)),
  };
  const excludeRoleBased = c.excludeRoleBasedAccess !== false;
  const stage = (Array.isArray(c.stages) ? c.stages[0] : undefined) as Record<string, unknown> | undefined;
  const deadline = c.deadline;
  const out: LineItem[] = [];
  // a stored filter that does not validate (hand-written fixture) selects nothing rather than failing generation
  const usable = (f: unknown) => {
    try {
      validateTargetFilter(f);
      return true;
    } catch {
      return false;
    }
  };
  const match = (f: unknown, o: unknown) => usable(f) && matchesTargetFilter(f, o);
  for (const user of gov.users) {
    if (!match(tf.user, { ...user, id: user._id })) continue;
    for (const g of gx.grantsByUser.get(user._id) ?? []) {
      if (g.type === 'account' && !want.account) continue;
      if (g.type === 'entitlement' && !want.entitlement) continue;
      if (g.type === 'role' && !want.role) continue;
      const roleBased = g.grantType === 'role';
      if (roleBased && excludeRoleBased) continue; // S4 L15781: exclude role-based access
      let application, entitlement, role;
      if (g.type === 'account') {
        const app = gx.applications.get(g.assignmentId);
        if (!app || !match(tf.application, app)) continue;
        application = app;
      } else if (g.type === 'entitlement') {
        const ent = gx.entitlements.get(g.assignmentId);
        const app = ent ? gx.applications.get(ent.applicationId) : undefined;
        if (!ent || !app) continue;
        if (!match(tf.application, app)) continue;
        if (!match(tf.entitlement, { ...ent, displayName: ent.name, glossary: { description: ent.description, requestable: ent.requestable, entitlementOwner: ent.ownerIds } })) continue;
        application = app;
        entitlement = ent;
      } else {
        const r = gx.roles.get(g.assignmentId);
        if (!r || !match(tf.role, { ...r, _id: r.id, glossary: { requestable: r.requestable } })) continue;
        role = r;
      }
      // reviewer (S4 L15640: stage certifier type user | manager | owners), else the default certifier, else the owner
      const ownerOf = (ids: string[] | undefined) => ids?.[0];
      let reviewer: string | undefined;
      const type = String(stage?.certifierType ?? 'user');
      if (type === 'user' && typeof stage?.certifierId === 'string') reviewer = bareId(stage.certifierId);
      else if (type === 'manager') reviewer = user.manager ?? undefined;
      else if (type === 'entitlementOwner') reviewer = ownerOf(entitlement?.ownerIds ?? application?.ownerIds ?? role?.ownerIds);
      else if (type === 'applicationOwner' || type === 'appOwner') reviewer = ownerOf(application?.ownerIds);
      else if (type === 'roleOwner') reviewer = ownerOf(role?.ownerIds);
      const fallback = [c.defaultCertifierId, c.ownerId].filter((v): v is string => typeof v === 'string' && v !== '').map(bareId);
      // S4 L15700: without self-certification a user never reviews their own access
      const selfOk = c.allowSelfCertification === true;
      const candidates = [reviewer, ...fallback].filter((v): v is string => !!v && gx.users.has(v) && (selfOk || v !== user._id));
      const reviewerUser = candidates.length ? gx.users.get(candidates[0]!)! : undefined;
      if (!reviewerUser) continue;
      const reviewerRef = { id: userKey(reviewerUser._id), userName: reviewerUser.userName, givenName: reviewerUser.givenName, sn: reviewerUser.sn, mail: reviewerUser.mail };
      const itemType: ItemType = g.type === 'account' ? 'accountGrant' : g.type === 'entitlement' ? 'entitlementGrant' : 'roleMembership';
      const id = opts.newId();
      out.push({
        id,
        campaignId: c.id,
        grantId: g.id,
        item: { type: itemType },
        user: { id: user._id, userName: user.userName, givenName: user.givenName, sn: user.sn, mail: user.mail },
        ...(application ? { application: { id: application.id, name: application.name, description: application.description, templateName: application.templateName } } : {}),
        ...(entitlement ? { entitlement: { id: entitlement.id, displayName: entitlement.name, description: entitlement.description, applicationId: entitlement.applicationId } } : {}),
        ...(role ? { role: { id: role.id, name: role.name, description: role.description } } : {}),
        relationship: { properties: { grantTypes: [{ grantType: g.grantType, ...(g.roleId ? { roleId: g.roleId } : {}) }] } },
        decision: {
          certification: {
            campaignId: c.id,
            targetId: id,
            status: c.stagingEnabled === true ? 'pending' : 'in-progress',
            decision: null,
            decisionDate: null,
            decisionBy: null,
            completionDate: null,
            completedBy: null,
            remediationDate: null,
            remediated: false,
            remediationStatus: null,
            confidenceScore: 0,
            stageIndex: 0,
            deadline,
            isExpired: false,
            comments: [],
            actors: [{ ...reviewerRef, permissions: { ...FULL_PERMISSIONS } }],
            primaryReviewer: reviewerRef,
          },
        },
      });
    }
  }
  return out;
}

/** Job: generate the campaign's items, then staging (template stages) or in-progress with its deadline. */
export function runGeneration(env: Environment, campaignId: string): void {
  const x = idx(env);
  const c = x.campaigns.get(campaignId);
  if (!c || c.status !== 'creating') return;
  const now = env.clock.now();
  if (c.stagingEnabled !== true) {
    c.startDate = iso(now);
    c.deadline = iso(now + Number(c.stageDuration ?? 14) * DAY);
  }
  const items = generateItems(governance(env), c, { newId: uuid, nowMs: now });
  const state = certState(env);
  for (const it of items) {
    state.items.push(it);
    indexItem(x, state.items.at(-1)!);
  }
  c.status = c.stagingEnabled === true ? 'staging' : 'in-progress';
  if (c.status === 'in-progress') env.jobs.schedule(JOB_EXPIRE, Date.parse(c.deadline!), { campaignId });
  env.changed();
  processAudit(env, 'iga', c.id, `Certification generated with ${items.length} line items`, { status: c.status, items: items.length });
}

/** POST /iga/governance/certification/{certId}/activate: a staged campaign goes live (S4 L16600). */
export function activateCampaign(env: Environment, ctx: RequestActor, id: string): Campaign {
  const c = getCampaign(env, id);
  if (c.status !== 'staging') throw new Invalid(`Certification ${id} is not staged.`);
  const now = env.clock.now();
  c.status = 'in-progress';
  c.startDate = iso(now);
  c.deadline = iso(now + Number(c.stageDuration ?? 14) * DAY);
  for (const it of itemsOf(env, id)) {
    it.decision.certification.status = 'in-progress';
    it.decision.certification.deadline = c.deadline;
  }
  env.jobs.schedule(JOB_EXPIRE, Date.parse(c.deadline), { campaignId: id });
  env.changed();
  auditActivity(env, ctx, { objectId: `governance/certification/${id}`, operation: 'ACTION', message: 'activate', after: { status: c.status } });
  return c;
}

export function itemsOf(env: Environment, campaignId: string): LineItem[] {
  return idx(env).itemsByCampaign.get(campaignId) ?? [];
}

/** The IGA expiration processing, as it appears on decisions it makes (template expirationAction). */
export const EXPIRATION_ACTOR: ActorInfo = { id: 'iga-expiration', type: 'system', name: 'Certification expiration' };

/**
 * The deadline passed with work open (S4 L15800 "When Campaign Expires", L16455): with `expirationAction`
 * `reassign` the open items go to the expiration reassignee and the campaign stays active (overdue); otherwise the
 * campaign and its open items expire, and `certify`/`revoke`/`exception` close the open items with that decision
 * (a revoke is remediated `expirationActionDelay` days later when the template processes remediation).
 */
export function expireIfDue(env: Environment, c: Campaign): boolean {
  if (c.status !== 'in-progress' || !c.deadline || Date.parse(c.deadline) > env.clock.now() || c._overdue === true) return false;
  const action = typeof c.expirationAction === 'string' ? c.expirationAction : null;
  const open = itemsOf(env, c.id).filter((it) => it.decision.certification.status === 'in-progress' || it.decision.certification.status === 'pending');
  const reassignee = action === 'reassign' && typeof c.expirationReassignee === 'string' ? findUser(env, bareId(c.expirationReassignee)) : undefined;
  const now = env.clock.now();
  if (reassignee) {
    c._overdue = true;
    const ref = { id: userKey(reassignee._id), userName: reassignee.userName, givenName: reassignee.givenName, sn: reassignee.sn, mail: reassignee.mail };
    const x = idx(env);
    for (const it of open) {
      const d = it.decision.certification;
      for (const a of d.actors) x.itemsByActor.get(a.id)?.delete(it);
      d.actors = [{ ...ref, permissions: { ...FULL_PERMISSIONS } }];
      d.primaryReviewer = ref;
      d.isExpired = true;
      addActorIndex(x, ref.id, it);
      d.comments.push({ user: EXPIRATION_ACTOR, comment: `Reassigned to ${reassignee.userName} on expiration`, action: 'reassign', timeStamp: iso(now) });
    }
    env.changed();
    processAudit(env, EXPIRATION_ACTOR.id, c.id, 'Certification overdue: open items reassigned', { reassignee: ref.id, items: open.length });
    return false;
  }
  c.status = 'expired';
  c.completionDate = c.deadline;
  const decision = action === 'certify' || action === 'revoke' || action === 'exception' ? (action as Decision) : null;
  for (const it of itemsOf(env, c.id)) it.decision.certification.isExpired = true;
  for (const it of open) {
    const d = it.decision.certification;
    d.status = 'expired';
    const roleBased = it.relationship.properties.grantTypes.some((g) => g.grantType === 'role');
    // S4 L15836: "Close open items" adds the decision to items without one; a reviewer's decision stands
    const effective = d.decision ?? decision;
    if (!decision || roleBased || !effective) continue;
    if (d.decision === null) {
      d.decision = decision;
      d.decisionDate = iso(now);
      d.decisionBy = EXPIRATION_ACTOR;
    }
    d.completionDate = iso(now);
    d.completedBy = EXPIRATION_ACTOR;
    if (effective === 'revoke' && typeof c.remediationRule === 'string' && c.remediationRule !== '') {
      d.remediationStatus = 'pending';
      env.jobs.schedule(JOB_REMEDIATE, now + Number(c.expirationActionDelay ?? 0) * DAY + REMEDIATION_LAG_MS, { campaignId: c.id, itemId: it.id, signedOffBy: EXPIRATION_ACTOR as unknown as Record<string, unknown> });
    }
  }
  env.changed();
  processAudit(env, EXPIRATION_ACTOR.id, c.id, 'Certification expired', { status: 'expired', expirationAction: action, items: open.length });
  return true;
}

/** Expire every active campaign whose deadline passed (cheap: only active campaigns are looked at). */
export function sweep(env: Environment): void {
  for (const c of certState(env).campaigns) if (c.status === 'in-progress') expireIfDue(env, c);
}

export function updateDeadline(env: Environment, ctx: RequestActor, id: string, newDeadline: unknown): Campaign {
  const c = getCampaign(env, id);
  const ms = strictTimestamp(newDeadline);
  if (ms === undefined) throw new Invalid('A valid newDeadline is required.');
  if (!ACTIVE_CAMPAIGN.has(c.status)) throw new Invalid(`Certification ${id} is not active.`);
  if (ms <= env.clock.now()) throw new Invalid('The new deadline must be in the future.');
  const before = c.deadline;
  c.deadline = iso(ms);
  delete c._overdue;
  for (const it of itemsOf(env, id)) it.decision.certification.deadline = c.deadline;
  env.jobs.cancel((j) => j.kind === JOB_EXPIRE && j.payload.campaignId === id);
  if (c.status === 'in-progress') env.jobs.schedule(JOB_EXPIRE, ms, { campaignId: id });
  env.changed();
  auditActivity(env, ctx, { objectId: `governance/certification/${id}`, operation: 'UPDATE', before: { deadline: before }, after: { deadline: c.deadline }, changedFields: ['deadline'] });
  return c;
}

/** S3 L2654: cancel ends open work; signed-off decisions (and their remediation) stand. */
export function cancelCampaign(env: Environment, ctx: RequestActor, id: string): Campaign {
  const c = getCampaign(env, id);
  if (!ACTIVE_CAMPAIGN.has(c.status)) throw new Invalid(`Certification ${id} is not active.`);
  c.status = 'cancelled';
  c.completionDate = env.clock.nowIso();
  c.completedBy = actorInfo(env, ctx.principal) as unknown as Record<string, unknown>;
  for (const it of itemsOf(env, id)) {
    const d = it.decision.certification;
    if (d.status === 'in-progress' || d.status === 'pending') d.status = 'cancelled';
  }
  env.jobs.cancel((j) => (j.kind === JOB_EXPIRE || j.kind === JOB_GENERATE) && j.payload.campaignId === id);
  env.changed();
  auditActivity(env, ctx, { objectId: `governance/certification/${id}`, operation: 'ACTION', message: 'cancel', after: { status: 'cancelled' } });
  return c;
}

export function campaignTotals(env: Environment, c: Campaign) {
  const items = itemsOf(env, c.id);
  const targets = new Set(items.map((i) => i.user.id));
  const complete = items.filter((i) => i.decision.certification.decision !== null || i.decision.certification.status === 'signed-off').length;
  return {
    totalTargets: targets.size,
    totalItems: items.length,
    totalItemsComplete: complete,
    percentItemsComplete: items.length ? Math.round((complete / items.length) * 100) : 0,
  };
}

export function campaignView(env: Environment, c: Campaign, withTotals = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (!k.startsWith('_')) out[k] = v;
  return withTotals ? { ...out, ...campaignTotals(env, c) } : out;
}

export interface CampaignQuery {
  queryString?: string;
  status?: string;
  certificationType?: string;
  pageSize: number;
  offset: number;
  sortKeys: string;
  sortDir: 'asc' | 'desc';
  sortType?: string;
  searchAfter?: string;
}

/** GET admin/certification: `{result,totalHits,searchAfterKey}` (S3 L1994–2206). */
export function listCampaigns(env: Environment, q: CampaignQuery): Record<string, unknown> {
  sweep(env);
  const qs = q.queryString?.toLowerCase() ?? '';
  let list = certState(env).campaigns.filter((c) => {
    if (q.status === 'active' && !ACTIVE_CAMPAIGN.has(c.status)) return false;
    if (q.status === 'closed' && ACTIVE_CAMPAIGN.has(c.status)) return false;
    if (q.status && q.status !== 'active' && q.status !== 'closed' && c.status !== q.status) return false;
    if (q.certificationType && c.certificationType !== q.certificationType) return false;
    if (qs && !c.name.toLowerCase().includes(qs) && !String(c.description ?? '').toLowerCase().includes(qs)) return false;
    return true;
  });
  const key = (c: Campaign) => sortVal(c, q.sortKeys);
  const numeric = q.sortType === 'integer';
  const dir = q.sortDir === 'desc' ? -1 : 1;
  list = [...list].sort((a, b) => (numeric ? Number(key(a)) - Number(key(b)) : cmpStr(key(a), key(b))) * dir || cmpStr(a.id, b.id));
  let start = q.offset;
  if (q.searchAfter) {
    // the key is [sortValue, id]: the value itself may hold commas (a campaign named "Q1, 2027"), so the id is the last part
    const parts = q.searchAfter.split(',');
    const id = parts.length > 1 ? parts.pop() : undefined;
    const v = parts.join(',');
    const i = list.findIndex((c) => (id !== undefined ? c.id === id : key(c) === v));
    start = i >= 0 ? i + 1 : list.length;
  }
  const page = list.slice(start, start + q.pageSize);
  const last = page[page.length - 1];
  return { result: page.map((c) => campaignView(env, c)), totalHits: list.length, searchAfterKey: last ? [key(last), last.id] : [] };
}

// ---------------------------------------------------------------- tasks (per reviewer)

interface TaskCount {
  reviewer: Omit<Actor, 'permissions'>;
  counts: Record<string, number>;
  total: number;
  decided: number;
}

function tasksOf(items: LineItem[]): Map<string, TaskCount> {
  const m = new Map<string, TaskCount>();
  for (const it of items) {
    const d = it.decision.certification;
    let t = m.get(d.primaryReviewer.id);
    if (!t) m.set(d.primaryReviewer.id, (t = { reviewer: d.primaryReviewer, counts: {}, total: 0, decided: 0 }));
    t.counts[d.status] = (t.counts[d.status] ?? 0) + 1;
    t.total++;
    if (d.decision !== null || d.status === 'signed-off') t.decided++;
  }
  return m;
}

function taskStatus(c: Campaign, t: TaskCount): string {
  if (c.status === 'staging' || c.status === 'creating') return 'staging';
  if (c.status === 'cancelled') return 'cancelled';
  if ((t.counts['signed-off'] ?? 0) === t.total) return 'signed-off';
  if (c.status === 'expired') return 'expired';
  return 'in-progress';
}

/** GET admin/certification/{id}/tasks (S3 L2390–2463). */
export function campaignTasks(env: Environment, id: string, q: { queryString?: string; pageSize: number; pageNumber: number; sortBy: string; sortDir: string }): Record<string, unknown> {
  const c = getCampaign(env, id);
  const qs = q.queryString?.toLowerCase() ?? '';
  let rows = [...tasksOf(itemsOf(env, id)).values()].map((t) => ({
    actor: { id: bareId(t.reviewer.id), givenName: t.reviewer.givenName, sn: t.reviewer.sn, userName: t.reviewer.userName, mail: t.reviewer.mail, type: 'user', name: `${t.reviewer.givenName} ${t.reviewer.sn}`, key: t.reviewer.id },
    inProgress: t.counts['in-progress'] ?? 0,
    complete: t.counts['signed-off'] ?? 0,
    total: t.total,
    progress: t.total ? Math.round((t.decided / t.total) * 100) : 0,
    status: taskStatus(c, t),
  }));
  if (qs) rows = rows.filter((r) => [r.actor.userName, r.actor.sn, r.actor.givenName, r.actor.mail].some((v) => v.toLowerCase().includes(qs)));
  const dir = q.sortDir === 'desc' ? -1 : 1;
  rows.sort((a, b) => {
    const va = q.sortBy === 'progress' ? a.progress : sortVal(a, q.sortBy);
    const vb = q.sortBy === 'progress' ? b.progress : sortVal(b, q.sortBy);
    return (typeof va === 'number' ? va - (vb as number) : cmpStr(String(va), String(vb))) * dir;
  });
  return { result: rows.slice(q.pageNumber * q.pageSize, q.pageNumber * q.pageSize + q.pageSize) };
}

/** GET /certification/items?status=active|expired|complete: the caller's tasks with totals and progress (S3 L3184). */
export function myTasks(env: Environment, p: Principal, status: string): Record<string, unknown> {
  sweep(env);
  const me = userKey(p.id);
  const mine = [...(idx(env).itemsByActor.get(me) ?? [])];
  const byCampaign = new Map<string, LineItem[]>();
  for (const it of mine) {
    let l = byCampaign.get(it.campaignId);
    if (!l) byCampaign.set(it.campaignId, (l = []));
    l.push(it);
  }
  const u = findUser(env, p.id);
  const results: Record<string, unknown>[] = [];
  for (const [cid, items] of byCampaign) {
    const c = idx(env).campaigns.get(cid);
    if (!c) continue;
    const counts: Record<string, number> = {};
    let decided = 0;
    for (const it of items) {
      const d = it.decision.certification;
      counts[d.status] = (counts[d.status] ?? 0) + 1;
      if (d.decision !== null || d.status === 'signed-off') decided++;
    }
    const open = counts['in-progress'] ?? 0;
    const want =
      status === 'active' ? c.status === 'in-progress' && open > 0
      : status === 'expired' ? c.status === 'expired'
      : status === 'complete' ? open === 0 && (counts['signed-off'] ?? 0) > 0 && c.status !== 'expired'
      : false;
    if (!want) continue;
    results.push({
      status: c.status,
      campaignId: c.id,
      certifierId: me,
      startDate: c.startDate,
      deadline: c.deadline,
      campaignName: c.name,
      totals: { ...counts, total: items.length },
      progress: items.length ? Math.round((decided / items.length) * 100) : 0,
      certifier: u ? { ...userInfo(u), type: 'user', key: me } : { id: p.id, type: p.type, key: me },
    });
  }
  results.sort((a, b) => cmpStr(String(a.deadline), String(b.deadline)));
  return { results, totalCount: results.length };
}


/** Job: the schedule fired — start a campaign (as the scheduler script would) and plan the next run. */
export function runScheduled(env: Environment, templateId: string, scheduleId: unknown): void {
  const t = idx(env).templates.get(templateId);
  if (!t || t.scheduleId !== scheduleId) return;
  startCampaign(env, null, templateId);
  planSchedule(env, t);
}
