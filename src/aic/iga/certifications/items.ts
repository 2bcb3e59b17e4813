// Line items: queries, decisions, comments, forward/reassign, sign-off, remediation (S3 L2830–3713; S4 L16640–17160).
import type { RequestActor } from '../../../core/types.js';
import type { Environment } from '../../../environment.js';
import type { Principal } from '../../../core/auth.js';
import { Forbidden, Invalid, NotFound } from '../../../core/errors.js';
import { auditActivity } from '../../../core/audit.js';
import type { Grant, User } from '../../governance/model.js';
import { findUser, grantsOf, removeGrant } from '../../governance/service.js';
import { FULL_PERMISSIONS, type ActorInfo, type Campaign, type Decision, type ItemAction, type LineItem, type Permissions } from './model.js';
import { filterBy } from '../targetFilter.js';
import { DAY, REMEDIATION_LAG_MS, JOB_EXPIRE, JOB_REMEDIATE, idx, userKey, bareId, iso, addActorIndex, actorInfo, isCampaignAdmin, processAudit, sortVal, cmpStr } from './state.js';
import { getCampaign, itemsOf } from './campaigns.js';

// ---------------------------------------------------------------- line items

export interface ItemQuery {
  status?: string;
  decision?: string;
  user?: string;
  userName?: string;
  application?: string;
  resource?: string;
  actorId?: string;
  primaryReviewerId?: string;
  itemType?: string;
  targetId?: string;
  taskStatus?: string;
  isAdmin: boolean;
  appendUserPermissions: boolean;
  pageSize: number;
  offset: number;
  sortKeys?: string;
  sortDir: 'asc' | 'desc';
  searchAfter?: string;
}

function visibleItems(env: Environment, p: Principal, c: Campaign, asAdmin: boolean): LineItem[] {
  const all = itemsOf(env, c.id);
  if (asAdmin && isCampaignAdmin(env, p, c)) return all;
  const me = userKey(p.id);
  // staged campaigns are not exposed to end users (S4 L15736)
  if (c.status === 'staging' || c.status === 'creating') return [];
  return all.filter((it) => it.decision.certification.actors.some((a) => a.id === me));
}

export function itemView(env: Environment, it: LineItem, p?: Principal, c?: Campaign): Record<string, unknown> {
  const { grantId, ...rest } = it;
  void grantId;
  if (p && c) return { ...rest, permissions: permissionsFor(env, p, c, it) };
  return rest;
}

function permissionsFor(env: Environment, p: Principal, c: Campaign, it: LineItem): Permissions {
  if (isCampaignAdmin(env, p, c)) return { ...FULL_PERMISSIONS };
  const a = it.decision.certification.actors.find((x) => x.id === userKey(p.id));
  const none = Object.fromEntries(Object.keys(FULL_PERMISSIONS).map((k) => [k, false])) as Permissions;
  return a ? { ...none, ...a.permissions } : none;
}

function filterItems(items: LineItem[], q: Partial<ItemQuery>): LineItem[] {
  const norm = (s: string) => userKey(s);
  return items.filter((it) => {
    const d = it.decision.certification;
    if (q.status && d.status !== q.status) return false;
    if (q.decision && (q.decision === 'none' ? d.decision !== null : d.decision !== q.decision)) return false;
    if (q.user && it.user.id !== bareId(q.user)) return false;
    if (q.userName && it.user.userName !== q.userName) return false;
    if (q.application && it.application?.id !== q.application) return false;
    if (q.resource && ![it.application?.id, it.entitlement?.id, it.role?.id].includes(q.resource)) return false;
    if (q.actorId && !d.actors.some((a) => a.id === norm(q.actorId!))) return false;
    if (q.primaryReviewerId && d.primaryReviewer.id !== norm(q.primaryReviewerId)) return false;
    // S3 items `itemType`: "Account Grant" and "Resource Grant" (an entitlement grant, as in the template's type list)
    if (q.itemType && it.item.type.toLowerCase() !== q.itemType.replace(/\s+/g, '').toLowerCase().replace(/^resourcegrant$/, 'entitlementgrant')) return false;
    if (q.targetId && it.id !== q.targetId) return false;
    return true;
  });
}

