// Campaign templates (contract createCampaignTemplate … startGenerateCampaignTemplate): CRUD, JSON Patch, a schedule
// that generates campaigns on the emulator clock, and generation with the template's name/description placeholders
// (java.util.Formatter date/time suffixes, e.g. "%tY"-style "%Y") and deadlineDuration (ISO-8601 duration).
import type { Environment } from '../../environment.js';
import type { RequestActor } from '../../core/types.js';
import type { Principal } from '../../core/auth.js';
import { hexId } from '../../core/ids.js';
import { applyJsonPatch, parsePatch } from '../shared/jsonPatch.js';
import { badRequest, notFound } from '../shared/errors.js';
import { compileFilter, compileSorters, page, type Paging } from '../shared/filters.js';
import { actorOf, ctxFromJob, jobPrincipal } from '../certifications/service.js';
import { findIdentity } from '../identities/service.js';
import { campaignBodySchema, scheduleSchema, type CampaignBody, type CampaignTemplate, type Schedule } from './model.js';
import { campaignEvent, campaignFromBody, campaignsState, requireCampaignAdmin, validateCampaignBody } from './service.js';
import { startCampaign } from './lifecycle.js';
import { nextOccurrence, scheduleProblem } from './schedule.js';

export const JOB_TEMPLATE_RUN = 'isc-campaign-template-run';

function templateFor(env: Environment, id: string): CampaignTemplate {
  const t = campaignsState(env).templates.find((x) => x.id === id);
  if (!t) throw notFound();
  return t;
}

const dropNulls = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== null && v !== undefined || k === 'description'));

/** contract CampaignTemplate (the embedded campaign carries what generation copies; readOnly campaign fields are absent). */
export function renderTemplate(t: CampaignTemplate) {
  const c = t.campaign;
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    created: t.created,
    modified: t.modified,
    scheduled: !!t.schedule,
    ...(t.ownerRef ? { ownerRef: dropNulls({ ...t.ownerRef }) } : {}),
    ...(t.deadlineDuration ? { deadlineDuration: t.deadlineDuration } : {}),
    campaign: dropNulls({
      name: c.name,
      description: c.description ?? null,
      ...(c.deadline ? { deadline: c.deadline } : {}),
      type: c.type,
      emailNotificationEnabled: c.emailNotificationEnabled ?? false,
      autoRevokeAllowed: c.autoRevokeAllowed ?? false,
      recommendationsEnabled: c.recommendationsEnabled ?? false,
      correlatedStatus: c.correlatedStatus ?? 'CORRELATED',
      sunsetCommentsRequired: c.sunsetCommentsRequired ?? true,
      mandatoryCommentRequirement: c.mandatoryCommentRequirement ?? 'NO_DECISIONS',
      filter: c.filter,
      sourceOwnerCampaignInfo: c.sourceOwnerCampaignInfo,
      searchCampaignInfo: c.searchCampaignInfo,
      roleCompositionCampaignInfo: c.roleCompositionCampaignInfo,
      machineAccountCampaignInfo: c.machineAccountCampaignInfo,
    }),
  };
}

/** ISO-8601 duration (P2W, P14D, P1M, PT36H) → ms; months are 30 days, years 365. Undefined when invalid. */
export function durationMs(d: string): number | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(d);
  if (!m || d === 'P' || d.endsWith('T')) return undefined;
  const [y, mo, w, day, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number, number];
  return ((((y * 365 + mo * 30 + w * 7 + day) * 24 + h) * 60 + mi) * 60 + s) * 1000;
}

function parseCampaign(env: Environment, raw: unknown): CampaignBody {
  const r = campaignBodySchema().safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw badRequest(`campaign.${issue.path.join('.')}: ${issue.message}`.replace(/\.: /, ': '));
  }
  validateCampaignBody(env, r.data);
  return r.data;
}

interface TemplateInput {
  name?: unknown;
  description?: unknown;
  deadlineDuration?: unknown;
  campaign?: unknown;
}

function validated(env: Environment, input: TemplateInput): { name: string; description: string; deadlineDuration: string | null; campaign: CampaignBody } {
  if (typeof input.name !== 'string' || !input.name.trim()) throw badRequest("'name' is required.");
  if (typeof input.description !== 'string') throw badRequest("'description' is required.");
  if (input.campaign === undefined || input.campaign === null) throw badRequest("'campaign' is required.");
  const dd = input.deadlineDuration ?? null;
  // a duration a deadline can be (at most a century: the deadline stays a four-digit-year timestamp)
  if (dd !== null && (typeof dd !== 'string' || !((durationMs(dd) ?? Infinity) <= 100 * 365 * 86_400_000))) throw badRequest(`'deadlineDuration' must be an ISO-8601 duration such as P2W: ${String(dd)}`);
  return { name: input.name, description: input.description, deadlineDuration: dd as string | null, campaign: parseCampaign(env, input.campaign) };
}

