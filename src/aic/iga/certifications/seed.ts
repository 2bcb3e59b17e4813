// Default certification data (issue 7: "the default seed includes one active campaign with pending items for a
// named reviewer"): a template reviewed by maria.manager and one in-progress campaign generated from it.
import type { SeedContext } from '../../../core/types.js';
import type { GovernanceState } from '../../governance/model.js';
import type { Campaign, CertificationsFixture, CertificationsState, LineItem, Template } from './model.js';
import { generateItems } from './service.js';

const DAY = 86_400_000;

export function defaultTemplateBody(reviewerId: string, ownerId: string, managerId: string | null): Record<string, unknown> {
  return {
    status: 'active',
    name: 'Quarterly access review',
    description: 'Accounts, entitlements and roles of the platform team, reviewed by Maria Manager',
    isEventBased: false,
    stagingEnabled: false,
    skipInactiveCertifiers: false,
    allowSelfCertification: false,
    selfCertificationRule: 'none',
    enableForward: true,
    enableReassign: true,
    reassignPermissions: { certify: true, comment: true, claim: true, delegate: true, exception: true, forward: true, reassign: true, reset: true, revoke: true, save: true, signoff: true },
    exceptionDuration: 14,
    allowBulkCertify: true,
    allowPartialSignoff: false,
    remediationRule: 'BasicRevocation',
    initializeRule: '',
    finalizeRule: '',
    certificationType: 'identity',
    ownerId: `managed/user/${ownerId}`,
    // long enough that the seeded campaign stays active for anyone starting the emulator in the next years
    stageDuration: 1095,
    expirationAction: null,
    expirationActionDelay: 0,
    expirationReassignee: null,
    stages: [{ certifierType: 'user', certifierId: `managed/user/${reviewerId}`, certifierScript: null, certifierPath: null }],
    defaultCertifierId: `managed/user/${reviewerId}`,
    assignmentNotification: null,
    assignmentNotificationIncludeManager: false,
    reassignNotification: null,
    expirationNotification: null,
    reminderNotification: null,
    reminderFrequency: 0,
    escalationNotification: null,
    escalationFrequency: null,
    escalationOwner: null,
    remediationDelay: 0,
    targetFilter: {
      type: ['accountGrant', 'entitlementGrant', 'roleMembership'],
      user: managerId ? { operator: 'EQUALS', operand: { targetName: 'manager', targetValue: `managed/user/${managerId}` } } : { operator: 'ALL', operand: [] },
      application: { operator: 'ALL', operand: [] },
      account: { operator: 'ALL', operand: [] },
      memberOfOrg: [],
      entitlement: { operator: 'ALL', operand: [] },
      role: { operator: 'ALL', operand: [] },
      decision: { operator: 'ALL', operand: [] },
    },
    excludeConditionalAccess: true,
    excludeRoleBasedAccess: true,
    requireJustification: { revoke: true, exceptionAllowed: true },
    events: {},
  };
}

export function seedCertifications(section: CertificationsFixture, ctx: SeedContext): CertificationsState {
  const given = section.igaCertifications;
  if (given) {
    return {
      templates: given.templates.map((t) => ({ ...t })) as Template[],
      campaigns: given.campaigns.map((c) => ({ ...c })) as Campaign[],
      items: given.items.map((i) => ({ ...i })) as unknown as LineItem[],
    };
  }
  const state: CertificationsState = { templates: [], campaigns: [], items: [] };
  const gov = ctx.state.governance as GovernanceState | undefined;
  const maria = gov?.users.find((u) => u.userName === 'maria.manager');
  const admin = gov?.users.find((u) => u.roles.includes('governance-administrator')) ?? maria;
  if (!gov || !maria || !admin) return state;
  // the team under review: reports of the first generated manager that has reports with access
  const reportsOf = new Map<string, number>();
  for (const u of gov.users) if (u.manager && u._id !== maria._id) reportsOf.set(u.manager, (reportsOf.get(u.manager) ?? 0) + 1);
  const managerId = [...reportsOf.keys()].find((m) => m !== admin._id && m !== maria._id) ?? null;
  const f = ctx.faker;
  const ref = ctx.referenceTime;
  const iso = (ms: number) => new Date(ms).toISOString();
  const tid = f.string.uuid();
  const body = defaultTemplateBody(maria._id, admin._id, managerId);
  const template: Template = {
    ...body,
    id: tid,
    scheduleId: null,
    metadata: { modifiedDate: iso(ref - 30 * DAY), createdDate: iso(ref - 30 * DAY) },
    _campaignCount: 1,
  } as unknown as Template;
  const startMs = ref - 7 * DAY;
  const { status, ...fields } = body;
  void status;
  const campaign: Campaign = {
    ...fields,
    id: f.string.uuid(),
    templateId: tid,
    scheduleId: null,
    name: 'Quarterly access review',
    status: 'in-progress',
    startDate: iso(startMs),
    deadline: iso(startMs + Number(body.stageDuration) * DAY),
    completionDate: null,
    completedBy: null,
    systemMessages: { info: [], errors: [] },
    _createdBy: null,
  } as unknown as Campaign;
  state.templates.push(template);
  state.campaigns.push(campaign);
  state.items.push(...generateItems(gov, campaign, { newId: () => f.string.uuid(), nowMs: startMs }));
  return state;
}