export function queryItems(env: Environment, p: Principal, certId: string, q: ItemQuery): Record<string, unknown> {
  const c = getCampaign(env, certId);
  let items = filterItems(visibleItems(env, p, c, q.isAdmin || p.type !== 'user'), q);
  if (q.taskStatus) {
    const ts = q.taskStatus;
    const open = ts === 'active' ? ['in-progress'] : ts === 'complete' || ts === 'closed' ? ['signed-off'] : [ts];
    items = items.filter((it) => open.includes(it.decision.certification.status));
  }
  return itemPage(env, p, c, items, q, 'totalHits');
}

/** S3 L3274 `_searchAfter`: the previous page's `searchAfterKey` (sort value, id; comma-separated) continues after that item. */
function pageOf(items: LineItem[], q: Pick<ItemQuery, 'offset' | 'pageSize' | 'sortKeys' | 'searchAfter'>): { page: LineItem[]; searchAfterKey: string[] } {
  const key = q.sortKeys || 'user.userName';
  let start = q.offset;
  if (q.searchAfter) {
    const lastId = q.searchAfter.split(',').pop();
    const i = items.findIndex((it) => it.id === lastId);
    start = i >= 0 ? i + 1 : items.length;
  }
  const page = items.slice(start, start + q.pageSize);
  const last = page[page.length - 1];
  return { page, searchAfterKey: last ? [sortVal(last as never, key), last.id] : [] };
}

/** Sort, page and render line items; the list names its total `totalHits`, the search `totalCount` (S3 examples). */
function itemPage(env: Environment, p: Principal, c: Parameters<typeof itemView>[3], items: LineItem[], q: ItemQuery, totalKey: 'totalHits' | 'totalCount'): Record<string, unknown> {
  const sorted = sortItems(items, q.sortKeys, q.sortDir);
  const { page, searchAfterKey } = pageOf(sorted, q);
  return {
    result: page.map((it) => itemView(env, it, q.appendUserPermissions ? p : undefined, c)),
    resultCount: page.length,
    [totalKey]: sorted.length,
    searchAfterKey,
  };
}

function sortItems(items: LineItem[], sortKeys: string | undefined, dir: 'asc' | 'desc'): LineItem[] {
  const key = sortKeys || 'user.userName';
  const m = dir === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => cmpStr(sortVal(a as never, key), sortVal(b as never, key)) * m || cmpStr(a.id, b.id));
}

export function searchItems(env: Environment, p: Principal, certId: string, filter: unknown, q: ItemQuery): Record<string, unknown> {
  const c = getCampaign(env, certId);
  let items = filterBy(visibleItems(env, p, c, true), filter);
  if (q.taskStatus === 'active') items = items.filter((it) => it.decision.certification.status === 'in-progress');
  return itemPage(env, p, c, items, q, 'totalCount');
}

// ---------------------------------------------------------------- actions

export { BULK_ACTIONS, SINGLE_ACTIONS, type ItemAction } from './model.js';

export interface ActionBody {
  ids?: string[];
  comment?: string;
  newActorId?: string;
  permissions?: Record<string, boolean>;
}

/** Why one item cannot take the action (or null when it can). */
function refusal(env: Environment, p: Principal, c: Campaign, it: LineItem, action: ItemAction, body: ActionBody): { status: 400 | 403; reason: string } | null {
  const d = it.decision.certification;
  if (c.status !== 'in-progress') return { status: 400, reason: `certification is ${c.status}` };
  if (d.status !== 'in-progress') return { status: 400, reason: `item is ${d.status} and can no longer be changed` };
  const admin = isCampaignAdmin(env, p, c);
  const actor = d.actors.find((a) => a.id === userKey(p.id));
  const perm = action === 'reassign' ? 'reassign' : action;
  if (!admin && !(p.type === 'user' && actor && actor.permissions[perm])) return { status: 403, reason: 'caller is not a reviewer of this item with permission to ' + action };
  const roleBased = it.relationship.properties.grantTypes.some((g) => g.grantType === 'role');
  // S4 L16991–17017: access granted through a role cannot be certified, revoked or excepted on its own
  if (roleBased && (action === 'certify' || action === 'revoke' || action === 'exception')) return { status: 400, reason: 'role-based access cannot be certified or revoked directly' };
  const rj = (c.requireJustification ?? {}) as Record<string, unknown>;
  const hasComment = typeof body.comment === 'string' && body.comment.trim() !== '';
  // S4 L15880: "Require justification on revoke" / "... for any allowed exception"
  if (action === 'revoke' && rj.revoke === true && !hasComment) return { status: 400, reason: 'a comment is required to revoke' };
  if (action === 'exception' && rj.exceptionAllowed === true && !hasComment) return { status: 400, reason: 'a comment is required for an exception' };
  if (action === 'comment' && !hasComment) return { status: 400, reason: 'a comment is required' };
  if (action === 'forward' && c.enableForward === false) return { status: 400, reason: 'forwarding is not enabled for this certification' };
  if (action === 'reassign' && c.enableReassign === false) return { status: 400, reason: 'reassignment is not enabled for this certification' };
  // S4 L15700: without self-certification a user never reviews their own access, so it is never handed to them either
  if ((action === 'forward' || action === 'reassign') && c.allowSelfCertification !== true && typeof body.newActorId === 'string' && bareId(body.newActorId) === bareId(it.user.id)) {
    return { status: 400, reason: 'the item cannot be given to the user whose access it reviews (self-certification is not allowed)' };
  }
  return null;
}

