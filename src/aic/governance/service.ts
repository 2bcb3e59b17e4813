// Seeding and lookups over the governance graph. Lookups use per-state indexes (built once per state
// object, kept in a WeakMap) so a request never scans all users or grants.
import type { Faker } from '@faker-js/faker';
import type { SeedContext } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { Forbidden, NotFound } from '../../core/errors.js';
import type { Application, Entitlement, GovernanceFixture, GovernanceState, Grant, Role, User } from './model.js';
import { governanceFixture } from './model.js';

const APP_TEMPLATES: Array<[string, string, string[]]> = [
  ['Salesforce', 'salesforce', ['Sales User', 'Sales Manager', 'Report Builder', 'System Administrator']],
  ['Google Workspace', 'google', ['Drive Editor', 'Groups Admin', 'Calendar Delegate', 'Super Admin']],
  ['Microsoft Entra ID', 'azure.ad', ['Global Reader', 'Helpdesk Administrator', 'Teams User', 'Exchange Recipient']],
  ['ServiceNow', 'servicenow', ['ITIL', 'Catalog Admin', 'Approver', 'Knowledge Author']],
  ['Workday', 'workday', ['Employee Self Service', 'HR Partner', 'Payroll Admin', 'Recruiter']],
  ['GitHub', 'github', ['Developer', 'Maintainer', 'Org Owner', 'Security Manager']],
  ['Slack', 'slack', ['Member', 'Workspace Admin', 'Channel Manager', 'Guest']],
  ['AWS', 'aws', ['ReadOnlyAccess', 'PowerUserAccess', 'Billing', 'AdministratorAccess']],
];

const ROLE_NAMES = ['Sales Representative', 'Engineering', 'HR Operations', 'Finance Analyst', 'IT Helpdesk', 'Executive'];

export function seedGovernance(section: GovernanceFixture, ctx: SeedContext): GovernanceState {
  const g = section.governance ?? governanceFixture().shape.governance.unwrap().parse({ generate: { users: 60, applications: 6, roles: 5 } });
  const state: GovernanceState = {
    users: [...g.users],
    applications: [...g.applications],
    entitlements: [...g.entitlements],
    roles: [...g.roles],
    grants: [...g.grants],
  };
  const gen = g.generate;
  if (gen && (gen.users || gen.applications || gen.roles)) generate(state, gen, ctx.faker, ctx.referenceTime);
  return state;
}

function generate(
  state: GovernanceState,
  gen: { users: number; applications: number; entitlementsPerApplication: number; roles: number },
  faker: Faker,
  ref: number,
): void {
  const iso = (daysBack: number) => new Date(ref - daysBack * 86_400_000).toISOString();
  const taken = new Set(state.users.map((u) => u.userName));
  const newUsers: User[] = [];
  for (let i = 0; i < gen.users; i++) {
    const givenName = faker.person.firstName();
    const sn = faker.person.lastName();
    let userName = `${givenName}.${sn}`.toLowerCase().replace(/[^a-z.]/g, '');
    while (taken.has(userName)) userName = `${userName}${faker.number.int({ min: 1, max: 99 })}`;
    taken.add(userName);
    newUsers.push({
      _id: faker.string.uuid(),
      userName,
      givenName,
      sn,
      mail: `${userName}@example.com`,
      accountStatus: 'active',
      manager: null,
      telephoneNumber: faker.phone.number({ style: 'international' }),
      city: faker.location.city(),
      country: faker.location.countryCode(),
      roles: [],
    });
  }
  // a management tree: the first ~10% are managers of the rest; the first is the top
  const managers = newUsers.slice(0, Math.max(1, Math.ceil(newUsers.length / 10)));
  newUsers.forEach((u, i) => {
    if (i === 0) u.manager = state.users[0]?._id ?? null;
    else if (i < managers.length) u.manager = managers[0]!._id;
    else u.manager = managers[i % managers.length]!._id;
  });
  state.users.push(...newUsers);
  const all = state.users;
  if (all.length === 0) return;

  const apps: Application[] = [];
  for (let i = 0; i < gen.applications; i++) {
    const [name, templateName, ents] = APP_TEMPLATES[(state.applications.length + i) % APP_TEMPLATES.length]!;
    const app: Application = {
      id: faker.string.uuid(),
      name: i < APP_TEMPLATES.length ? name : `${name} ${i}`,
      description: `${name} ${faker.company.buzzNoun()}`,
      templateName,
      templateVersion: '2.0',
      icon: '',
      ownerIds: [faker.helpers.arrayElement(managers.length ? managers : all)._id],
    };
    apps.push(app);
    for (let e = 0; e < gen.entitlementsPerApplication; e++) {
      state.entitlements.push({
        id: faker.string.uuid(),
        applicationId: app.id,
        name: ents[e % ents.length]! + (e >= ents.length ? ` ${e}` : ''),
        description: `${ents[e % ents.length]} in ${name}`,
        ownerIds: app.ownerIds,
        requestable: true,
      });
    }
  }
  state.applications.push(...apps);

  const newRoles: Role[] = [];
  for (let i = 0; i < gen.roles; i++) {
    const ents = faker.helpers.arrayElements(state.entitlements, { min: 1, max: 3 });
    newRoles.push({
      id: faker.string.uuid(),
      name: ROLE_NAMES[i % ROLE_NAMES.length]! + (i >= ROLE_NAMES.length ? ` ${i}` : ''),
      description: `Birthright access for ${ROLE_NAMES[i % ROLE_NAMES.length]}`,
      ownerIds: [faker.helpers.arrayElement(managers.length ? managers : all)._id],
      entitlementIds: ents.map((e) => e.id),
      requestable: true,
    });
  }
  state.roles.push(...newRoles);

  // grants: each new user gets 1–3 accounts, an entitlement or two in each, sometimes a role
  for (const u of newUsers) {
    for (const app of faker.helpers.arrayElements(state.applications, { min: 1, max: Math.min(3, state.applications.length) })) {
      state.grants.push({ id: faker.string.uuid(), userId: u._id, type: 'account', assignmentId: app.id, grantType: 'recon', grantDate: iso(faker.number.int({ min: 1, max: 700 })) });
      const ents = state.entitlements.filter((e) => e.applicationId === app.id);
      for (const ent of faker.helpers.arrayElements(ents, { min: 1, max: Math.min(2, ents.length) })) {
        state.grants.push({ id: faker.string.uuid(), userId: u._id, type: 'entitlement', assignmentId: ent.id, grantType: 'recon', grantDate: iso(faker.number.int({ min: 1, max: 700 })) });
      }
    }
    if (newRoles.length && faker.datatype.boolean({ probability: 0.4 })) {
      const role = faker.helpers.arrayElement(newRoles);
      state.grants.push({ id: faker.string.uuid(), userId: u._id, type: 'role', assignmentId: role.id, grantType: 'request', grantDate: iso(faker.number.int({ min: 1, max: 400 })) });
      for (const entId of role.entitlementIds) {
        state.grants.push({ id: faker.string.uuid(), userId: u._id, type: 'entitlement', assignmentId: entId, grantType: 'role', roleId: role.id, grantDate: iso(faker.number.int({ min: 1, max: 400 })) });
      }
    }
  }
}

