// Access request validation against the request type's schema and the governance data (S3 L3714–4300).
import type { Environment } from '../../../environment.js';
import { findUser, governance, grantsOf, indexes } from '../../governance/service.js';
import { ACCESS_TYPES } from './builtins.js';
import { expandedSchemasOf, formFor, getRequestType } from './config.js';
import type { AccessRequest, JsonObject } from './model.js';
import { bareId, requestIndex, stateOf, type Target } from './store.js';

// ---- validation --------------------------------------------------------------------------------------------

export interface ValidationResult {
  errors: string[];
  comments: string[];
  /** Machine codes for the bulk endpoint's `errors[].error` (S3 L3790: DUPLICATE). */
  codes: string[];
  target: Target;
}

function sectionValue(body: JsonObject, section: string, prop: string): unknown {
  const inRequest = (body.request as JsonObject | undefined)?.[section] as JsonObject | undefined;
  const top = body[section] as JsonObject | undefined;
  return inRequest?.[prop] ?? top?.[prop];
}

function missing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

function formFields(form: JsonObject | undefined): JsonObject[] {
  const out: JsonObject[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as JsonObject;
      if (typeof n.model === 'string' && n.type !== 'section') out.push(n);
      if (n.fields) walk(n.fields);
    }
  };
  walk((form?.form as JsonObject | undefined)?.fields);
  return out;
}

/** The active (in-progress) request for the same user and item, for the type's uniqueKeys. */
export function duplicateOf(env: Environment, typeId: string, userId: string, itemId: string, key: string): AccessRequest | undefined {
  for (const r of requestIndex(stateOf(env)).byParticipant.get(userId) ?? []) {
    if (r.requestType === typeId && r.decision.status === 'in-progress' && r.user?.id === userId && (r.request.common as JsonObject)[key] === itemId) return r;
  }
  return undefined;
}

/** Check a request payload against its type: target objects, current access, duplicates, required fields. */
export function validateRequest(env: Environment, typeId: string, body: JsonObject): ValidationResult {
  const type = getRequestType(env, typeId);
  const res: ValidationResult = { errors: [], comments: [], codes: [], target: {} };
  const fail = (code: string, msg: string) => {
    res.errors.push(msg);
    res.codes.push(code);
  };
  const access = ACCESS_TYPES[typeId];
  const common = ((body.request as JsonObject | undefined)?.common ?? body.common ?? {}) as JsonObject;
  if (access) {
    const userId = typeof common.userId === 'string' ? bareId(common.userId) : undefined;
    const user = userId ? findUser(env, userId) : undefined;
    if (!userId) fail('MISSING_REQUIRED_FIELD', 'common.userId is required');
    else if (!user) fail('USER_NOT_FOUND', `User ${userId} not found`);
    res.target.user = user;
    const itemId = common[access.key];
    const ix = indexes(governance(env));
    if (typeof itemId !== 'string' || !itemId) fail('MISSING_REQUIRED_FIELD', `common.${access.key} is required`);
    else {
      if (access.kind === 'application') res.target.application = ix.applications.get(itemId);
      if (access.kind === 'entitlement') {
        res.target.entitlement = ix.entitlements.get(itemId);
        if (res.target.entitlement) res.target.application = ix.applications.get(res.target.entitlement.applicationId);
      }
      if (access.kind === 'role') res.target.role = ix.roles.get(itemId);
      const found = res.target.application && access.kind === 'application' ? true : access.kind === 'entitlement' ? !!res.target.entitlement : access.kind === 'role' ? !!res.target.role : false;
      if (!found) fail('ITEM_NOT_FOUND', `${access.kind[0]!.toUpperCase()}${access.kind.slice(1)} ${itemId} not found`);
      else if (user) {
        const grantType = access.kind === 'application' ? 'account' : access.kind;
        const holds = grantsOf(env, user._id).some((g) => g.type === grantType && g.assignmentId === itemId);
        // BasicApplicationGrant validation: "User ... already has effective application ..." (recording workflow script)
        if (access.op === 'grant' && holds) fail('ALREADY_ASSIGNED', `User ${user._id} already has ${access.kind} ${itemId}`);
        if (access.op === 'remove' && !holds) fail('NOT_ASSIGNED', `User ${user._id} does not have ${access.kind} ${itemId}`);
        const dup = duplicateOf(env, typeId, user._id, itemId, access.key);
        if (dup) fail('DUPLICATE', 'Duplicate request already exists.');
      }
    }
  }
  // required, non-internal properties of the type's schemas (e.g. custom stringOne isRequired)
  const schemas = expandedSchemasOf(type);
  for (const [section, list] of Object.entries(schemas)) {
    for (const s of list ?? []) {
      const props = (((s as JsonObject)?._meta as JsonObject | undefined)?.properties ?? {}) as Record<string, JsonObject>;
      for (const [prop, meta] of Object.entries(props)) {
        if (meta?.isRequired === true && meta.isInternal !== true && missing(sectionValue(body, section, prop))) fail('MISSING_REQUIRED_FIELD', `${section}.${prop} is required`);
      }
    }
  }
  // required fields of the form assigned to the request type
  for (const f of formFields(formFor(env, `requestType/${typeId}`))) {
    const v = f.validation as JsonObject | undefined;
    if (v?.required !== true || f.defaultValue !== undefined) continue;
    const model = String(f.model);
    const value = model.includes('.') ? sectionValue(body, model.split('.')[0]!, model.split('.').slice(1).join('.')) : sectionValue(body, 'custom', model) ?? sectionValue(body, 'common', model);
    if (missing(value)) fail('MISSING_REQUIRED_FIELD', `Form field ${model} (${String(f.label ?? model)}) is required`);
  }
  return res;
}