function resolveNewActor(env: Environment, body: ActionBody): User {
  if (typeof body.newActorId !== 'string' || body.newActorId === '') throw new Invalid('newActorId is required.');
  const u = findUser(env, bareId(body.newActorId));
  if (!u) throw new Invalid(`Cannot find user ${body.newActorId}.`);
  return u;
}

function audit(env: Environment, ctx: RequestActor, it: LineItem, action: string, details: Record<string, unknown>): void {
  auditActivity(env, ctx, {
    objectId: `governance/certification/${it.campaignId}/items/${it.id}`,
    operation: 'ACTION',
    message: action,
    details: { action, campaignId: it.campaignId, lineItemId: it.id, actor: actorInfo(env, ctx.principal), ...details },
  });
}

/** Apply one (already permitted) action to an item. */
function apply(env: Environment, ctx: RequestActor, c: Campaign, it: LineItem, action: ItemAction, body: ActionBody, newActor?: User): void {
  const d = it.decision.certification;
  const now = env.clock.nowIso();
  const who = actorInfo(env, ctx.principal);
  const addComment = (text: string, act: string) => d.comments.push({ user: who, comment: text, action: act, timeStamp: now });
  const comment = typeof body.comment === 'string' && body.comment.trim() !== '' ? body.comment : undefined;
  switch (action) {
    case 'certify':
    case 'revoke':
    case 'exception': {
      const before = d.decision;
      // S4 L16980: the last reviewer's decision prevails
      d.decision = action as Decision;
      d.decisionDate = now;
      d.decisionBy = who;
      if (comment) addComment(comment, action);
      audit(env, ctx, it, action, { decision: action, before, comment: comment ?? null });
      break;
    }
    case 'comment':
      addComment(comment!, 'comment');
      audit(env, ctx, it, 'comment', { comment });
      break;
    case 'forward': {
      // S4 L17090: forwarding removes prior reviewers; the new one gets full permissions
      const ref = { id: userKey(newActor!._id), userName: newActor!.userName, givenName: newActor!.givenName, sn: newActor!.sn, mail: newActor!.mail };
      const x = idx(env);
      for (const a of d.actors) x.itemsByActor.get(a.id)?.delete(it);
      d.actors = [{ ...ref, permissions: { ...FULL_PERMISSIONS } }];
      d.primaryReviewer = ref;
      addActorIndex(x, ref.id, it);
      addComment(`Forwarded item to ${newActor!.userName}${comment ? `: ${comment}` : ''}`, 'forward'); // S4 L16595: auto-generated comment
      audit(env, ctx, it, 'forward', { newActorId: ref.id, comment: comment ?? null });
      break;
    }
    case 'reassign': {
      // S4 L17040: reassign adds a reviewer with chosen privileges, limited by the template's reassignPermissions
      const allowed = (c.reassignPermissions ?? FULL_PERMISSIONS) as Record<string, boolean>;
      const wanted = body.permissions ?? FULL_PERMISSIONS;
      const perms = Object.fromEntries(Object.keys(FULL_PERMISSIONS).map((k) => [k, wanted[k] === true && allowed[k] !== false])) as Permissions;
      const ref = { id: userKey(newActor!._id), userName: newActor!.userName, givenName: newActor!.givenName, sn: newActor!.sn, mail: newActor!.mail };
      const existing = d.actors.find((a) => a.id === ref.id);
      if (existing) existing.permissions = perms;
      else d.actors.push({ ...ref, permissions: perms });
      addActorIndex(idx(env), ref.id, it);
      addComment(`Reassigned item to ${newActor!.userName}${comment ? `: ${comment}` : ''}`, 'reassign');
      audit(env, ctx, it, 'reassign', { newActorId: ref.id, permissions: perms, comment: comment ?? null });
      break;
    }
    case 'signoff':
      break;
  }
}

