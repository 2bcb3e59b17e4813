// The tenant's built-in request types and out-of-the-box workflows, taken verbatim from real tenant traffic
// (recording iga-request-types-and-forms: GET /iga/governance/requestTypes and GET /iga/governance/workflow),
// and the request-schema registry that turns stored schema references (`/requestSchema/iga/commonRequest`)
// into the expanded objects GET returns.
import builtinTypes from './data/builtinRequestTypes.json' with { type: 'json' };
import ootbWorkflows from './data/workflows.json' with { type: 'json' };
import type { JsonObject, RequestType, Workflow } from './model.js';
import { clone } from '../../../core/clone.js';


export const BUILTIN_REQUEST_TYPES: readonly RequestType[] = builtinTypes as unknown as RequestType[];
const builtinById = new Map(BUILTIN_REQUEST_TYPES.map((t) => [t.id, t]));
export const isBuiltinType = (id: string): boolean => builtinById.has(id);
export const builtinType = (id: string): RequestType | undefined => {
  const t = builtinById.get(id);
  return t ? clone(t) : undefined;
};

/** Which governance object each access request type grants or removes (S4 L17210–17240: the six basic types). */
// (a table without a prototype: a request type named `constructor` or `toString` is not one of them)
type AccessType = { kind: 'application' | 'entitlement' | 'role'; op: 'grant' | 'remove'; key: string };
export const ACCESS_TYPES: Record<string, AccessType> = Object.assign(Object.create(null) as Record<string, AccessType>, {
  applicationGrant: { kind: 'application', op: 'grant', key: 'applicationId' },
  applicationRemove: { kind: 'application', op: 'remove', key: 'applicationId' },
  entitlementGrant: { kind: 'entitlement', op: 'grant', key: 'entitlementId' },
  entitlementRemove: { kind: 'entitlement', op: 'remove', key: 'entitlementId' },
  roleGrant: { kind: 'role', op: 'grant', key: 'roleId' },
  roleRemove: { kind: 'role', op: 'remove', key: 'roleId' },
} satisfies Record<string, AccessType>);

// ---- request schemas: `/requestSchema/iga/<name>` ⇄ expanded `{_meta, properties}` objects ----------------

const SCHEMA_PREFIX = '/requestSchema/iga/';
const schemaRegistry = new Map<string, JsonObject>();

/** The name a schema object is referenced by: its `_meta.displayName`, else the owning request type's id
 *  (recording: createEntitlement's raw schemas are `["/requestSchema/iga/createEntitlement"]`). */
function schemaName(obj: JsonObject, typeId: string): string {
  const meta = obj._meta as JsonObject | undefined;
  return typeof meta?.displayName === 'string' ? meta.displayName : typeId;
}

for (const t of BUILTIN_REQUEST_TYPES) {
  for (const list of Object.values((t.schemas ?? {}) as Record<string, unknown[]>)) {
    for (const s of list ?? []) if (s && typeof s === 'object') {
      const name = schemaName(s as JsonObject, t.id);
      if (!schemaRegistry.has(name)) schemaRegistry.set(name, s as JsonObject);
    }
  }
}

/** Expanded form of a request type's schemas (references resolved; unknown references stay as given). */
export function expandSchemas(schemas: unknown): unknown {
  if (!schemas || typeof schemas !== 'object') return schemas;
  const out: JsonObject = {};
  for (const [k, list] of Object.entries(schemas as JsonObject)) {
    out[k] = Array.isArray(list)
      ? list.map((s) => (typeof s === 'string' && s.startsWith(SCHEMA_PREFIX) && schemaRegistry.has(s.slice(SCHEMA_PREFIX.length)) ? clone(schemaRegistry.get(s.slice(SCHEMA_PREFIX.length))) : s))
      : list;
  }
  return out;
}

/** Stored ("low level") form: registered schema objects become references again. */
export function compressSchemas(schemas: unknown, typeId: string): unknown {
  if (!schemas || typeof schemas !== 'object') return schemas;
  const out: JsonObject = {};
  for (const [k, list] of Object.entries(schemas as JsonObject)) {
    out[k] = Array.isArray(list)
      ? list.map((s) => {
          if (!s || typeof s !== 'object') return s;
          const name = schemaName(s as JsonObject, typeId);
          return schemaRegistry.has(name) && k !== 'custom' ? `${SCHEMA_PREFIX}${name}` : s;
        })
      : list;
  }
  return out;
}

/** The schemas a new request type gets when none are given (recording: POST {displayName,id,workflow:{}}). */
export const DEFAULT_SCHEMAS = (): JsonObject => ({ common: [`${SCHEMA_PREFIX}commonRequest`] });

// ---- out-of-the-box workflows ----------------------------------------------------------------------------

const MANAGER_STEP = 'approvalTask-manager';

/**
 * The emulator's out-of-the-box grant workflows put a manager approval before the owner's (S4 L17190: "require an
 * end user's manager and the application owner to approve the request"); the recorded tenant's published versions
 * only have the owner step. Everything else is as recorded.
 */
function withManagerApproval(wf: Workflow): Workflow {
  const steps = (wf.steps as JsonObject[]) ?? [];
  const owner = steps.find((s) => s.type === 'approvalTask');
  if (!owner) return wf;
  const ownerTask = owner.approvalTask as JsonObject;
  const manager: JsonObject = {
    name: MANAGER_STEP,
    displayName: 'Manager Approval',
    type: 'approvalTask',
    approvalTask: {
      nextStep: [
        { condition: null, outcome: 'APPROVE', step: owner.name },
        ...((ownerTask.nextStep as JsonObject[]) ?? []).filter((n) => n.outcome === 'REJECT'),
      ],
      approvalMode: 'any',
      actors: [{ id: { value: '"managed/user/" + requestIndex.user.manager.id', isExpression: true }, permissions: { approve: true, reject: true, reassign: true, modify: true, comment: true } }],
      events: clone(ownerTask.events),
    },
    approvalMode: 'any',
  };
  // the context gateway's Approval branch now leads to the manager step
  for (const s of steps) {
    for (const body of Object.values(s)) {
      if (body && typeof body === 'object' && Array.isArray((body as JsonObject).nextStep)) {
        for (const n of (body as { nextStep: JsonObject[] }).nextStep) if (n.step === owner.name && s !== manager && s.type !== 'approvalTask') n.step = MANAGER_STEP;
      }
    }
  }
  const ui = ((wf.staticNodes as JsonObject)?.uiConfig ?? {}) as JsonObject;
  ui[MANAGER_STEP] = { actors: [{ type: 'manager', id: { value: '"managed/user/" + requestIndex.user.manager.id', isExpression: true } }], events: clone((ui[owner.name as string] as JsonObject)?.events ?? {}), x: 560, y: 155 };
  return { ...wf, steps: [manager, ...steps] };
}

const GRANT_WORKFLOWS = new Set(['BasicApplicationGrant', 'BasicEntitlementGrant', 'BasicRoleGrant']);

let ootb: readonly Workflow[] | undefined;
/** The out-of-the-box workflows, made on first use (not at module load: issue #17, cold start). */
export const OOTB_WORKFLOWS = (): readonly Workflow[] => (ootb ??= (ootbWorkflows as unknown as Workflow[]).map((w) => (GRANT_WORKFLOWS.has(w.id) ? withManagerApproval(clone(w)) : w)));
export const ootbWorkflow = (id: string): Workflow | undefined => OOTB_WORKFLOWS().find((w) => w.id === id);
