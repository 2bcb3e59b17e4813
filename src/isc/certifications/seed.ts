// Default ISC certification data (issue 9 "Default seed"): a running manager campaign with certifications for the
// named reviewers (alice.reviewer, bob.reviewer, olivia.admin) over the generated identities' realistic access
// (AD/Workday/Salesforce/GitHub entitlements, access profiles, roles), one governance-group certification, and an
// earlier, signed source-owner campaign. Deterministic: faker seeded per area, timestamps from referenceTime.
import type { Faker } from '@faker-js/faker';
import type { SeedContext } from '../../core/types.js';
import type { IscIdentitiesState, IscIdentity } from '../identities/model.js';
import {
  iscCertificationsFixture,
  rateLimitSchema,
  type AccessProfile,
  type AuditEvent,
  type Campaign,
  type Certification,
  type Entitlement,
  type IscCertificationsFixture,
  type IscCertificationsState,
  type ReviewItem,
  type Role,
} from './model.js';

const DAY = 86_400_000;

export function seedCertifications(section: IscCertificationsFixture, ctx: SeedContext): IscCertificationsState {
  const rateLimit = rateLimitSchema.parse(section.iscRateLimit ?? {});
  if (section.iscCertifications || section.iscCampaigns) {
    return {
      campaigns: section.iscCampaigns ?? [],
      certifications: section.iscCertifications ?? [],
      tasks: section.iscCertificationTasks ?? [],
      events: section.iscAuditEvents ?? [],
      rateLimit,
    };
  }
  const identities = (ctx.state.identities as IscIdentitiesState | undefined)?.identities ?? [];
  const raw = generateDefault(identities, ctx.faker, ctx.referenceTime);
  // through the fixture schema, so generated state has the key order a snapshot → seed round trip produces
  const generated = iscCertificationsFixture.parse({ iscCampaigns: raw.campaigns, iscCertifications: raw.certifications, iscAuditEvents: raw.events });
  return {
    campaigns: generated.iscCampaigns ?? [],
    certifications: generated.iscCertifications ?? [],
    tasks: section.iscCertificationTasks ?? [],
    events: [...(generated.iscAuditEvents ?? []), ...(section.iscAuditEvents ?? [])],
    rateLimit,
  };
}

interface Catalog {
  entitlements: Entitlement[];
  accessProfiles: AccessProfile[];
  roles: Role[];
}

const SOURCES: Array<{ name: string; type: string; attr: string; objectType: string; values: Array<[string, boolean]> }> = [
  {
    name: 'Active Directory',
    type: 'Active Directory - Direct',
    attr: 'memberOf',
    objectType: 'group',
    values: [
      ['CN=Finance-Readers,OU=Groups,DC=acme,DC=com', false],
      ['CN=Finance-Approvers,OU=Groups,DC=acme,DC=com', true],
      ['CN=VPN-Users,OU=Groups,DC=acme,DC=com', false],
      ['CN=Domain Admins,CN=Users,DC=acme,DC=com', true],
      ['CN=HR-Share-RW,OU=Groups,DC=acme,DC=com', false],
    ],
  },
  {
    name: 'Workday',
    type: 'Workday',
    attr: 'securityGroup',
    objectType: 'group',
    values: [
      ['HR Partner', false],
      ['Compensation Administrator', true],
      ['Payroll Specialist', true],
    ],
  },
  {
    name: 'Salesforce',
    type: 'Salesforce',
    attr: 'permissionSet',
    objectType: 'PermissionSet',
    values: [
      ['Sales_User', false],
      ['Report_Viewer', false],
      ['System_Administrator', true],
    ],
  },
  {
    name: 'GitHub',
    type: 'GitHub',
    attr: 'teams',
    objectType: 'team',
    values: [
      ['acme/developers', false],
      ['acme/platform-admins', true],
      ['acme/security', false],
    ],
  },
];

// entitlements that carry fine-grained permissions (contract PermissionDto)
const PERMISSIONS: Record<string, Array<{ rights: string[]; target: string }>> = {
  System_Administrator: [
    { rights: ['ModifyAllData', 'ViewAllData'], target: 'Organization' },
    { rights: ['ManageUsers'], target: 'User' },
  ],
  'acme/platform-admins': [
    { rights: ['admin'], target: 'acme/infrastructure' },
    { rights: ['maintain', 'push'], target: 'acme/platform' },
  ],
};

function hex(f: Faker): string {
  return f.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' });
}

function owner(i: IscIdentity | undefined) {
  return i ? { type: 'IDENTITY', id: i.id, name: i.name, email: i.email } : null;
}

