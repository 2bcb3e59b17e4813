// Certification rules as plain functions over the environment's state and clock (no HTTP here).
// Sources: S3 L356–3713 (endpoints), S4 L15351–17160 (behaviour), recording iga-certification-templates.
import type { Environment } from '../../../environment.js';
import type { Principal } from '../../../core/auth.js';
import { ApiError, igaError } from '../../../core/errors.js';
import { auditActivity } from '../../../core/audit.js';
import { hasAnyScope } from '../../../core/scopes.js';
import { transactionId, uuid } from '../../../core/ids.js';
import type { GovernanceState, Grant, User } from '../../governance/model.js';
import { findUser, governance, indexes as govIndexes, removeGrant, grantsOf } from '../../governance/service.js';
import {
  ACTIVE_CAMPAIGN,
  FULL_PERMISSIONS,
  type Actor,
  type ActorInfo,
  type Campaign,
  type CertificationsState,
  type Decision,
  type ItemType,
  type LineItem,
  type Permissions,
  type Template,
} from './model.js';
import { IgaFilterError, checkIgaFilter, matchesIgaFilter } from './filter.js';

export const AREA = 'certifications';
const DAY = 86_400_000;
/** Emulator choice: campaign generation (ETL) takes this long after the start call (S4: campaigns are created asynchronously). */
export const GENERATION_MS = 5_000;
/** Emulator choice: remediation runs this long after sign-off (plus the template's remediationDelay in days). */
export const REMEDIATION_LAG_MS = 5_000;
export const JOB_GENERATE = 'iga.certification.generate';
export const JOB_EXPIRE = 'iga.certification.expire';
export const JOB_REMEDIATE = 'iga.certification.remediate';
export const JOB_SCHEDULED = 'iga.certification.scheduled';

export interface Ctx {
  txId: string;
  principal: Principal;
}

// ---------------------------------------------------------------- state and indexes

/** Activity entry for work the IGA service does itself (generation, expiry) or that closes on someone's behalf. */
function processAudit(env: Environment, actor: ActorInfo | string, campaignId: string, message: string, details: Record<string, unknown>): void {
  const a = typeof actor === 'string' ? { id: actor, type: 'system' as const } : actor;
  const principal: Principal = { type: a.type === 'user' ? 'user' : a.type === 'oauthClient' ? 'oauthClient' : 'serviceAccount', id: a.id, scopes: [], authorities: [], tokenId: '', claims: {} };
  auditActivity(env, { txId: transactionId(), principal }, { objectId: `governance/certification/${campaignId}`, operation: 'UPDATE', message, details });
}

export function certState(env: Environment): CertificationsState {
  return env.slice<CertificationsState>(AREA);
}

interface Indexes {
  templates: Map<string, Template>;
  templatesByName: Map<string, Template>;
  campaigns: Map<string, Campaign>;
  items: Map<string, LineItem>;
  itemsByCampaign: Map<string, LineItem[]>;
  /** `managed/user/<id>` → items that user is an actor on. */
  itemsByActor: Map<string, Set<LineItem>>;
}
const cache = new WeakMap<CertificationsState, Indexes>();

export function ix(state: CertificationsState): Indexes {
  let x = cache.get(state);
  if (!x) {
    x = {
      templates: new Map(state.templates.map((t) => [t.id, t])),
      templatesByName: new Map(state.templates.map((t) => [t.name, t])),
      campaigns: new Map(state.campaigns.map((c) => [c.id, c])),
      items: new Map(),
      itemsByCampaign: new Map(),
      itemsByActor: new Map(),
    };
    for (const it of state.items) indexItem(x, it);
    cache.set(state, x);
  }
  return x;
}

function indexItem(x: Indexes, it: LineItem): void {
  x.items.set(it.id, it);
  let l = x.itemsByCampaign.get(it.campaignId);
  if (!l) x.itemsByCampaign.set(it.campaignId, (l = []));
  l.push(it);
  for (const a of it.decision.certification.actors) addActorIndex(x, a.id, it);
}

