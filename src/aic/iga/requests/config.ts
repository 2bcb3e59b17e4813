// Request types, request forms, form assignments and workflows (S3 L6516–7180; recording
// iga-request-types-and-forms). Built-in request types and out-of-the-box workflows come from builtins.ts; the
// state holds custom ones and built-ins as modified, so a snapshot stays small.
import { Conflict, Invalid, NotFound } from '../../../core/errors.js';
import type { Environment } from '../../../environment.js';
import { uuid } from '../../../core/ids.js';
import { BUILTIN_REQUEST_TYPES, DEFAULT_SCHEMAS, builtinType, compressSchemas, expandSchemas, isBuiltinType, OOTB_WORKFLOWS } from './builtins.js';
import type { AssignmentBody, FormAssignment, JsonObject, PatchOp, RequestForm, RequestsState, RequestType, Workflow } from './model.js';
import { clone } from '../../../core/clone.js';
import { isUnsafeKey } from '../../../core/jsonPatch.js';

export const requestsState = (env: Environment): RequestsState => env.slice<RequestsState>('requests');
const now = (env: Environment) => env.clock.nowIso();

// ---- request types -----------------------------------------------------------------------------------------

// recording: 404 {"message":"Request Type Id doesn't exist"} for GET/PUT/DELETE of an unknown id
export const requestTypeNotFound = () => new NotFound("Request Type Id doesn't exist");

function storedType(env: Environment, id: string): { doc: RequestType; overridden: boolean } | undefined {
  const s = requestsState(env).requestTypes.find((t) => t.id === id);
  if (s) return { doc: s, overridden: true };
  const b = builtinType(id);
  return b ? { doc: b, overridden: false } : undefined;
}

/** All request types: built-ins (as modified, if they were) then custom ones, in creation order. */
export function allRequestTypes(env: Environment): RequestType[] {
  const st = requestsState(env).requestTypes;
  const byId = new Map(st.map((t) => [t.id, t]));
  const out: RequestType[] = BUILTIN_REQUEST_TYPES.map((b) => byId.get(b.id) ?? b);
  for (const t of st) if (!isBuiltinType(t.id)) out.push(t);
  return out;
}

/** What GET returns: schema references expanded (recording: POST with no schemas answers the expanded commonRequest). */
export function requestTypeView(t: RequestType): JsonObject {
  return { ...clone(t), ...(t.schemas !== undefined ? { schemas: expandSchemas(t.schemas) } : {}) };
}

const expandedCache = new WeakMap<object, Record<string, unknown[]>>();
/** The type's expanded schemas for reading (cached per stored schemas object; do not mutate). */
export function expandedSchemasOf(t: RequestType): Record<string, unknown[]> {
  const key = (t.schemas ?? t) as object;
  let v = expandedCache.get(key);
  if (!v) expandedCache.set(key, (v = (expandSchemas(t.schemas ?? {}) ?? {}) as Record<string, unknown[]>));
  return v;
}

/** The stored ("low level", `_useLowLevelApi=true`) form: references kept, no metadata (recording PATCH answers). */
export function requestTypeRaw(t: RequestType): JsonObject {
  const { metadata: _m, ...rest } = clone(t);
  return rest;
}

export function getRequestType(env: Environment, id: string): RequestType {
  const t = storedType(env, id);
  if (!t) throw requestTypeNotFound();
  return t.doc;
}

function putType(env: Environment, doc: RequestType): void {
  const st = requestsState(env).requestTypes;
  const i = st.findIndex((t) => t.id === doc.id);
  if (i >= 0) st[i] = doc;
  else st.push(doc);
  env.changed();
}