export function createTemplate(env: Environment, ctx: RequestActor, body: unknown) {
  requireCampaignAdmin(ctx.principal);
  const v = validated(env, (body ?? {}) as TemplateInput);
  const owner = findIdentity(env, ctx.principal.id);
  const t: CampaignTemplate = {
    id: hexId(),
    name: v.name,
    description: v.description,
    created: env.clock.nowIso(),
    modified: null,
    ownerRef: { id: ctx.principal.id, type: 'IDENTITY', name: owner?.displayName ?? owner?.name ?? ctx.principal.name ?? ctx.principal.id, email: owner?.email ?? null },
    deadlineDuration: v.deadlineDuration,
    campaign: v.campaign,
    schedule: null,
    nextRunAt: null,
  };
  campaignsState(env).templates.push(t);
  campaignEvent(env, ctx, { operation: 'CREATE', name: 'Create Certification Campaign Template Passed', target: t.name, attributes: { templateId: t.id, templateName: t.name, campaignType: t.campaign.type } }, true);
  env.changed();
  return renderTemplate(t);
}

const TEMPLATE_OPS = ['eq', 'ge', 'gt', 'in', 'le', 'lt', 'ne', 'sw'];
const TEMPLATE_FILTERS = { name: TEMPLATE_OPS, id: TEMPLATE_OPS };

export function listTemplates(env: Environment, p: Principal, q: { filters?: string; sorters?: string }, paging: Paging) {
  requireCampaignAdmin(p);
  const get = (t: CampaignTemplate, f: string) => (t as Record<string, unknown>)[f];
  const filter = compileFilter<CampaignTemplate>(q.filters, TEMPLATE_FILTERS as never, get);
  const sort = compileSorters<CampaignTemplate>(q.sorters, ['name', 'created', 'modified'], get);
  const rows = campaignsState(env).templates.filter(filter);
  if (sort) rows.sort(sort);
  const res = page(rows, paging);
  return { rows: res.rows.map(renderTemplate), total: res.total };
}

export function getTemplate(env: Environment, p: Principal, id: string) {
  requireCampaignAdmin(p);
  return renderTemplate(templateFor(env, id));
}

const PATCHABLE = ['name', 'description', 'deadlineDuration', 'campaign'];

export function patchTemplate(env: Environment, ctx: RequestActor, id: string, ops: unknown) {
  requireCampaignAdmin(ctx.principal);
  const t = templateFor(env, id);
  const parsed = parsePatch(ops);
  for (const op of parsed)
    for (const path of [op.path, op.from].filter((x): x is string => x !== undefined))
      if (!PATCHABLE.includes(path.split('/')[1] ?? '')) throw badRequest(`Path ${path} is not patchable; patchable fields: ${PATCHABLE.join(', ')}.`);
  const next: TemplateInput = applyJsonPatch({ name: t.name, description: t.description, deadlineDuration: t.deadlineDuration ?? null, campaign: t.campaign }, parsed);
  const v = validated(env, next);
  Object.assign(t, v, { modified: env.clock.nowIso() });
  campaignEvent(env, ctx, { operation: 'UPDATE', name: 'Update Certification Campaign Template Passed', target: t.name, attributes: { templateId: t.id, templateName: t.name } }, true);
  env.changed();
  return renderTemplate(t);
}

export function deleteTemplate(env: Environment, ctx: RequestActor, id: string): void {
  requireCampaignAdmin(ctx.principal);
  const t = templateFor(env, id);
  const st = campaignsState(env);
  st.templates = st.templates.filter((x) => x !== t);
  env.jobs.cancel((j) => j.kind === JOB_TEMPLATE_RUN && j.payload.templateId === id);
  campaignEvent(env, ctx, { operation: 'DELETE', name: 'Delete Certification Campaign Template Passed', target: t.name, attributes: { templateId: t.id, templateName: t.name } }, true);
  env.changed();
}

// ---- schedule ----
export function getSchedule(env: Environment, p: Principal, id: string): Schedule {
  requireCampaignAdmin(p);
  const t = templateFor(env, id);
  // contract: "The API returns a 404 if there is no schedule set."
  if (!t.schedule) throw notFound();
  return t.schedule;
}