function addActorIndex(x: Indexes, actorId: string, it: LineItem): void {
  let s = x.itemsByActor.get(actorId);
  if (!s) x.itemsByActor.set(actorId, (s = new Set()));
  s.add(it);
}

const idx = (env: Environment) => ix(certState(env));
export const userKey = (id: string) => `managed/user/${id.replace(/^managed\/(alpha_)?user\//, '')}`;
const bareId = (id: string) => id.replace(/^managed\/(alpha_)?user\//, '');
const iso = (ms: number) => new Date(ms).toISOString();

// ---------------------------------------------------------------- principals

function userInfo(u: User) {
  return { givenName: u.givenName, id: u._id, mail: u.mail, sn: u.sn, userName: u.userName };
}

/** The acting identity as recorded on decisions and comments (seed 000: always the identity behind the token). */
export function actorInfo(env: Environment, p: Principal): ActorInfo {
  if (p.type === 'user') {
    const u = findUser(env, p.id);
    if (u) return { id: u._id, type: 'user', userName: u.userName, givenName: u.givenName, sn: u.sn, mail: u.mail };
    return { id: p.id, type: 'user', userName: p.name ?? p.id };
  }
  return { id: p.id, type: p.type === 'oauthClient' ? 'oauthClient' : 'serviceAccount', name: p.name ?? p.id };
}

/** Governance administrators: service accounts/clients holding fr:iga:*, users with the governance-administrator role. */
export function isGovernanceAdmin(env: Environment, p: Principal): boolean {
  if (p.type !== 'user') return hasAnyScope(p.scopes, ['fr:iga:*']);
  return findUser(env, p.id)?.roles.includes('governance-administrator') ?? false;
}

/** S4 L15680: "Only campaign owners can fully control their campaigns". */
function isCampaignAdmin(env: Environment, p: Principal, c: Campaign): boolean {
  if (isGovernanceAdmin(env, p)) return true;
  return p.type === 'user' && typeof c.ownerId === 'string' && userKey(c.ownerId) === userKey(p.id);
}

// ---------------------------------------------------------------- templates

/** Fields the product computes; ignored on input (recording: POST with `id`/`schedule` returns a new id + scheduleId). */
const TEMPLATE_COMPUTED = ['id', 'schedule', 'scheduleId', 'metadata'];

const templateMissing = (id: string) => igaError(404, `Cannot find template with id ${id}.`);
const duplicateName = () => igaError(400, 'Template already exists with the same name.');

export function getTemplate(env: Environment, id: string): Template {
  const t = idx(env).templates.get(id);
  if (!t) throw templateMissing(id);
  return t;
}

const isEventBased = (t: Record<string, unknown>) => typeof t.templateEventType === 'string' && t.templateEventType !== '';
const newScheduleId = () => `templateSchedule${uuid().replace(/-/g, '')}`;

function validateTemplateBody(body: Record<string, unknown>): void {
  if (typeof body.name !== 'string' || body.name.trim() === '') throw igaError(400, 'Template name is required.');
  if (body.stages !== undefined && !Array.isArray(body.stages)) throw igaError(400, 'Template stages must be an array.');
  const tf = body.targetFilter as Record<string, unknown> | undefined;
  if (tf !== undefined && tf !== null) {
    if (typeof tf !== 'object' || Array.isArray(tf)) throw igaError(400, 'Invalid targetFilter.');
    try {
      for (const k of ['user', 'application', 'account', 'entitlement', 'role', 'decision']) checkIgaFilter(tf[k]);
    } catch (e) {
      if (e instanceof IgaFilterError) throw igaError(400, `Invalid targetFilter: ${e.message}`);
      throw e;
    }
  }
}

/** The stored schedule config (what GET by id shows under `schedule`, minus the trigger bookkeeping). */
function scheduleConfig(schedule: unknown, templateId: string): Record<string, unknown> | null {
  if (!schedule || typeof schedule !== 'object') return null;
  const { _id, triggers, previousRunDate, nextRunDate, id, ...cfg } = schedule as Record<string, unknown>;
  void _id; void triggers; void previousRunDate; void nextRunDate; void id;
  return { ...cfg, invokeContext: { script: { globals: { scanType: 'scheduledCertification', templateId }, type: 'text/javascript', source: '/* IGA scheduler script */' } } };
}

/** Create: POST /iga/governance/certification/template (recording: 200 with the saved body, a new id and scheduleId). */
export function createTemplate(env: Environment, ctx: Ctx, body: Record<string, unknown>): Record<string, unknown> {
  validateTemplateBody(body);
  const x = idx(env);
  if (x.templatesByName.has(body.name as string)) throw duplicateName();
  const id = uuid();
  const t = buildTemplate(env, body, id, null);
  certState(env).templates.push(t);
  x.templates.set(id, t);
  x.templatesByName.set(t.name, t);
  planSchedule(env, t);
  env.changed();
  auditActivity(env, ctx, { objectId: `governance/certification/template/${id}`, operation: 'CREATE', after: { name: t.name }, details: { templateId: id } });
  return writeView(t);
}

function buildTemplate(env: Environment, body: Record<string, unknown>, id: string, prev: Template | null): Template {
  // recording: the answer keeps the request's key order, `id` replaced in place (or appended), `scheduleId` appended
  const t: Record<string, unknown> = {};
  if (typeof body.status !== 'string') t.status = 'pending';
  for (const [k, v] of Object.entries(body)) {
    if (k === 'schedule' && v === null) t.schedule = null; // recording: a null schedule stays in place (searches show it)
    if (k === 'schedule' || k === 'scheduleId' || k === 'metadata' || k.startsWith('_')) continue;
    t[k] = k === 'id' ? id : v;
  }
  if (!('id' in t)) t.id = id;
  const now = env.clock.nowIso();
  // recording: event-based templates have no schedule (scheduleId null on PUT, absent in searches); a create
  // names the schedule after the template id, an update makes a new schedule
  t.scheduleId = isEventBased(body) ? null : prev ? newScheduleId() : `templateSchedule${id.replace(/-/g, '')}`;
  t.metadata = { modifiedDate: now, createdDate: prev?.metadata.createdDate ?? now };
  const schedule = body.schedule === undefined && prev ? (prev.schedule as Record<string, unknown> | null | undefined) : scheduleConfig(body.schedule, id);
  if (schedule) t.schedule = schedule;
  if (prev?._campaignCount) t._campaignCount = prev._campaignCount;
  return t as Template;
}

const HIDDEN = new Set(['metadata', 'schedule', 'scheduleId']);
const visible = (t: Template, nullSchedule = false) =>
  Object.entries(t).filter(([k, v]) => (nullSchedule && k === 'schedule' && v === null) || (!HIDDEN.has(k) && !k.startsWith('_')));

/** Create/PUT response: the template without metadata/schedule, `scheduleId` last (recording). */
export function writeView(t: Template): Record<string, unknown> {
  return { ...Object.fromEntries(visible(t)), scheduleId: t.scheduleId ?? null };
}

/** Search/list entries: with metadata, without the schedule object; scheduleId only when there is one. */
export function listView(t: Template, nullSchedule = false): Record<string, unknown> {
  return { ...Object.fromEntries(visible(t, nullSchedule)), ...(t.scheduleId ? { scheduleId: t.scheduleId } : {}), metadata: t.metadata };
}

/** GET by id: list view plus the IDM schedule object (recording: `schedule` with `_id`, triggers, nextRunDate). */
export function readView(t: Template): Record<string, unknown> {
  const v = listView(t);
  const cfg = t.schedule as Record<string, unknown> | undefined;
  if (cfg && typeof cfg === 'object' && t.scheduleId) {
    const start = typeof cfg.startTime === 'string' ? Date.parse(cfg.startTime) : NaN;
    v.schedule = {
      _id: t.scheduleId,
      ...cfg,
      triggers: [],
      previousRunDate: null,
      nextRunDate: Number.isFinite(start) ? iso(start) : null,
    };
  }
  return v;
}

/**
 * The template's IDM schedule (recording: `schedule.startTime`, `repeatInterval`, `endTime`, invokeContext posting
 * `{templateId}` to iga/governance/certification): the next run in the future becomes a job on the clock.
 */
function planSchedule(env: Environment, t: Template): void {
  env.jobs.cancel((j) => j.kind === JOB_SCHEDULED && j.payload.templateId === t.id);
  const next = nextRun(t, env.clock.now());
  if (next !== undefined) env.jobs.schedule(JOB_SCHEDULED, next, { templateId: t.id, scheduleId: t.scheduleId ?? null });
}

function nextRun(t: Template, after: number): number | undefined {
  const cfg = t.schedule as Record<string, unknown> | null | undefined;
  if (!cfg || cfg.enabled === false || !t.scheduleId) return undefined;
  const start = typeof cfg.startTime === 'string' ? Date.parse(cfg.startTime) : NaN;
  if (!Number.isFinite(start)) return undefined;
  const end = typeof cfg.endTime === 'string' ? Date.parse(cfg.endTime) : Infinity;
  const every = Number(cfg.repeatInterval ?? 0);
  let at = start;
  if (at <= after) {
    if (!(every > 0)) return undefined;
    at = start + Math.ceil((after - start + 1) / every) * every;
  }
  return at <= end ? at : undefined;
}

/** Job: the schedule fired — start a campaign (as the scheduler script would) and plan the next run. */
export function runScheduled(env: Environment, templateId: string, scheduleId: unknown): void {
  const t = idx(env).templates.get(templateId);
  if (!t || t.scheduleId !== scheduleId) return;
  startCampaign(env, null, templateId);
  planSchedule(env, t);
}

export function updateTemplate(env: Environment, ctx: Ctx, id: string, body: Record<string, unknown>): Record<string, unknown> {
  const x = idx(env);
  const prev = x.templates.get(id);
  if (!prev) throw templateMissing(id); // recording: PUT unknown id → 404 (clients then POST)
  validateTemplateBody(body);
  const other = x.templatesByName.get(body.name as string);
  if (other && other.id !== id) throw duplicateName();
  const t = buildTemplate(env, body, id, prev);
  const list = certState(env).templates;
  list[list.indexOf(prev)] = t;
  x.templates.set(id, t);
  x.templatesByName.delete(prev.name);
  x.templatesByName.set(t.name, t);
  planSchedule(env, t);
  env.changed();
  auditActivity(env, ctx, { objectId: `governance/certification/template/${id}`, operation: 'UPDATE', before: { name: prev.name, status: prev.status }, after: { name: t.name, status: t.status } });
  return writeView(t);
}

export function deleteTemplate(env: Environment, ctx: Ctx, id: string): Record<string, unknown> {
  const x = idx(env);
  const t = x.templates.get(id);
  if (!t) throw templateMissing(id);
  const list = certState(env).templates;
  list.splice(list.indexOf(t), 1);
  env.jobs.cancel((j) => j.kind === JOB_SCHEDULED && j.payload.templateId === id);
  x.templates.delete(id);
  x.templatesByName.delete(t.name);
  env.changed();
  auditActivity(env, ctx, { objectId: `governance/certification/template/${id}`, operation: 'DELETE', before: { name: t.name } });
  // recording: the IGA API answers with the search index it deleted from
  const index = `${env.emulator.fixture.aic.tenant}_repo_governance_certtemplate_latest`;
  return { indexName: index, indices: { latest: index } };
}

/** S3 L1372–1411: duplicate → `{"message":"Cert Template duplicated successfully"}`; the copy is pending. */
export function duplicateTemplate(env: Environment, ctx: Ctx, id: string): Record<string, unknown> {
  const t = getTemplate(env, id);
  const x = idx(env);
  let name = `Copy of ${t.name}`;
  for (let n = 2; x.templatesByName.has(name); n++) name = `Copy of ${t.name} (${n})`;
  const body: Record<string, unknown> = { ...t, name, status: 'pending' };
  delete body.id;
  createTemplate(env, ctx, body);
  return { message: 'Cert Template duplicated successfully' };
}

export interface TemplateQuery {
  queryString?: string;
  pageSize: number;
  pageNumber: number;
  sortBy: string;
  sortDesc: boolean;
  certificationType?: string;
  searchAfter?: string;
}

const sortVal = (o: Record<string, unknown>, key: string): string => {
  const v = key.split('.').reduce<unknown>((a, k) => (a && typeof a === 'object' ? (a as Record<string, unknown>)[k] : undefined), o);
  return v === undefined || v === null ? '' : String(v);
};

/** GET /template: non-event templates, name ascending, `{result,resultCount,totalHits,searchAfterKey}` (recording). */
export function listTemplates(env: Environment, q: TemplateQuery): Record<string, unknown> {
  const qs = q.queryString?.toLowerCase() ?? '';
  let list = certState(env).templates.filter((t) => !isEventBased(t));
  if (qs) list = list.filter((t) => t.name.toLowerCase().includes(qs) || String(t.description ?? '').toLowerCase().includes(qs));
  if (q.certificationType) list = list.filter((t) => t.certificationType === q.certificationType);
  list = [...list].sort((a, b) => cmpStr(sortVal(a, q.sortBy), sortVal(b, q.sortBy)) * (q.sortDesc ? -1 : 1) || cmpStr(a.id, b.id));
  let start = q.pageNumber * q.pageSize;
  if (q.searchAfter) {
    const [v, id] = q.searchAfter.split(',');
    const i = list.findIndex((t) => sortVal(t, q.sortBy) === v && (id === undefined || t.id === id));
    start = i >= 0 ? i + 1 : 0;
  }
  const page = list.slice(start, start + q.pageSize);
  const last = page[page.length - 1];
  return {
    result: page.map((t) => listView(t)),
    resultCount: page.length,
    totalHits: list.length,
    searchAfterKey: last ? [sortVal(last, q.sortBy), last.id] : null,
  };
}

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** POST /template/search: every template incl. event-based, name descending (recording order). */
export function searchTemplates(env: Environment, filter: unknown, pageSize: number, pageNumber: number): Record<string, unknown> {
  let list: Template[];
  try {
    list = certState(env).templates.filter((t) => matchesIgaFilter(filter, t));
  } catch (e) {
    if (e instanceof IgaFilterError) throw igaError(400, `Invalid targetFilter: ${e.message}`);
    throw e;
  }
  list = [...list].sort((a, b) => cmpStr(b.name, a.name));
  const page = list.slice(pageNumber * pageSize, pageNumber * pageSize + pageSize);
  // recording: an empty answer carries `searchAfterKey: null`, a non-empty one has no searchAfterKey
  if (page.length === 0) return { result: [], searchAfterKey: null, totalCount: list.length, resultCount: 0 };
  // recording: search hits show a stored `schedule: null`; GET /template hides it
  return { result: page.map((t) => listView(t, true)), totalCount: list.length, resultCount: page.length };
}

// ---------------------------------------------------------------- campaigns

const campaignMissing = (id: string) => igaError(404, `Cannot find certification with id ${id}.`);

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
export function startCampaign(env: Environment, ctx: Ctx | null, templateId: string, overrides: Record<string, unknown> = {}): Campaign {
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
  certState(env).campaigns.push(c);
  idx(env).campaigns.set(c.id, c);
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
  const match = (f: unknown, o: unknown) => {
    try {
      return matchesIgaFilter(f, o);
    } catch {
      return false;
    }
  };
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
    indexItem(x, it);
  }
  c.status = c.stagingEnabled === true ? 'staging' : 'in-progress';
  if (c.status === 'in-progress') env.jobs.schedule(JOB_EXPIRE, Date.parse(c.deadline!), { campaignId });
  env.changed();
  processAudit(env, 'iga', c.id, `Certification generated with ${items.length} line items`, { status: c.status, items: items.length });
}