export interface ActionResult {
  message: string;
  idsNotActedOn: string[];
}

/** POST …/items/{lineItemId}/{action}: refusals are errors (403 not a reviewer, 400 otherwise). */
export function actOnItem(env: Environment, ctx: RequestActor, certId: string, lineItemId: string, action: ItemAction, body: ActionBody): ActionResult {
  const c = getCampaign(env, certId);
  const it = idx(env).items.get(lineItemId);
  if (!it || it.campaignId !== certId) throw new NotFound(`Cannot find line item with id ${lineItemId}.`);
  const newActor = action === 'forward' || action === 'reassign' ? resolveNewActor(env, body) : undefined;
  const why = refusal(env, ctx.principal, c, it, action, body);
  if (why?.status === 403) throw new Forbidden(`User is not authorized to ${action} line item ${lineItemId}.`);
  if (why) throw new Invalid(`Cannot ${action} line item ${lineItemId}: ${why.reason}.`);
  apply(env, ctx, c, it, action, body, newActor);
  env.changed();
  return { message: 'Action complete.', idsNotActedOn: [] };
}

/** POST …/items/{action} with `ids` or `?selectAllActorId=`: acts where it may, lists the rest with reasons. */
export function actOnItems(env: Environment, ctx: RequestActor, certId: string, action: ItemAction, body: ActionBody, selectAllActorId?: string): ActionResult {
  const c = getCampaign(env, certId);
  const x = idx(env);
  let targets: Array<{ id: string; it?: LineItem }>;
  if (selectAllActorId) {
    const key = userKey(selectAllActorId);
    targets = itemsOf(env, certId).filter((it) => it.decision.certification.primaryReviewer.id === key).map((it) => ({ id: it.id, it }));
  } else {
    if (!Array.isArray(body.ids) || body.ids.some((i) => typeof i !== 'string')) throw new Invalid('ids must be an array of line item ids.');
    targets = [...new Set(body.ids)].map((id) => {
      const it = x.items.get(id);
      return { id, it: it && it.campaignId === certId ? it : undefined };
    });
  }
  // S4 L17120: bulk decisions only when the template allows them
  if ((action === 'certify' || action === 'revoke' || action === 'exception') && c.allowBulkCertify === false && targets.length > 1) {
    throw new Invalid('Bulk decisions are not allowed for this certification.');
  }
  const newActor = action === 'forward' ? resolveNewActor(env, body) : undefined;
  const skipped: Array<{ id: string; reason: string }> = [];
  if (action === 'signoff') return signOff(env, ctx, c, targets, skipped);
  for (const t of targets) {
    if (!t.it) {
      skipped.push({ id: t.id, reason: 'not a line item of this certification' });
      continue;
    }
    const why = refusal(env, ctx.principal, c, t.it, action, body);
    if (why) {
      skipped.push({ id: t.id, reason: why.reason });
      continue;
    }
    apply(env, ctx, c, t.it, action, body, newActor);
  }
  env.changed();
  return result(skipped);
}

function result(skipped: Array<{ id: string; reason: string }>): ActionResult {
  if (!skipped.length) return { message: 'Action complete.', idsNotActedOn: [] };
  return { message: `Action complete. Not acted on: ${skipped.map((s) => `${s.id} (${s.reason})`).join('; ')}.`, idsNotActedOn: skipped.map((s) => s.id) };
}

/**
 * Sign-off (S4 L17000, L16900): every targeted item needs a decision (unless the template allows partial sign-off,
 * then only decided items are signed); signed items become read-only; revoked ones are remediated asynchronously;
 * the campaign completes when every item is signed off.
 */
