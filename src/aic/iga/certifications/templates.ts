// Certification templates: CRUD, duplicate, list/search, schedules (S3 L356–2030; recording iga-certification-templates).
import type { RequestActor } from '../../../core/types.js';
import type { Environment } from '../../../environment.js';
import { Invalid, NotFound } from '../../../core/errors.js';
import { auditActivity } from '../../../core/audit.js';
import { uuid } from '../../../core/ids.js';
import type { Template } from './model.js';
import { filterBy, validateTargetFilter } from '../targetFilter.js';
import { JOB_SCHEDULED, certState, idx, iso, sortVal, cmpStr } from './state.js';

// ---------------------------------------------------------------- templates

const templateMissing = (id: string) => new NotFound(`Cannot find template with id ${id}.`);
const duplicateName = () => new Invalid('Template already exists with the same name.');

export function getTemplate(env: Environment, id: string): Template {
  const t = idx(env).templates.get(id);
  if (!t) throw templateMissing(id);
  return t;
}

const isEventBased = (t: Record<string, unknown>) => typeof t.templateEventType === 'string' && t.templateEventType !== '';
const newScheduleId = () => `templateSchedule${uuid().replace(/-/g, '')}`;

function validateTemplateBody(body: Record<string, unknown>): void {
  if (typeof body.name !== 'string' || body.name.trim() === '') throw new Invalid('Template name is required.');
  if (body.stages !== undefined && !Array.isArray(body.stages)) throw new Invalid('Template stages must be an array.');
  // stageDuration: days a campaign of the template runs (seed 1095); whole days up to a century keep deadlines writable
  const days = body.stageDuration;
  if (days !== undefined && days !== null && !(typeof days === 'number' && Number.isInteger(days) && days >= 1 && days <= 36_500)) throw new Invalid('Template stageDuration must be a whole number of days from 1 to 36500.');
  const tf = body.targetFilter as Record<string, unknown> | undefined;
  if (tf !== undefined && tf !== null) {
    if (typeof tf !== 'object' || Array.isArray(tf)) throw new Invalid('Invalid targetFilter.');
    for (const k of ['user', 'application', 'account', 'entitlement', 'role', 'decision']) validateTargetFilter(tf[k]);
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
export function createTemplate(env: Environment, ctx: RequestActor, body: Record<string, unknown>): Record<string, unknown> {
  validateTemplateBody(body);
  const x = idx(env);
  if (x.templatesByName.has(body.name as string)) throw duplicateName();
  const id = uuid();
  const t = buildTemplate(env, body, id, null);
  const templates = certState(env).templates;
  templates.push(t);
  // the element as the list hands it out (with a data dir, the change-tracking view: docs/persistence.md)
  x.templates.set(id, templates.at(-1)!);
  x.templatesByName.set(t.name, templates.at(-1)!);
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
export function planSchedule(env: Environment, t: Template): void {
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


export function updateTemplate(env: Environment, ctx: RequestActor, id: string, body: Record<string, unknown>): Record<string, unknown> {
  const x = idx(env);
  const prev = x.templates.get(id);
  if (!prev) throw templateMissing(id); // recording: PUT unknown id → 404 (clients then POST)
  validateTemplateBody(body);
  const other = x.templatesByName.get(body.name as string);
  if (other && other.id !== id) throw duplicateName();
  const t = buildTemplate(env, body, id, prev);
  const list = certState(env).templates;
  const i = list.indexOf(prev);
  list[i] = t;
  x.templates.set(id, list[i]!);
  x.templatesByName.delete(prev.name);
  x.templatesByName.set(t.name, list[i]!);
  planSchedule(env, t);
  env.changed();
  auditActivity(env, ctx, { objectId: `governance/certification/template/${id}`, operation: 'UPDATE', before: { name: prev.name, status: prev.status }, after: { name: t.name, status: t.status } });
  return writeView(t);
}

export function deleteTemplate(env: Environment, ctx: RequestActor, id: string): Record<string, unknown> {
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
export function duplicateTemplate(env: Environment, ctx: RequestActor, id: string): Record<string, unknown> {
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


/** GET /template: non-event templates, name ascending, `{result,resultCount,totalHits,searchAfterKey}` (recording). */
export function listTemplates(env: Environment, q: TemplateQuery): Record<string, unknown> {
  const qs = q.queryString?.toLowerCase() ?? '';
  let list = certState(env).templates.filter((t) => !isEventBased(t));
  if (qs) list = list.filter((t) => t.name.toLowerCase().includes(qs) || String(t.description ?? '').toLowerCase().includes(qs));
  if (q.certificationType) list = list.filter((t) => t.certificationType === q.certificationType);
  list = [...list].sort((a, b) => cmpStr(sortVal(a, q.sortBy), sortVal(b, q.sortBy)) * (q.sortDesc ? -1 : 1) || cmpStr(a.id, b.id));
  let start = q.pageNumber * q.pageSize;
  if (q.searchAfter) {
    // [sortValue, id]: a template name may hold commas, so the id is the last part
    const parts = q.searchAfter.split(',');
    const id = parts.length > 1 ? parts.pop() : undefined;
    const v = parts.join(',');
    const i = list.findIndex((t) => (id !== undefined ? t.id === id : sortVal(t, q.sortBy) === v));
    start = i >= 0 ? i + 1 : list.length;
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


/** POST /template/search: every template incl. event-based, name descending (recording order). */
export function searchTemplates(env: Environment, filter: unknown, pageSize: number, pageNumber: number): Record<string, unknown> {
  const list = filterBy(certState(env).templates, filter).sort((a, b) => cmpStr(b.name, a.name));
  const page = list.slice(pageNumber * pageSize, pageNumber * pageSize + pageSize);
  // recording: an empty answer carries `searchAfterKey: null`, a non-empty one has no searchAfterKey
  if (page.length === 0) return { result: [], searchAfterKey: null, totalCount: list.length, resultCount: 0 };
  // recording: search hits show a stored `schedule: null`; GET /template hides it
  return { result: page.map((t) => listView(t, true)), totalCount: list.length, resultCount: page.length };
}