/** The parts of a request type the service reads, checked as it reads them (S4 L19960–19997: `schemas` sections of schema lists, `notModifiableProperties` a list). */
function checkTypeBody(body: JsonObject): void {
  const locked = body.notModifiableProperties;
  if (locked !== undefined && locked !== null && !(Array.isArray(locked) && locked.every((k) => typeof k === 'string'))) throw new Invalid('notModifiableProperties must be an array of property names');
  const schemas = body.schemas;
  if (schemas !== undefined && schemas !== null && (typeof schemas !== 'object' || Array.isArray(schemas))) throw new Invalid('schemas must be an object');
  for (const [section, list] of Object.entries((schemas ?? {}) as JsonObject)) {
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string' || (x !== null && typeof x === 'object' && !Array.isArray(x)))) throw new Invalid(`schemas.${section} must be an array of schemas`);
  }
  if (body.id !== undefined && (typeof body.id !== 'string' || isUnsafeKey(body.id))) throw new Invalid(`Invalid request type id: ${String(body.id)}`);
}

/** POST /requestTypes: create, or replace when the id exists (recording: re-import of an existing id answers 200). */
export function createRequestType(env: Environment, body: JsonObject): { doc: RequestType; raw: boolean } {
  checkTypeBody(body);
  const id = typeof body.id === 'string' && body.id ? body.id : uuid();
  const prior = storedType(env, id);
  const builtin = isBuiltinType(id);
  const ts = now(env);
  const doc: RequestType = {
    ...clone(body),
    id,
    _rev: 1,
    schemas: compressSchemas(body.schemas ?? DEFAULT_SCHEMAS(), id),
    ...(builtin ? {} : { custom: body.custom ?? true }),
  };
  if (!builtin) doc.metadata = { modifiedDate: ts, createdDate: ((prior?.doc.metadata as JsonObject | undefined)?.createdDate as string) ?? ts };
  else if (prior?.doc.metadata) doc.metadata = { ...(prior.doc.metadata as JsonObject), modifiedDate: ts };
  putType(env, doc);
  // recording: a built-in posted back (import) is answered in its stored form
  return { doc, raw: builtin };
}

export function replaceRequestType(env: Environment, id: string, body: JsonObject): RequestType {
  const prior = storedType(env, id);
  if (!prior) throw requestTypeNotFound();
  checkTypeBody({ ...body, id });
  const ts = now(env);
  const doc: RequestType = {
    ...clone(body),
    id,
    schemas: compressSchemas(body.schemas ?? prior.doc.schemas ?? DEFAULT_SCHEMAS(), id),
    _rev: Number(prior.doc._rev ?? 0) + 1,
    metadata: { createdDate: ((prior.doc.metadata as JsonObject | undefined)?.createdDate as string) ?? ts, modifiedDate: ts },
  };
  putType(env, doc);
  return doc;
}