export function setSchedule(env: Environment, ctx: RequestActor, id: string, body: unknown): void {
  requireCampaignAdmin(ctx.principal);
  const t = templateFor(env, id);
  const r = scheduleSchema().safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw badRequest(`${issue.path.join('.') || 'schedule'}: ${issue.message}`);
  }
  const problem = scheduleProblem(r.data);
  if (problem) throw badRequest(problem);
  const next = nextOccurrence(r.data, env.clock.now());
  if (next === undefined) throw badRequest('The schedule never occurs after now (check its days, hours, months and expiration).');
  t.schedule = r.data;
  t.nextRunAt = new Date(next).toISOString();
  t.modified = env.clock.nowIso();
  env.jobs.cancel((j) => j.kind === JOB_TEMPLATE_RUN && j.payload.templateId === id);
  env.jobs.schedule(JOB_TEMPLATE_RUN, next, { templateId: id, txId: ctx.txId, principal: jobPrincipal(ctx.principal) });
  campaignEvent(env, ctx, { operation: 'SCHEDULE', name: 'Schedule Certification Campaign Template Passed', target: t.name, attributes: { templateId: t.id, nextRunAt: t.nextRunAt, schedule: r.data } }, true);
  env.changed();
}

export function deleteSchedule(env: Environment, ctx: RequestActor, id: string): void {
  requireCampaignAdmin(ctx.principal);
  const t = templateFor(env, id);
  if (!t.schedule) throw notFound();
  t.schedule = null;
  t.nextRunAt = null;
  env.jobs.cancel((j) => j.kind === JOB_TEMPLATE_RUN && j.payload.templateId === id);
  env.changed();
}

/** Job: a scheduled run generates a campaign (owned by the template owner) and schedules the next occurrence. */
export function runScheduledTemplate(env: Environment, payload: Record<string, unknown>): void {
  const t = campaignsState(env).templates.find((x) => x.id === payload.templateId);
  if (!t?.schedule) return;
  const ctx = ctxFromJob(payload, t.id);
  generateFromTemplate(env, ctx, t);
  const next = nextOccurrence(t.schedule, env.clock.now());
  t.nextRunAt = next === undefined ? null : new Date(next).toISOString();
  if (next !== undefined) env.jobs.schedule(JOB_TEMPLATE_RUN, next, payload);
  env.changed();
}

// ---- generate ----
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** java.util.Formatter date/time conversion suffixes after a percent sign (contract startGenerateCampaignTemplate), in UTC. */
export function formatPlaceholders(text: string, at: number): string {
  const d = new Date(at);
  const h = d.getUTCHours();
  const f: Record<string, () => string> = {
    Y: () => String(d.getUTCFullYear()),
    y: () => pad(d.getUTCFullYear() % 100),
    C: () => pad(Math.floor(d.getUTCFullYear() / 100)),
    m: () => pad(d.getUTCMonth() + 1),
    d: () => pad(d.getUTCDate()),
    e: () => String(d.getUTCDate()),
    B: () => MONTHS[d.getUTCMonth()]!,
    b: () => MONTHS[d.getUTCMonth()]!.slice(0, 3),
    h: () => MONTHS[d.getUTCMonth()]!.slice(0, 3),
    A: () => DAYS[d.getUTCDay()]!,
    a: () => DAYS[d.getUTCDay()]!.slice(0, 3),
    j: () => pad(Math.floor((at - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, 3),
    H: () => pad(h),
    k: () => String(h),
    I: () => pad(h % 12 || 12),
    l: () => String(h % 12 || 12),
    M: () => pad(d.getUTCMinutes()),
    S: () => pad(d.getUTCSeconds()),
    L: () => pad(d.getUTCMilliseconds(), 3),
    p: () => (h < 12 ? 'am' : 'pm'),
    Z: () => 'UTC',
    z: () => '+0000',
    s: () => String(Math.floor(at / 1000)),
    Q: () => String(at),
    R: () => `${pad(h)}:${pad(d.getUTCMinutes())}`,
    T: () => `${pad(h)}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
    D: () => `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCFullYear() % 100)}`,
    F: () => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    '%': () => '%',
  };
  return text.replace(/%(.)/g, (whole, c: string) => (f[c] ? f[c]!() : whole));
}

function generateFromTemplate(env: Environment, ctx: RequestActor, t: CampaignTemplate) {
  const now = env.clock.now();
  const body: CampaignBody = {
    ...t.campaign,
    name: formatPlaceholders(t.campaign.name, now),
    description: t.campaign.description === null ? null : formatPlaceholders(t.campaign.description, now),
    deadline: t.deadlineDuration ? new Date(now + durationMs(t.deadlineDuration)!).toISOString() : t.campaign.deadline,
  };
  const campaign = campaignFromBody(env, actorOf(env, ctx.principal), body);
  campaign.templateId = t.id;
  startCampaign(env, ctx, campaign);
  return campaign;
}

/** POST /campaign-templates/{id}/generate → contract CampaignReference of the new (PENDING) campaign. */
export function generateCampaign(env: Environment, ctx: RequestActor, id: string) {
  requireCampaignAdmin(ctx.principal);
  const c = generateFromTemplate(env, ctx, templateFor(env, id));
  return { id: c.id, name: c.name, type: 'CAMPAIGN' as const, campaignType: c.campaignType, description: c.description, correlatedStatus: c.correlatedStatus, mandatoryCommentRequirement: c.mandatoryCommentRequirement };
}
