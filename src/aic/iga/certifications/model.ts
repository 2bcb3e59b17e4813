// Certification templates, campaigns and line items (SPEC §5; S3 L356–3713; S4 L15351–17160).
// Templates and campaigns are stored in the product's own JSON shape (recording iga-certification-templates:
// clients send back what they read), so most template fields pass through untouched.
import { z } from '@hono/zod-openapi';
import { lazy } from '../../../core/lazy.js';

/** A template as the product stores it: known fields typed loosely, every other field kept verbatim. */
export type Template = Record<string, unknown> & {
  id: string;
  name: string;
  status: string;
  scheduleId?: string | null;
  metadata: { modifiedDate: string; createdDate: string };
};

/** Campaign statuses (S4 L16430–16470): creating → staging → in-progress → complete | expired | cancelled. */
export type CampaignStatus = 'creating' | 'staging' | 'in-progress' | 'complete' | 'expired' | 'cancelled';
export const ACTIVE_CAMPAIGN: ReadonlySet<string> = new Set(['creating', 'staging', 'in-progress']);

export type Campaign = Record<string, unknown> & {
  id: string;
  templateId: string;
  name: string;
  status: CampaignStatus;
  startDate: string | null;
  deadline: string | null;
  completionDate: string | null;
  completedBy: Record<string, unknown> | null;
};

export type ItemType = 'accountGrant' | 'entitlementGrant' | 'roleMembership';
/** Line-item statuses (S3 items `status`): pending while staged, in-progress, signed-off, cancelled, expired. */
export type ItemStatus = 'pending' | 'in-progress' | 'signed-off' | 'cancelled' | 'expired';
export type Decision = 'certify' | 'revoke' | 'exception';

export interface Permissions {
  certify: boolean;
  revoke: boolean;
  exception: boolean;
  comment: boolean;
  forward: boolean;
  reassign: boolean;
  reset: boolean;
  signoff: boolean;
  [k: string]: boolean;
}

/** Who acted: a user (`managed/user/<id>` in actor lists, bare id here) or a service account / client. */
export interface ActorInfo {
  id: string;
  /** `system`: the IGA expiration processing (template expirationAction). */
  type: 'user' | 'serviceAccount' | 'oauthClient' | 'system';
  userName?: string;
  givenName?: string;
  sn?: string;
  mail?: string;
  name?: string;
}

export interface Actor {
  /** `managed/user/<id>` (S3 items example: actors[].id). */
  id: string;
  userName: string;
  givenName: string;
  sn: string;
  mail: string;
  permissions: Permissions;
}

export interface ItemComment {
  user: ActorInfo;
  comment: string;
  action: string;
  timeStamp: string;
}

export interface CertificationDecision {
  campaignId: string;
  targetId: string;
  status: ItemStatus;
  decision: Decision | null;
  decisionDate: string | null;
  decisionBy: ActorInfo | null;
  completionDate: string | null;
  completedBy: ActorInfo | null;
  remediationDate: string | null;
  remediated: boolean;
  remediationStatus: 'pending' | 'complete' | null;
  confidenceScore: number;
  stageIndex: number;
  deadline: string | null;
  isExpired: boolean;
  comments: ItemComment[];
  actors: Actor[];
  primaryReviewer: Omit<Actor, 'permissions'>;
}

export interface LineItem {
  id: string;
  campaignId: string;
  /** Emulator-internal: the governance grant the item reviews (remediation removes it). Not rendered. */
  grantId: string;
  item: { type: ItemType };
  user: { id: string; userName: string; givenName: string; sn: string; mail: string };
  application?: { id: string; name: string; description: string; templateName: string };
  entitlement?: { id: string; displayName: string; description: string; applicationId: string };
  role?: { id: string; name: string; description: string };
  /** S4 L16991–17017: how the access was granted; grantType `role` = role-based (cannot be certified/revoked). */
  relationship: { properties: { grantTypes: Array<{ grantType: string; roleId?: string }> } };
  decision: { certification: CertificationDecision };
}

