// The default access model, generated from the identities (deterministic per fixture seed): Workday as the
// authoritative HR source (every person has an account there), four target applications with owners and entitlements,
// access profiles per application, department roles by membership criteria and an assigned admin role, two
// governance groups, and each identity's access provisioned through the same code the runtime uses.
import type { Faker } from '@faker-js/faker';
import type { SeedContext } from '../../core/types.js';
import type { IscIdentitiesState, IscIdentity } from '../identities/model.js';
import { iscAccessFixture, type AccessProfile, type Entitlement, type IscAccessFixture, type IscAccessState, type Role, type Source } from './model.js';
import { AccessIndex } from './indexes.js';
import { ensureAccount, grant, refreshMembership, type ProvisioningContext } from './provisioning.js';

const DAY = 86_400_000;

interface SourceSpec {
  name: string;
  type: string;
  connector: string;
  attr: string;
  objectType: string;
  accountNameFrom: Source['accountNameFrom'];
  authoritative?: boolean;
  /** [value, privileged, description] */
  values: Array<[string, boolean, string]>;
}

const SOURCES: SourceSpec[] = [
  {
    name: 'Workday',
    type: 'Workday',
    connector: 'workday',
    attr: 'securityGroup',
    objectType: 'group',
    accountNameFrom: 'name',
    authoritative: true,
    values: [
      ['Employee Self Service', false, 'Every worker'],
      ['HR Partner', false, 'HR business partner tasks'],
      ['Compensation Administrator', true, 'Edit compensation plans'],
      ['Payroll Specialist', true, 'Run payroll'],
      ['Recruiter', false, 'Manage requisitions'],
      ['Manager Self Service', false, 'Approve team requests'],
    ],
  },
  {
    name: 'Active Directory',
    type: 'Active Directory - Direct',
    connector: 'active-directory',
    attr: 'memberOf',
    objectType: 'group',
    accountNameFrom: 'dn',
    values: [
      ['CN=Finance-Readers,OU=Groups,DC=acme,DC=com', false, 'Finance share (read)'],
      ['CN=Finance-Approvers,OU=Groups,DC=acme,DC=com', true, 'Finance approvals'],
      ['CN=VPN-Users,OU=Groups,DC=acme,DC=com', false, 'Remote access'],
      ['CN=Domain Admins,CN=Users,DC=acme,DC=com', true, 'Domain administration'],
      ['CN=HR-Share-RW,OU=Groups,DC=acme,DC=com', false, 'HR share (read/write)'],
      ['CN=Sales-Share,OU=Groups,DC=acme,DC=com', false, 'Sales share'],
      ['CN=Engineering,OU=Groups,DC=acme,DC=com', false, 'Engineering distribution group'],
      ['CN=Helpdesk-Operators,OU=Groups,DC=acme,DC=com', true, 'Password resets and unlocks'],
    ],
  },
  {
    name: 'Salesforce',
    type: 'Salesforce',
    connector: 'salesforce',
    attr: 'permissionSet',
    objectType: 'PermissionSet',
    accountNameFrom: 'email',
    values: [
      ['Sales_User', false, 'Standard sales user'],
      ['Report_Viewer', false, 'Read reports and dashboards'],
      ['Sales_Manager', false, 'Manage opportunities of the team'],
      ['System_Administrator', true, 'Full administration'],
      ['Marketing_User', false, 'Campaigns'],
      ['Service_Agent', false, 'Service console'],
    ],
  },
  {
    name: 'GitHub',
    type: 'GitHub',
    connector: 'github',
    attr: 'teams',
    objectType: 'team',
    accountNameFrom: 'name',
    values: [
      ['acme/developers', false, 'All developers'],
      ['acme/platform-admins', true, 'Administer platform repositories'],
      ['acme/security', false, 'Security team'],
      ['acme/release-managers', true, 'Publish releases'],
      ['acme/readers', false, 'Read-only access'],
    ],
  },
  {
    name: 'ServiceNow',
    type: 'ServiceNow',
    connector: 'servicenow',
    attr: 'roles',
    objectType: 'role',
    accountNameFrom: 'name',
    values: [
      ['itil', false, 'Fulfiller'],
      ['approver_user', false, 'Approves requests'],
      ['admin', true, 'Instance administrator'],
      ['catalog_admin', false, 'Maintain the catalog'],
      ['change_manager', false, 'Approve changes'],
      ['security_admin', true, 'Elevated security administration'],
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

/** [name, source, description, entitlement names, approval schemes] */
const ACCESS_PROFILES: Array<[string, string, string, string[], string[]]> = [
  ['Finance Analyst', 'Active Directory', 'Read access to finance shares', ['Finance-Readers', 'VPN-Users'], ['MANAGER', 'OWNER']],
  ['Finance Approver', 'Active Directory', 'Approve finance documents', ['Finance-Approvers', 'Finance-Readers'], ['MANAGER', 'OWNER']],
  ['Payroll Operations', 'Workday', 'Run and approve payroll', ['Payroll Specialist', 'Compensation Administrator'], ['MANAGER', 'OWNER', 'SOURCE_OWNER']],
  ['HR Business Partner', 'Workday', 'Workday HR partner tasks', ['HR Partner', 'Recruiter'], ['MANAGER']],
  ['Sales Cloud User', 'Salesforce', 'Standard Salesforce access', ['Sales_User', 'Report_Viewer'], ['MANAGER']],
  ['Sales Management', 'Salesforce', 'Manage the sales team pipeline', ['Sales_Manager', 'Report_Viewer'], ['MANAGER', 'OWNER']],
  ['Engineering Base', 'GitHub', 'Source code access', ['acme/developers', 'acme/readers'], ['MANAGER']],
  ['Release Management', 'GitHub', 'Publish releases', ['acme/release-managers'], ['OWNER', 'GOVERNANCE_GROUP']],
  ['Service Desk Fulfiller', 'ServiceNow', 'Work on incidents and requests', ['itil', 'approver_user'], ['MANAGER']],
  ['Platform Admin Tools', 'GitHub', 'Administer the platform', ['acme/platform-admins'], ['OWNER', 'GOVERNANCE_GROUP']],
];

/** [name, description, access profiles, entitlements, department criterion (null: assigned identities), requestable] */
const ROLES: Array<[string, string, string[], string[], string | null, boolean]> = [
  ['Finance Department', 'Birthright access for finance staff', ['Finance Analyst'], ['Employee Self Service'], 'Finance', false],
  ['Sales Representative', 'Sales team access', ['Sales Cloud User'], ['Sales-Share', 'Employee Self Service'], 'Sales', false],
  ['Software Engineer', 'Engineering access', ['Engineering Base'], ['Engineering', 'acme/security'], 'Engineering', false],
  ['HR Staff', 'Human resources access', ['HR Business Partner'], ['HR-Share-RW', 'Employee Self Service'], 'Human Resources', false],
  ['IT Operations', 'Service desk and remote access', ['Service Desk Fulfiller'], ['VPN-Users', 'Helpdesk-Operators'], 'IT Operations', true],
  ['Platform Administrator', 'Privileged platform administration', ['Platform Admin Tools', 'Engineering Base'], ['Domain Admins'], null, true],
];

function hex(f: Faker): string {
  return f.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' });
}

function emptyState(): IscAccessState {
  return { sources: [], accounts: [], entitlements: [], accessProfiles: [], roles: [], governanceGroups: [], assignments: [], entitlementGrants: [] };
}

export function seedAccess(section: IscAccessFixture, ctx: SeedContext): IscAccessState {
  const declared = Object.values(section).some((v) => v !== undefined);
  if (declared) {
    return {
      sources: section.iscSources ?? [],
      accounts: section.iscAccounts ?? [],
      entitlements: section.iscEntitlements ?? [],
      accessProfiles: section.iscAccessProfiles ?? [],
      roles: section.iscRoles ?? [],
      governanceGroups: section.iscGovernanceGroups ?? [],
      assignments: section.iscAssignments ?? [],
      entitlementGrants: section.iscEntitlementGrants ?? [],
    };
  }
  const people = ((ctx.state.identities as IscIdentitiesState | undefined)?.identities ?? []).filter((i) => !i.service);
  if (!people.length) return emptyState();
  const raw = generate(people, ctx.faker, ctx.referenceTime);
  // through the fixture schema, so generated state has the key order a snapshot → seed round trip produces
  const parsed = iscAccessFixture().parse(snapshotAccess(raw));
  return seedAccess(parsed, ctx);
}

/** State → fixture keys (GET /__emulator/snapshot). */
export function snapshotAccess(st: IscAccessState): IscAccessFixture {
  return {
    iscSources: st.sources,
    iscAccounts: st.accounts,
    iscEntitlements: st.entitlements,
    iscAccessProfiles: st.accessProfiles,
    iscRoles: st.roles,
    iscGovernanceGroups: st.governanceGroups,
    iscAssignments: st.assignments,
    iscEntitlementGrants: st.entitlementGrants,
  };
}

function generate(people: IscIdentity[], f: Faker, ref: number): IscAccessState {
  const state = emptyState();
  const ix = new AccessIndex(state);
  const iso = (ms: number) => new Date(ms).toISOString();
  const past = (min: number, max: number) => iso(ref - f.number.int({ min, max }) * DAY);
  const named = (n: string) => people.find((p) => p.name === n);
  const admin = named('olivia.admin') ?? people[0]!;
  const managers = people.filter((p) => people.some((q) => q.managerId === p.id));
  const owners = managers.length ? managers : people;
  const pick = () => f.helpers.arrayElement(owners).id;

  const sourceIds = new Map<string, string>();
  for (const s of SOURCES) {
    const created = past(600, 900);
    const source: Source = {
      id: hex(f),
      name: s.name,
      description: s.authoritative ? `${s.name} (authoritative HR source)` : `${s.name} application`,
      ownerId: s.authoritative ? admin.id : pick(),
      type: s.type,
      connector: s.connector,
      authoritative: !!s.authoritative,
      entitlementAttribute: s.attr,
      accountNameFrom: s.accountNameFrom,
      features: s.authoritative ? ['NO_PERMISSIONS_PROVISIONING', 'GROUPS_HAVE_MEMBERS'] : ['PROVISIONING', 'ENABLE', 'UNLOCK'],
      created,
      modified: created,
    };
    ix.addSource(source);
    sourceIds.set(s.name, source.id);
    for (const [value, privileged, description] of s.values) {
      const ecreated = past(300, 600);
      const ent: Entitlement = {
        id: hex(f),
        name: /^CN=([^,]+)/.exec(value)?.[1] ?? value,
        description,
        sourceId: source.id,
        attribute: s.attr,
        value,
        sourceSchemaObjectType: s.objectType,
        ownerId: pick(),
        requestable: !s.authoritative || value !== 'Employee Self Service',
        privileged,
        cloudGoverned: false,
        permissions: PERMISSIONS[value] ?? [],
        created: ecreated,
        modified: ecreated,
      };
      ix.addEntitlement(ent);
    }
  }
  const entByName = (n: string) => [...ix.entitlements.values()].find((e) => e.name === n)!.id;

  const groups = [
    { name: 'Platform Approvers', description: 'Approve privileged platform access', members: [admin.id, ...(named('bob.reviewer') ? [named('bob.reviewer')!.id] : [])] },
    { name: 'Finance Reviewers', description: 'Review finance access', members: [admin.id, ...(named('alice.reviewer') ? [named('alice.reviewer')!.id] : [])] },
  ];
  for (const g of groups) {
    const created = past(200, 400);
    ix.addGovernanceGroup({ id: hex(f), name: g.name, description: g.description, ownerId: admin.id, memberIds: g.members, created, modified: created });
  }
  const platformApprovers = state.governanceGroups[0]!.id;

  for (const [name, sourceName, description, ents, schemes] of ACCESS_PROFILES) {
    const created = past(200, 700);
    const ap: AccessProfile = {
      id: hex(f),
      name,
      description,
      sourceId: sourceIds.get(sourceName)!,
      ownerId: pick(),
      entitlementIds: ents.map(entByName),
      enabled: true,
      requestable: true,
      accessRequestConfig: {
        commentsRequired: schemes.includes('GOVERNANCE_GROUP'),
        denialCommentsRequired: false,
        reauthorizationRequired: false,
        approvalSchemes: schemes.map((t) => ({ approverType: t as 'MANAGER', approverId: t === 'GOVERNANCE_GROUP' ? platformApprovers : null })),
      },
      revocationRequestConfig: { approvalSchemes: [] },
      segments: [],
      created,
      modified: iso(Date.parse(created) + f.number.int({ min: 1, max: 100 }) * DAY),
    };
    ix.addAccessProfile(ap);
  }
  const apByName = (n: string) => [...ix.accessProfiles.values()].find((a) => a.name === n)!.id;

  const ctx: ProvisioningContext = { now: iso(ref - 30 * DAY), newId: () => hex(f), actorId: null, source: 'ROLE_MEMBERSHIP' };
  // every person has an account on the authoritative HR source
  const hr = ix.sources.get(sourceIds.get('Workday')!)!;
  for (const p of people) ensureAccount(ix, p, hr, { ...ctx, now: p.created ?? ctx.now });

  // the admin role is assigned by name: the admin and two engineers
  const adminMembers = [admin.id, ...people.filter((p) => p.attributes.department === 'Engineering' && p.managerId !== admin.id).slice(0, 2).map((p) => p.id)];
  for (const [name, description, aps, ents, department, requestable] of ROLES) {
    const created = past(200, 700);
    const role: Role = {
      id: hex(f),
      name,
      description,
      ownerId: pick(),
      accessProfileIds: aps.map(apByName),
      entitlementIds: ents.map(entByName),
      membership: department
        ? { type: 'STANDARD', criteria: { operation: 'EQUALS', key: { type: 'IDENTITY', property: 'attribute.department' }, stringValue: department }, identityIds: [] }
        : { type: 'IDENTITY_LIST', criteria: null, identityIds: adminMembers },
      enabled: true,
      requestable,
      accessRequestConfig: {
        commentsRequired: !department,
        denialCommentsRequired: false,
        reauthorizationRequired: false,
        approvalSchemes: department ? [{ approverType: 'MANAGER', approverId: null }] : [{ approverType: 'OWNER', approverId: null }, { approverType: 'GOVERNANCE_GROUP', approverId: platformApprovers }],
      },
      revocationRequestConfig: { approvalSchemes: [] },
      segments: [],
      dimensional: false,
      created,
      modified: created,
    };
    ix.addRole(role);
    refreshMembership(ix, role, people, ctx);
  }

  // some requested access on top of the birthright roles (carl.user: a Salesforce access profile)
  const requested = { ...ctx, source: 'REQUEST' as const };
  const requestable = [...ix.accessProfiles.values()].filter((a) => a.name !== 'Platform Admin Tools');
  for (const p of people) {
    if (p.id === admin.id) continue;
    if (p.name === 'carl.user') grant(ix, p, { type: 'ACCESS_PROFILE', id: apByName('Sales Cloud User') }, { ...requested, actorId: p.managerId });
    else if (f.datatype.boolean({ probability: 0.35 })) grant(ix, p, { type: 'ACCESS_PROFILE', id: f.helpers.arrayElement(requestable).id }, { ...requested, actorId: p.managerId });
    if (f.datatype.boolean({ probability: 0.2 })) {
      const ent = f.helpers.arrayElement([...ix.entitlements.values()].filter((e) => e.requestable && !e.privileged));
      grant(ix, p, { type: 'ENTITLEMENT', id: ent.id }, { ...requested, actorId: p.managerId });
    }
  }
  // a locked and a disabled account, for enable/unlock demos
  const targets = state.accounts.filter((a) => a.sourceId !== hr.id);
  if (targets[3]) targets[3].locked = true;
  if (targets[5]) targets[5].disabled = true;
  return state;
}