function pointer(field: string): string[] {
  return field.split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Apply `[{operation: add|replace|remove, field, value}]` (S3 L5160, L7103; checked by model.ts patchBody) to a JSON document. */
export function applyPatch(target: JsonObject, ops: PatchOp[]): JsonObject {
  const doc = clone(target);
  for (const op of ops) {
    const path = pointer(op.field);
    let parent: Record<string, unknown> = doc;
    for (const p of path.slice(0, -1)) {
      if (!parent[p] || typeof parent[p] !== 'object') {
        if (op.operation === 'remove') {
          parent = {};
          break;
        }
        parent[p] = {};
      }
      parent = parent[p] as Record<string, unknown>;
    }
    const key = path[path.length - 1]!;
    switch (op.operation) {
      case 'add':
        if (Array.isArray(parent[key]) && !Array.isArray(op.value)) (parent[key] as unknown[]).push(op.value);
        else if (key === '-' && Array.isArray(parent)) (parent as unknown as unknown[]).push(op.value);
        else parent[key] = op.value;
        break;
      case 'replace':
        parent[key] = op.value;
        break;
      case 'remove':
        delete parent[key];
        break;
    }
  }
  return doc;
}

export function patchRequestType(env: Environment, id: string, ops: PatchOp[]): RequestType {
  const prior = storedType(env, id);
  if (!prior) throw requestTypeNotFound();
  const patched = applyPatch(prior.doc, ops) as RequestType;
  checkTypeBody({ ...patched, id });
  patched.id = id;
  patched._rev = Number(prior.doc._rev ?? 1) + 1;
  if (patched.metadata) (patched.metadata as JsonObject).modifiedDate = now(env);
  putType(env, patched);
  return patched;
}

export function deleteRequestType(env: Environment, id: string): RequestType {
  if (isBuiltinType(id)) {
    // issue: the built-in types cannot be deleted (the product only deletes custom request types)
    throw new Invalid(`Request type ${id} is not a custom request type and cannot be deleted`);
  }
  const st = requestsState(env).requestTypes;
  const i = st.findIndex((t) => t.id === id);
  if (i < 0) throw requestTypeNotFound();
  const [doc] = st.splice(i, 1);
  env.changed();
  return doc!;
}

// ---- request forms -----------------------------------------------------------------------------------------

// recording: DELETE of an unknown form answers 404 {"message":"Request Form <id> doesn't exist"}
export const formNotFound = (id: string) => new NotFound(`Request Form ${id} doesn't exist`);

export const findForm = (env: Environment, id: string): RequestForm | undefined => requestsState(env).requestForms.find((f) => f.id === id);

function validateForm(body: JsonObject): void {
  if (typeof body.name !== 'string' || !body.name.trim()) throw new Invalid('Request form name is required');
  if (body.type !== undefined && typeof body.type !== 'string') throw new Invalid('Request form type must be a string');
}

export function createForm(env: Environment, body: JsonObject): RequestForm {
  validateForm(body);
  const id = typeof body.id === 'string' && body.id ? body.id : uuid();
  if (findForm(env, id)) throw new Conflict(`Request Form ${id} already exists`);
  const ts = now(env);
  const { _rev: _r, metadata: _m, ...rest } = clone(body);
  const form: RequestForm = { ...rest, id, metadata: { modifiedDate: ts, createdDate: ts } };
  requestsState(env).requestForms.push(form);
  env.changed();
  return form;
}

/** PUT: create when absent (no `_rev`, recording import), else replace and bump `_rev` (first update → 1). */
export function putForm(env: Environment, id: string, body: JsonObject): RequestForm {
  validateForm(body);
  const forms = requestsState(env).requestForms;
  const i = forms.findIndex((f) => f.id === id);
  const ts = now(env);
  const { _rev: _r, metadata: _m, ...rest } = clone(body);
  if (i < 0) {
    const form: RequestForm = { ...rest, id, metadata: { modifiedDate: ts, createdDate: ts } };
    forms.push(form);
    env.changed();
    return form;
  }
  const prior = forms[i]!;
  const form: RequestForm = { ...rest, id, _rev: prior._rev === undefined ? 1 : Number(prior._rev) + 1, metadata: { modifiedDate: ts, createdDate: ((prior.metadata as JsonObject)?.createdDate as string) ?? ts } };
  forms[i] = form;
  env.changed();
  return form;
}

export function patchForm(env: Environment, id: string, ops: PatchOp[]): RequestForm {
  const forms = requestsState(env).requestForms;
  const i = forms.findIndex((f) => f.id === id);
  if (i < 0) throw formNotFound(id);
  const prior = forms[i]!;
  const form = applyPatch(prior, ops) as RequestForm;
  form.id = id;
  form._rev = prior._rev === undefined ? 1 : Number(prior._rev) + 1;
  form.metadata = { ...((prior.metadata as JsonObject) ?? {}), modifiedDate: now(env) };
  forms[i] = form;
  env.changed();
  return form;
}

export function deleteForm(env: Environment, id: string): RequestForm {
  const forms = requestsState(env).requestForms;
  const i = forms.findIndex((f) => f.id === id);
  if (i < 0) throw formNotFound(id);
  const [form] = forms.splice(i, 1);
  env.changed();
  return form!;
}

// ---- form assignments --------------------------------------------------------------------------------------

export function assignForm(env: Environment, { formId, objectId }: AssignmentBody): { formId: string; objectId: string } {
  // both are strings (model.ts assignmentBody); an assignment needs them non-empty
  if (!formId || !objectId) throw new Invalid('formId and objectId are required');
  if (!findForm(env, formId)) throw formNotFound(formId);
  const list = requestsState(env).requestFormAssignments;
  const ts = now(env);
  // one form per object (request type, application object type, workflow node, lcm operation)
  const i = list.findIndex((a) => a.objectId === objectId);
  const a: FormAssignment = { formId, objectId, metadata: { modifiedDate: ts, createdDate: i >= 0 && list[i]!.formId === formId ? list[i]!.metadata?.createdDate ?? ts : ts } };
  if (i >= 0) list[i] = a;
  else list.push(a);
  env.changed();
  // recording: assign answers the pair without metadata
  return { formId, objectId };
}

export function unassignForm(env: Environment, { formId, objectId }: AssignmentBody): FormAssignment {
  const list = requestsState(env).requestFormAssignments;
  const i = list.findIndex((a) => a.formId === formId && a.objectId === objectId);
  if (i < 0) throw new NotFound(`Request Form assignment of ${formId} to ${objectId} doesn't exist`);
  const [a] = list.splice(i, 1);
  env.changed();
  return a!;
}

/** The form assigned to an object id (e.g. `requestType/<id>`), if any. */
export function formFor(env: Environment, objectId: string): RequestForm | undefined {
  const a = requestsState(env).requestFormAssignments.find((x) => x.objectId === objectId);
  return a ? findForm(env, a.formId) : undefined;
}

// ---- workflows ---------------------------------------------------------------------------------------------

// recording: {"message":"Workflow with id: <id> was not found"}
export const workflowNotFound = (id: string) => new NotFound(`Workflow with id: ${id} was not found`);

/** Every workflow version: custom/modified ones in state, then the out-of-the-box published ones not overridden. */
export function allWorkflows(env: Environment): Workflow[] {
  const st = requestsState(env).workflows;
  const key = (w: Workflow) => `${w.id}|${w.status}`;
  const keys = new Set(st.map(key));
  return [...st, ...OOTB_WORKFLOWS().filter((w) => !keys.has(key(w)))].sort((a, b) => String(a.status).localeCompare(String(b.status)) || String(a.id).localeCompare(String(b.id)));
}

export function getWorkflow(env: Environment, id: string, status: 'draft' | 'published'): Workflow {
  const w = requestsState(env).workflows.find((x) => x.id === id && x.status === status) ?? (status === 'published' ? OOTB_WORKFLOWS().find((x) => x.id === id) : undefined);
  if (!w) throw workflowNotFound(id);
  return w;
}

/** The version a new request runs: the published one (S4 L17250: only published workflows run). */
export function runnableWorkflow(env: Environment, id: string | undefined): Workflow | undefined {
  if (!id) return undefined;
  try {
    return getWorkflow(env, id, 'published');
  } catch {
    return undefined;
  }
}

export function putWorkflowDraft(env: Environment, id: string, body: JsonObject): Workflow {
  const list = requestsState(env).workflows;
  const i = list.findIndex((w) => w.id === id && w.status === 'draft');
  const prior = i >= 0 ? list[i]! : undefined;
  const wf: Workflow = { name: id, displayName: id, description: '', type: 'provisioning', childType: false, steps: [], staticNodes: {}, mutable: true, ...clone(body), id, status: 'draft', _rev: Number(prior?._rev ?? 0) + 1 };
  if (i >= 0) list[i] = wf;
  else list.push(wf);
  env.changed();
  return wf;
}

export function publishWorkflow(env: Environment, id: string): Workflow {
  const list = requestsState(env).workflows;
  const draft = list.find((w) => w.id === id && w.status === 'draft');
  if (!draft) throw workflowNotFound(id);
  const pub: Workflow = { ...clone(draft), status: 'published', mutable: false };
  const i = list.findIndex((w) => w.id === id && w.status === 'published');
  if (i >= 0) list[i] = pub;
  else list.push(pub);
  list.splice(list.indexOf(draft), 1);
  env.changed();
  return pub;
}

export function deleteWorkflow(env: Environment, id: string, status: 'draft' | 'published'): Workflow {
  const list = requestsState(env).workflows;
  const i = list.findIndex((w) => w.id === id && w.status === status);
  if (i < 0) {
    if (OOTB_WORKFLOWS().some((w) => w.id === id) && status === 'published') throw new Invalid(`Workflow ${id} is an out-of-the-box workflow and cannot be deleted`);
    throw workflowNotFound(id);
  }
  const [w] = list.splice(i, 1);
  env.changed();
  return w!;
}
