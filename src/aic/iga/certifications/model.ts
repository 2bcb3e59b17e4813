// Certification templates, campaigns and line items (SPEC §5; S3 L356–3713; S4 L15351–17160).
// Templates and campaigns are stored in the product's own JSON shape (recording iga-certification-templates:
// clients send back what they read), so most template fields pass through untouched.
import { z } from 'zod';

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

const record = z.record(z.string(), z.unknown());
export const certificationsFixture = z.object({
  /** Certification templates, campaigns and line items, in the product's JSON shape. Absent: a default template
   *  and one active campaign with pending items for maria.manager are generated from the governance data. */
  igaCertifications: z
    .object({
      templates: z.array(record).default([]),
      campaigns: z.array(record).default([]),
      items: z.array(record).default([]),
    })
    .optional(),
});
export type CertificationsFixture = z.infer<typeof certificationsFixture>;

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