function buildCatalog(f: Faker, owners: IscIdentity[], ref: number): Catalog {
  const entitlements: Entitlement[] = [];
  for (const s of SOURCES) {
    const sourceId = hex(f);
    for (const [value, privileged] of s.values) {
      const cn = /^CN=([^,]+)/.exec(value)?.[1] ?? value;
      entitlements.push({
        id: hex(f),
        name: cn,
        privileged,
        owner: owner(f.helpers.arrayElement(owners)),
        attributeName: s.attr,
        attributeValue: value,
        sourceSchemaObjectType: s.objectType,
        sourceName: s.name,
        sourceType: s.type,
        sourceId,
        hasPermissions: !!PERMISSIONS[value],
        isPermission: false,
        permissions: PERMISSIONS[value] ?? [],
        revocable: true,
        cloudGoverned: false,
        containsDataAccess: false,
        account: null,
      });
    }
  }
  const byName = (n: string) => entitlements.find((e) => e.name === n)!;
  const ap = (name: string, description: string, ents: string[]): AccessProfile => {
    const created = new Date(ref - f.number.int({ min: 200, max: 700 }) * DAY).toISOString();
    return {
      id: hex(f),
      name,
      description,
      privileged: ents.some((e) => byName(e).privileged),
      cloudGoverned: false,
      endDate: null,
      owner: owner(f.helpers.arrayElement(owners)),
      entitlements: ents.map(byName),
      created,
      modified: new Date(Date.parse(created) + f.number.int({ min: 1, max: 100 }) * DAY).toISOString(),
    };
  };
  const accessProfiles = [
    ap('Finance Analyst', 'Read access to finance shares and reports', ['Finance-Readers', 'Report_Viewer']),
    ap('Payroll Operations', 'Run and approve payroll', ['Payroll Specialist', 'Finance-Approvers']),
    ap('Sales Cloud User', 'Standard Salesforce access', ['Sales_User', 'Report_Viewer']),
    ap('Engineering Base', 'Source code and VPN', ['acme/developers', 'VPN-Users']),
    ap('HR Business Partner', 'Workday HR partner and HR share', ['HR Partner', 'HR-Share-RW']),
  ];
  const apByName = (n: string) => accessProfiles.find((a) => a.name === n)!;
  const role = (name: string, description: string, aps: string[], ents: string[]): Role => ({
    id: hex(f),
    name,
    description,
    privileged: ents.some((e) => byName(e).privileged),
    owner: owner(f.helpers.arrayElement(owners)),
    revocable: true,
    accessProfiles: aps.map(apByName),
    entitlements: ents.map(byName),
  });
  const roles = [
    role('Finance Department', 'Birthright access for finance staff', ['Finance Analyst'], []),
    role('Sales Representative', 'Sales team access', ['Sales Cloud User'], ['VPN-Users']),
    role('Software Engineer', 'Engineering access', ['Engineering Base'], ['acme/security']),
    role('Platform Administrator', 'Privileged platform administration', ['Engineering Base'], ['acme/platform-admins', 'Domain Admins']),
  ];
  return { entitlements, accessProfiles, roles };
}

function itemsFor(f: Faker, subject: IscIdentity, catalog: Catalog, ref: number): ReviewItem[] {
  const summaryId = hex(f);
  const base = { identityId: subject.id, identitySummaryId: summaryId, decision: null, comments: null, bulk: false, proposedEndDate: null, decisionMaker: null, decided: null, remediation: null };
  const out: ReviewItem[] = [];
  out.push({ ...base, id: hex(f), type: 'ROLE', role: f.helpers.arrayElement(catalog.roles), newAccess: false });
  out.push({ ...base, id: hex(f), type: 'ACCESS_PROFILE', accessProfile: f.helpers.arrayElement(catalog.accessProfiles), newAccess: f.datatype.boolean({ probability: 0.2 }) });
  for (const e of f.helpers.arrayElements(catalog.entitlements, 2)) {
    const nativeIdentity = e.sourceName === 'Active Directory' ? `CN=${subject.displayName ?? subject.name},OU=Users,DC=acme,DC=com` : subject.name;
    out.push({
      ...base,
      id: hex(f),
      type: 'ENTITLEMENT',
      entitlement: { ...e, account: { nativeIdentity, id: hex(f), name: subject.name, created: new Date(ref - f.number.int({ min: 30, max: 600 }) * DAY).toISOString() } },
      newAccess: f.datatype.boolean({ probability: 0.2 }),
    });
  }
  return out;
}