/** POST /iga/governance/certification/{certId}/activate: a staged campaign goes live (S4 L16600). */
export function activateCampaign(env: Environment, ctx: Ctx, id: string): Campaign {
  const c = getCampaign(env, id);
  if (c.status !== 'staging') throw igaError(400, `Certification ${id} is not staged.`);
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
    if (!decision || roleBased) continue;
    d.decision = decision;
    d.decisionDate = iso(now);
    d.decisionBy = EXPIRATION_ACTOR;
    d.completionDate = iso(now);
    d.completedBy = EXPIRATION_ACTOR;
    if (decision === 'revoke' && typeof c.remediationRule === 'string' && c.remediationRule !== '') {
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

export function updateDeadline(env: Environment, ctx: Ctx, id: string, newDeadline: unknown): Campaign {
  const c = getCampaign(env, id);
  const ms = typeof newDeadline === 'string' ? Date.parse(newDeadline) : NaN;
  if (!Number.isFinite(ms)) throw igaError(400, 'A valid newDeadline is required.');
  if (!ACTIVE_CAMPAIGN.has(c.status)) throw igaError(400, `Certification ${id} is not active.`);
  if (ms <= env.clock.now()) throw igaError(400, 'The new deadline must be in the future.');
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
export function cancelCampaign(env: Environment, ctx: Ctx, id: string): Campaign {
  const c = getCampaign(env, id);
  if (!ACTIVE_CAMPAIGN.has(c.status)) throw igaError(400, `Certification ${id} is not active.`);
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
    const [v, id] = q.searchAfter.split(',');
    const i = list.findIndex((c) => key(c) === v && (id === undefined || c.id === id));
    start = i >= 0 ? i + 1 : 0;
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
    if (q.itemType && it.item.type.toLowerCase() !== q.itemType.replace(/\s+/g, '').toLowerCase()) return false;
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
  items = sortItems(items, q.sortKeys, q.sortDir);
  const page = items.slice(q.offset, q.offset + q.pageSize);
  const last = page[page.length - 1];
  return {
    result: page.map((it) => itemView(env, it, q.appendUserPermissions ? p : undefined, c)),
    resultCount: page.length,
    totalHits: items.length,
    searchAfterKey: last ? [last.user.userName, last.id] : [],
  };
}

function sortItems(items: LineItem[], sortKeys: string | undefined, dir: 'asc' | 'desc'): LineItem[] {
  const key = sortKeys || 'user.userName';
  const m = dir === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => cmpStr(sortVal(a as never, key), sortVal(b as never, key)) * m || cmpStr(a.id, b.id));
}

export function searchItems(env: Environment, p: Principal, certId: string, filter: unknown, q: ItemQuery): Record<string, unknown> {
  const c = getCampaign(env, certId);
  let items: LineItem[];
  try {
    items = visibleItems(env, p, c, true).filter((it) => matchesIgaFilter(filter, it));
  } catch (e) {
    if (e instanceof IgaFilterError) throw igaError(400, `Invalid targetFilter: ${e.message}`);
    throw e;
  }
  if (q.taskStatus === 'active') items = items.filter((it) => it.decision.certification.status === 'in-progress');
  items = sortItems(items, q.sortKeys, q.sortDir);
  const page = items.slice(q.offset, q.offset + q.pageSize);
  const last = page[page.length - 1];
  return {
    result: page.map((it) => itemView(env, it, q.appendUserPermissions ? p : undefined, c)),
    resultCount: page.length,
    totalCount: items.length,
    searchAfterKey: last ? [last.user.userName, last.id] : [],
  };
}

// ---------------------------------------------------------------- actions

export type ItemAction = 'certify' | 'revoke' | 'exception' | 'comment' | 'forward' | 'reassign' | 'signoff';
export const BULK_ACTIONS: ItemAction[] = ['certify', 'revoke', 'exception', 'comment', 'forward', 'signoff'];
export const SINGLE_ACTIONS: ItemAction[] = ['certify', 'revoke', 'exception', 'comment', 'reassign', 'forward'];

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
  return null;
}

function resolveNewActor(env: Environment, body: ActionBody): User {
  if (typeof body.newActorId !== 'string' || body.newActorId === '') throw igaError(400, 'newActorId is required.');
  const u = findUser(env, bareId(body.newActorId));
  if (!u) throw igaError(400, `Cannot find user ${body.newActorId}.`);
  return u;
}

function audit(env: Environment, ctx: Ctx, it: LineItem, action: string, details: Record<string, unknown>): void {
  auditActivity(env, ctx, {
    objectId: `governance/certification/${it.campaignId}/items/${it.id}`,
    operation: 'ACTION',
    message: action,
    details: { action, campaignId: it.campaignId, lineItemId: it.id, actor: actorInfo(env, ctx.principal), ...details },
  });
}

/** Apply one (already permitted) action to an item. */
function apply(env: Environment, ctx: Ctx, c: Campaign, it: LineItem, action: ItemAction, body: ActionBody, newActor?: User): void {
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
export function actOnItem(env: Environment, ctx: Ctx, certId: string, lineItemId: string, action: ItemAction, body: ActionBody): ActionResult {
  const c = getCampaign(env, certId);
  const it = idx(env).items.get(lineItemId);
  if (!it || it.campaignId !== certId) throw igaError(404, `Cannot find line item with id ${lineItemId}.`);
  const newActor = action === 'forward' || action === 'reassign' ? resolveNewActor(env, body) : undefined;
  const why = refusal(env, ctx.principal, c, it, action, body);
  if (why) throw igaError(why.status, why.status === 403 ? `User is not authorized to ${action} line item ${lineItemId}.` : `Cannot ${action} line item ${lineItemId}: ${why.reason}.`);
  apply(env, ctx, c, it, action, body, newActor);
  env.changed();
  return { message: 'Action complete.', idsNotActedOn: [] };
}

/** POST …/items/{action} with `ids` or `?selectAllActorId=`: acts where it may, lists the rest with reasons. */
export function actOnItems(env: Environment, ctx: Ctx, certId: string, action: ItemAction, body: ActionBody, selectAllActorId?: string): ActionResult {
  const c = getCampaign(env, certId);
  const x = idx(env);
  let targets: Array<{ id: string; it?: LineItem }>;
  if (selectAllActorId) {
    const key = userKey(selectAllActorId);
    targets = itemsOf(env, certId).filter((it) => it.decision.certification.primaryReviewer.id === key).map((it) => ({ id: it.id, it }));
  } else {
    if (!Array.isArray(body.ids) || body.ids.some((i) => typeof i !== 'string')) throw igaError(400, 'ids must be an array of line item ids.');
    targets = [...new Set(body.ids)].map((id) => {
      const it = x.items.get(id);
      return { id, it: it && it.campaignId === certId ? it : undefined };
    });
  }
  // S4 L17120: bulk decisions only when the template allows them
  if ((action === 'certify' || action === 'revoke' || action === 'exception') && c.allowBulkCertify === false && targets.length > 1) {
    throw igaError(400, 'Bulk decisions are not allowed for this certification.');
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
function signOff(env: Environment, ctx: Ctx, c: Campaign, targets: Array<{ id: string; it?: LineItem }>, skipped: Array<{ id: string; reason: string }>): ActionResult {
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
  if (undecided.length && c.allowPartialSignoff !== true) {
    throw igaError(400, `All line items must have a decision before sign-off. Undecided: ${undecided.join(', ')}.`);
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

export function assertFound<T>(v: T | undefined, err: ApiError): T {
  if (v === undefined) throw err;
  return v;
}
