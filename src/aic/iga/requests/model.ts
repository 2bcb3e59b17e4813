// IGA access requests (SPEC §6): request types, request forms and their assignments, workflows, and the
// requests themselves with their decision block. Stored documents keep the product's wire shape (S3 L3801–5480,
// recording iga-request-types-and-forms) so reads return them as they are; emulator-only bookkeeping of a request
// lives under `_emulator` and is stripped from responses.
import { z } from 'zod';
import { lazy } from '../../../core/lazy.js';
import { isUnsafeKey } from '../../../core/jsonPatch.js';

/** A JSON object with an id, kept as given (request types, forms and workflows are free-form documents). */
const doc = () => z.looseObject({ id: z.string() });

export const requestTypeSchema = lazy(() => doc());
export const requestFormSchema = lazy(() => doc());
export const formAssignmentSchema = lazy(() =>
  z.object({
    formId: z.string(),
    objectId: z.string(),
    metadata: z.object({ createdDate: z.string(), modifiedDate: z.string() }).optional(),
  }),
);
export const workflowSchema = lazy(() => doc());
export const accessRequestSchema = lazy(() => doc());

export type JsonObject = Record<string, unknown>;

// ---- request bodies, declared on the routes (routes.ts renders a failure as IGA's `{"message"}` with these words)

/** Request, request type, form and workflow documents: any JSON object. */
export const objectBody = lazy(() => z.record(z.string(), z.unknown(), { error: 'The request body must be a JSON object' }));

/** One patch operation (S3 L5160, L7103): `{operation: add|replace|remove, field: "/a/b", value}`. */
const BAD_OP = 'Invalid patch operation';
const PATCH_OPERATIONS = ['add', 'replace', 'remove'];
const patchOp = lazy(() =>
  z
    .looseObject({ field: z.string({ error: BAD_OP }), operation: z.string({ error: BAD_OP }), value: z.unknown().optional() }, { error: BAD_OP })
    // checked once the operation is well-formed, as the service did: the field names a path, the operation is known
    .superRefine((op, ctx) => {
      // a field naming a prototype key (`/__proto__/x`) is no field of a document (core/jsonPatch.ts isUnsafeKey)
      if (!op.field.split('/').some(Boolean) || op.field.split('/').some((p) => isUnsafeKey(p.replace(/~1/g, '/').replace(/~0/g, '~')))) ctx.addIssue({ code: 'custom', message: `Invalid patch field: ${op.field}` });
      else if (!PATCH_OPERATIONS.includes(op.operation)) ctx.addIssue({ code: 'custom', message: `Unsupported patch operation: ${op.operation}` });
    }),
);
export const patchBody = lazy(() => z.array(patchOp(), { error: 'The request body must be an array of patch operations' }));
export type PatchOp = z.infer<ReturnType<typeof patchOp>>;

/** POST /requestFormAssignments?_action=assign|unassign (S3 L6782–6870). */
const PAIR = 'formId and objectId are required';
export const assignmentBody = lazy(() =>
  z.looseObject({ formId: z.string({ error: PAIR }), objectId: z.string({ error: PAIR }) }, { error: PAIR }),
);
export type AssignmentBody = z.infer<ReturnType<typeof assignmentBody>>;
export type RequestType = JsonObject & { id: string };
export type RequestForm = JsonObject & { id: string };
export type FormAssignment = z.infer<ReturnType<typeof formAssignmentSchema>>;
export type Workflow = JsonObject & { id: string };

/** A person as the product embeds it in a request (S3 L3820: requester, user, owners). */
export interface PersonRef {
  id: string;
  userName?: string;
  mail?: string;
  givenName?: string;
  sn?: string;
  name?: string;
}

export interface Permissions {
  approve: boolean;
  reject: boolean;
  reassign: boolean;
  modify: boolean;
  comment: boolean;
}

/** decision.actors.active/inactive entry (S3 L3950): `managed/user/<id>` or `managed/role/<id>`. */
export interface Actor extends PersonRef {
  permissions: Permissions;
  phase: string;
}

export interface Phase {
  name: string;
  displayName?: string;
  type: 'request';
  status: 'in-progress' | 'complete' | 'pending';
  decision: 'approve' | 'reject' | null;
  startDate: string | null;
  events: JsonObject;
  workflowTaskId: string;
  completedBy?: PersonRef;
  completionDate?: string;
  justification?: string;
}

export interface TimelineComment {
  user: PersonRef;
  comment: string;
  action: string;
  timeStamp: string;
  phase?: string;
}

export interface Decision {
  status: 'in-progress' | 'complete' | 'cancelled';
  decision: 'approved' | 'rejected' | null;
  outcome: 'provisioned' | 'not provisioned' | 'denied' | 'cancelled' | 'expired' | null;
  startDate: string;
  completionDate: string | null;
  comments: TimelineComment[];
  actors: { active: Actor[]; inactive: Actor[] };
  phases: Phase[];
  failure?: boolean;
}

/** One approval step of the request's workflow, as the emulator resolved it when the request was created. */
export interface PlannedPhase {
  name: string;
  displayName: string;
  actors: Array<{ id: string; permissions: Permissions }>;
  expirationMs: number | null;
  expirationAction: 'reject' | 'reassign' | 'none';
  expirationActors: string[];
  escalationMs: number | null;
  escalationActors: string[];
  /** The phase's events block as shown in decision.phases (dates resolved). */
  events: JsonObject;
}

export interface EmulatorBookkeeping {
  workflowId: string | null;
  planned: PlannedPhase[];
  /** Index into `planned` of the phase in progress; -1 before approvals, planned.length once approved. */
  current: number;
  /** Principal type of the requester (attribution of asynchronous steps). */
  requesterType: string;
}

export interface AccessRequest extends JsonObject {
  id: string;
  requester: PersonRef;
  requestType: string;
  request: { common: JsonObject } & JsonObject;
  user?: PersonRef;
  decision: Decision;
  metadata: { createdDate: string; modifiedDate: string };
  _emulator: EmulatorBookkeeping;
}

export const requestsFixture = lazy(() =>
  z.object({
    /** Request types beyond the built-ins (and built-ins as modified); the built-ins ship with the emulator. */
    requestTypes: z.array(requestTypeSchema()).optional(),
    requestForms: z.array(requestFormSchema()).optional(),
    requestFormAssignments: z.array(formAssignmentSchema()).optional(),
    /** Workflows beyond the out-of-the-box ones (draft and published versions, as GET /iga/governance/workflow lists them). */
    igaWorkflows: z.array(workflowSchema()).optional(),
    /** Approval delegates (S4 L12997: "If an approver has delegates assigned, then the approval items are also
     *  assigned to the delegates"), each optionally limited to a period. */
    approvalDelegates: z.array(z.object({ userId: z.string(), delegateId: z.string(), startDate: z.string().nullable().optional(), endDate: z.string().nullable().optional() })).optional(),
    /** Access requests; absent: a few pending requests are generated from the governance data. */
    accessRequests: z.array(accessRequestSchema()).optional(),
  }),
);
export type RequestsFixture = z.infer<ReturnType<typeof requestsFixture>>;

export interface RequestsState {
  requestTypes: RequestType[];
  requestForms: RequestForm[];
  requestFormAssignments: FormAssignment[];
  workflows: Workflow[];
  requests: AccessRequest[];
  delegates: Delegate[];
}

export interface Delegate {
  userId: string;
  delegateId: string;
  startDate?: string | null;
  endDate?: string | null;
}