function generateDefault(identities: IscIdentity[], f: Faker, ref: number): Omit<IscCertificationsState, 'tasks' | 'rateLimit'> {
  const humans = identities.filter((i) => !i.service && i.active);
  if (!humans.length) return { campaigns: [], certifications: [], events: [] };
  const named = (n: string, fallback: number) => identities.find((i) => i.name === n) ?? humans[fallback % humans.length]!;
  const alice = named('alice.reviewer', 0);
  const bob = named('bob.reviewer', 1);
  const olivia = named('olivia.admin', 2);
  const carl = named('carl.user', 3);
  const reserved = new Set([alice.id, bob.id, olivia.id, carl.id]);
  const subjects = humans.filter((i) => !reserved.has(i.id));
  const pool = subjects.length ? subjects : humans;
  let next = 0;
  const take = (n: number) => Array.from({ length: n }, () => pool[next++ % pool.length]!);
  const catalog = buildCatalog(f, [olivia, ...pool.slice(0, 5)], ref);

  const launched = ref - 10 * DAY;
  const running: Campaign = {
    id: hex(f),
    name: 'Quarterly Manager Access Review',
    campaignType: 'MANAGER',
    description: 'Managers review the access of their direct reports',
    correlatedStatus: 'CORRELATED',
    mandatoryCommentRequirement: 'REVOKE_ONLY_DECISIONS',
  };
  const earlier: Campaign = {
    id: hex(f),
    name: 'Active Directory Source Owner Review',
    campaignType: 'SOURCE_OWNER',
    description: 'Source owners review Active Directory group memberships',
    correlatedStatus: 'CORRELATED',
    mandatoryCommentRequirement: 'NO_DECISIONS',
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  const due = iso(ref + 400 * DAY); // far enough ahead of referenceTime that the campaign is still running in tests
  const cert = (campaign: Campaign, reviewer: IscIdentity, n: number, created: number, dueAt: string): Certification => ({
    id: hex(f),
    name: `${campaign.campaignType === 'MANAGER' ? 'Manager Access Review' : 'Source Owner Access Review'} for ${reviewer.displayName ?? reviewer.name}`,
    campaignId: campaign.id,
    created: iso(created),
    modified: iso(created),
    due: dueAt,
    signed: null,
    signer: null,
    reviewer: { type: 'IDENTITY', id: reviewer.id, members: [] },
    reassignment: null,
    phase: 'ACTIVE',
    hasErrors: false,
    errorMessage: null,
    items: take(n).flatMap((s) => itemsFor(f, s, catalog, ref)),
  });
  const certifications: Certification[] = [cert(running, alice, 4, launched, due), cert(running, bob, 4, launched, due), cert(running, olivia, 3, launched, due)];
  // a governance-group certification: decide/sign-off refuse it (S2 "does not support … Governance Groups")
  const gg = cert(running, olivia, 2, launched, due);
  gg.name = 'Manager Access Review for Finance Reviewers';
  gg.reviewer = { type: 'GOVERNANCE_GROUP', id: hex(f), name: 'Finance Reviewers', members: [bob.id, olivia.id] };
  certifications.push(gg);

  // an earlier campaign, signed by bob with his own token
  const doneAt = ref - 60 * DAY;
  const signedCert = cert(earlier, bob, 2, ref - 90 * DAY, iso(ref - 50 * DAY));
  const bobActor = { id: bob.id, name: bob.name, type: 'IDENTITY' as const };
  for (const it of signedCert.items) {
    it.decision = 'APPROVE';
    it.decisionMaker = bobActor;
    it.decided = iso(doneAt - DAY);
  }
  signedCert.phase = 'SIGNED';
  signedCert.signed = iso(doneAt);
  signedCert.signer = bobActor;
  signedCert.modified = iso(doneAt);
  certifications.push(signedCert);
  const events: AuditEvent[] = [
    {
      id: hex(f),
      name: 'Sign Off Certification Passed',
      created: iso(doneAt),
      synced: iso(doneAt),
      action: 'CERTIFICATION_SIGNOFF_PASSED',
      type: 'CERTIFICATION',
      actor: { name: bob.name },
      target: { name: signedCert.name },
      stack: 'certs',
      trackingNumber: hex(f),
      ipAddress: '127.0.0.1',
      details: hex(f),
      attributes: { certificationId: signedCert.id, certificationName: signedCert.name, campaignId: earlier.id, campaignName: earlier.name, actorId: bob.id, actorType: 'identity', reviewerId: bob.id, reviewerName: bob.name },
      objects: ['CERTIFICATION'],
      operation: 'SIGNOFF',
      status: 'PASSED',
      technicalName: 'CERTIFICATION_SIGNOFF_PASSED',
    },
  ];
  return { campaigns: [running, earlier], certifications, events };
}