export interface CertificationsState {
  templates: Template[];
  campaigns: Campaign[];
  items: LineItem[];
}

const record = lazy(() => z.record(z.string(), z.unknown()));
export const certificationsFixture = lazy(() =>
  z.object({
    /** Certification templates, campaigns and line items, in the product's JSON shape. Absent: a default template
     *  and one active campaign with pending items for maria.manager are generated from the governance data. */
    igaCertifications: z
      .object({
        templates: z.array(record()).default([]),
        campaigns: z.array(record()).default([]),
        items: z.array(record()).default([]),
      })
      .optional(),
  }),
);
export type CertificationsFixture = z.infer<ReturnType<typeof certificationsFixture>>;

export const FULL_PERMISSIONS: Permissions = {
  certify: true,
  revoke: true,
  exception: true,
  comment: true,
  forward: true,
  reassign: true,
  reset: true,
  signoff: true,
};

// ---------------------------------------------------------------- requests, declared on the routes (routes.ts)
// Each check carries the product's own sentence: productMessageHook('iga', fields) renders IGA's `{"message"}` with it
// as written (docs/iga-certifications.md); a failure of any other field keeps the generic `Invalid request: …` 400.

export type ItemAction = 'certify' | 'revoke' | 'exception' | 'comment' | 'forward' | 'reassign' | 'signoff';
/** S3 items/{action} and items/{lineItemId}/{action}: what each endpoint accepts. */
export const BULK_ACTIONS = ['certify', 'revoke', 'exception', 'comment', 'forward', 'signoff'] as const satisfies readonly ItemAction[];
export const SINGLE_ACTIONS = ['certify', 'revoke', 'exception', 'comment', 'reassign', 'forward'] as const satisfies readonly ItemAction[];
/** docs/iga-certifications.md: `active` / `closed` group the campaign statuses (S4 L16430–16470); an exact one is accepted too. */
export const CAMPAIGN_QUERY_STATUSES = ['active', 'closed', 'creating', 'staging', 'in-progress', 'complete', 'expired', 'cancelled'] as const;
/** S3 L3197: the caller's review tasks by status (required). */
export const TASK_STATUSES = ['active', 'expired', 'complete'] as const;

const invalid = (what: string) => (iss: { input?: unknown }) => `Invalid ${what}: ${String(iss.input)}`;
/** A query value that may be empty (read as absent) or one of `values`; anything else is `Invalid <name>: <value>`. */
const oneOfOrEmpty = <T extends string>(name: string, values: readonly T[]) =>
  z.enum(['', ...values] as ['', ...T[]], { error: invalid(name) }).optional();

/** Fields of the query/params/body schemas below that carry product sentences (the hook's `fields`). */
export const DECLARED_FIELDS = ['templateId', 'status', '_sortDir', 'action'] as const;

export const startCampaignBody = lazy(() =>
  z
    .object({ templateId: z.string({ error: 'templateId is required.' }).min(1, { error: 'templateId is required.' }) })
    .passthrough()
    .openapi('IgaCampaignStart'),
);
export const campaignQueryChecks = lazy(() => ({ status: oneOfOrEmpty('status', CAMPAIGN_QUERY_STATUSES), _sortDir: oneOfOrEmpty('_sortDir', ['asc', 'desc']) }));
export const myTasksQuery = lazy(() =>
  z.object({ status: z.enum(TASK_STATUSES, { error: 'status must be one of active, expired, complete.' }) }),
);
export const bulkActionParams = lazy(() => z.object({ certId: z.string(), action: z.enum(BULK_ACTIONS, { error: invalid('action') }) }));
export const singleActionParams = lazy(() =>
  z.object({ certId: z.string(), lineItemId: z.string(), action: z.enum(SINGLE_ACTIONS, { error: invalid('action') }) }),
);