interface Indexes {
  users: Map<string, User>;
  usersByName: Map<string, User>;
  applications: Map<string, Application>;
  entitlements: Map<string, Entitlement>;
  roles: Map<string, Role>;
  grantsByUser: Map<string, Grant[]>;
  reports: Map<string, User[]>;
}

const indexCache = new WeakMap<GovernanceState, Indexes>();

/** Indexes over one governance state object; call invalidate() after structural changes (grants added/removed). */
export function indexes(state: GovernanceState): Indexes {
  let ix = indexCache.get(state);
  if (!ix) {
    ix = {
      users: new Map(state.users.map((u) => [u._id, u])),
      usersByName: new Map(state.users.map((u) => [u.userName, u])),
      applications: new Map(state.applications.map((a) => [a.id, a])),
      entitlements: new Map(state.entitlements.map((e) => [e.id, e])),
      roles: new Map(state.roles.map((r) => [r.id, r])),
      grantsByUser: new Map(),
      reports: new Map(),
    };
    for (const g of state.grants) {
      let l = ix.grantsByUser.get(g.userId);
      if (!l) ix.grantsByUser.set(g.userId, (l = []));
      l.push(g);
    }
    for (const u of state.users) {
      if (!u.manager) continue;
      let l = ix.reports.get(u.manager);
      if (!l) ix.reports.set(u.manager, (l = []));
      l.push(u);
    }
    indexCache.set(state, ix);
  }
  return ix;
}

export function invalidate(state: GovernanceState): void {
  indexCache.delete(state);
}

export function governance(env: Environment): GovernanceState {
  return env.slice<GovernanceState>('governance');
}

export const findUser = (env: Environment, id: string): User | undefined => indexes(governance(env)).users.get(id);
export const findUserByName = (env: Environment, userName: string): User | undefined => indexes(governance(env)).usersByName.get(userName);

/** GET /openidm/managed/alpha_user/{id}: IDM's 404 for an id it does not hold. */
export function getUser(env: Environment, id: string): User {
  const u = findUser(env, id);
  if (!u) throw new NotFound(`Object ${id} not found in managed/alpha_user`);
  return u;
}

/** A user token sees its own governance data; administrators (service accounts, governance admins) anyone's. */
export function assertMayView(env: Environment, principal: Principal, userId: string): void {
  if (!findUser(env, userId)) throw new NotFound(`User ${userId} not found.`);
  if (principal.type === 'user' && principal.id !== userId && !findUser(env, principal.id)?.roles.includes('governance-administrator')) throw new Forbidden('User is not authorized to view this user.');
}
export const grantsOf = (env: Environment, userId: string): Grant[] => indexes(governance(env)).grantsByUser.get(userId) ?? [];

/** Add a grant (fulfilment of a request) and keep indexes current. */
export function addGrant(env: Environment, grant: Grant): void {
  const state = governance(env);
  state.grants.push(grant);
  const ix = indexCache.get(state);
  if (ix) {
    let l = ix.grantsByUser.get(grant.userId);
    if (!l) ix.grantsByUser.set(grant.userId, (l = []));
    l.push(grant);
  }
  env.changed();
}

/** Remove a grant (remediation of a revoked certification item, or a removal request). */
export function removeGrant(env: Environment, grantId: string): Grant | undefined {
  const state = governance(env);
  const i = state.grants.findIndex((g) => g.id === grantId);
  if (i < 0) return undefined;
  const [g] = state.grants.splice(i, 1);
  const ix = indexCache.get(state);
  if (ix && g) {
    const l = ix.grantsByUser.get(g.userId);
    if (l) ix.grantsByUser.set(g.userId, l.filter((x) => x.id !== grantId));
  }
  env.changed();
  return g;
}