function signOff(env: Environment, ctx: RequestActor, c: Campaign, targets: Array<{ id: string; it?: LineItem }>, skipped: Array<{ id: string; reason: string }>): ActionResult {
  const ok: LineItem[] = [];
  const undecided: string[] = [];
  for (const t of targets) {
    if (!t.it) {
      skipped.push({ id: t.id, reason: 'not a line item of this certification' });
      continue;
    }
    const why = refusal(env, ctx.principal, c, t.it, 'signoff', {});
    if (why) {
      skipped.push({ id: t.id, reason: why.reason });
      continue;
    }
    const d = t.it.decision.certification;
    const roleBased = t.it.relationship.properties.grantTypes.some((g) => g.grantType === 'role');
    if (d.decision === null && !roleBased) {
      undecided.push(t.id);
      continue;
    }
    ok.push(t.it);
  }
  if (c.allowPartialSignoff !== true) {
    // S4 L16876: without partial sign-off the reviewer's whole task must be decided, not only the ids sent
    const me = userKey(ctx.principal.id);
    const admin = isCampaignAdmin(env, ctx.principal, c);
    const owners = new Set(ok.map((it) => it.decision.certification.primaryReviewer.id));
    const sent = new Set(targets.map((t) => t.id));
    for (const it of itemsOf(env, c.id)) {
      const d = it.decision.certification;
      if (sent.has(it.id) || d.status !== 'in-progress' || d.decision !== null || it.relationship.properties.grantTypes.some((g) => g.grantType === 'role')) continue;
      const inTask = admin ? owners.has(d.primaryReviewer.id) : d.actors.some((a) => a.id === me && a.permissions.signoff);
      if (inTask) undecided.push(it.id);
    }
  }
  if (undecided.length && c.allowPartialSignoff !== true) {
    throw new Invalid(`All line items must have a decision before sign-off. Undecided: ${undecided.join(', ')}.`);
  }
  for (const id of undecided) skipped.push({ id, reason: 'no decision yet' });
  const now = env.clock.now();
  const who = actorInfo(env, ctx.principal);
  for (const it of ok) {
    const d = it.decision.certification;
    d.status = 'signed-off';
    d.completionDate = iso(now);
    d.completedBy = who;
    audit(env, ctx, it, 'signoff', { decision: d.decision, decisionBy: d.decisionBy });
    // S4 L15937: "Process remediation" — revoked access is removed after sign-off, after the remediation delay
    if (d.decision === 'revoke' && typeof c.remediationRule === 'string' && c.remediationRule !== '') {
      d.remediationStatus = 'pending';
      const delay = Number(c.remediationDelay ?? 0) * DAY;
      env.jobs.schedule(JOB_REMEDIATE, now + delay + REMEDIATION_LAG_MS, { campaignId: c.id, itemId: it.id, signedOffBy: who as unknown as Record<string, unknown> });
    }
  }
  if (ok.length) completeIfDone(env, c, who);
  env.changed();
  return result(skipped);
}

function completeIfDone(env: Environment, c: Campaign, who: ActorInfo): void {
  const items = itemsOf(env, c.id);
  if (c.status !== 'in-progress' || !items.every((it) => it.decision.certification.status === 'signed-off')) return;
  c.status = 'complete';
  c.completionDate = env.clock.nowIso();
  c.completedBy = who as unknown as Record<string, unknown>;
  env.jobs.cancel((j) => j.kind === JOB_EXPIRE && j.payload.campaignId === c.id);
  processAudit(env, who, c.id, 'Certification complete', { status: 'complete' });
}

/** Job: remove the revoked access from the governance data (and a role's role-based grants with it). */
export function runRemediation(env: Environment, campaignId: string, itemId: string, signedOffBy: ActorInfo | undefined, jobId: string): void {
  const it = idx(env).items.get(itemId);
  if (!it || it.campaignId !== campaignId) return;
  const d = it.decision.certification;
  if (d.remediationStatus !== 'pending') return;
  const g: Grant | undefined = removeGrant(env, it.grantId);
  const removed = g ? [g.id] : [];
  if (g?.type === 'role') {
    for (const rg of [...grantsOf(env, g.userId)]) if (rg.grantType === 'role' && rg.roleId === g.assignmentId && removeGrant(env, rg.id)) removed.push(rg.id);
  }
  d.remediationStatus = 'complete';
  d.remediated = true;
  d.remediationDate = env.clock.nowIso();
  env.changed();
  const principal: Principal = {
    type: signedOffBy?.type === 'system' || !signedOffBy ? 'serviceAccount' : signedOffBy.type,
    id: signedOffBy?.id ?? 'iga',
    name: signedOffBy?.userName ?? signedOffBy?.name,
    scopes: [],
    authorities: [],
    tokenId: '',
    claims: {},
  };
  auditActivity(env, { txId: jobId, principal }, {
    objectId: `governance/user/${it.user.id}/grants/${it.grantId}`,
    operation: 'DELETE',
    message: 'certification remediation',
    details: { campaignId, lineItemId: itemId, removedGrantIds: removed, decisionBy: d.decisionBy, signedOffBy: d.completedBy },
  });
}
