import { indexBy } from '../../core/indexes.js';
import type { SeedContext } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import type { IscIdentitiesFixture, IscIdentitiesState, IscIdentity } from './model.js';

/** Departments of the generated workforce (the access model's role criteria and campaigns key on them). */
export const DEPARTMENTS = ['Finance', 'Sales', 'Engineering', 'Human Resources', 'IT Operations'] as const;

export function seedIdentities(section: IscIdentitiesFixture, ctx: SeedContext): IscIdentitiesState {
  const identities = [...(section.identities ?? [])];
  const count = section.generateIdentities ?? (section.identities ? 0 : 50);
  const f = count > 0 ? ctx.faker : undefined;
  // a hierarchy: the first humans (the named ones and the first generated of each department) manage the rest
  const top = identities.find((i) => !i.service && !i.managerId) ?? identities.find((i) => !i.service);
  const deptManagers = new Map<string, string>();
  for (const i of identities) {
    const d = i.attributes?.department;
    if (d && !i.service && i.managerId === top?.id && i.id !== top?.id && !deptManagers.has(d)) deptManagers.set(d, i.id);
  }
  for (let i = 0; f && i < count; i++) {
    const first = f.person.firstName();
    const last = f.person.lastName();
    const name = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + (i + 1);
    const department = DEPARTMENTS[i % DEPARTMENTS.length]!;
    const id = f.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' });
    const manager = deptManagers.get(department);
    if (!manager) deptManagers.set(department, id);
    identities.push({
      id,
      name,
      displayName: `${first} ${last}`,
      email: `${name}@example.com`,
      active: true,
      authorities: [],
      managerId: manager ?? top?.id ?? null,
      service: false,
      created: new Date(ctx.referenceTime - f.number.int({ min: 30, max: 900 }) * 86_400_000).toISOString(),
      lifecycleState: 'active',
      attributes: {
        firstname: first,
        lastname: last,
        department,
        title: manager ? f.person.jobTitle() : `${department} Manager`,
        location: f.helpers.arrayElement(['Austin', 'London', 'Berlin', 'Singapore', 'Toronto']),
        employeeNumber: String(100000 + i),
      },
    });
  }
  return { identities };
}

const idKey = (i: IscIdentity) => i.id;
const nameKey = (i: IscIdentity) => i.name;

export function identities(env: Environment): IscIdentity[] {
  return env.slice<IscIdentitiesState>('identities').identities;
}

/** O(1) lookup, indexed per identities array (rebuilt when an identity is added). */
export function findIdentity(env: Environment, id: string): IscIdentity | undefined {
  return indexBy(identities(env), idKey).get(id);
}

/** O(1) lookup by username (ISC `name`), e.g. for `login_hint`. */
export function findIdentityByName(env: Environment, name: string): IscIdentity | undefined {
  return indexBy(identities(env), nameKey).get(name);
}

/** Activate or deactivate an identity (S1: its PATs and live tokens stop working while it is inactive). */
export function setIdentityActive(env: Environment, id: string, active: boolean): IscIdentity | undefined {
  const identity = findIdentity(env, id);
  if (!identity) return undefined;
  identity.active = active;
  versions.set(identities(env), identitiesVersion(env) + 1);
  env.changed();
  return identity;
}

const byManager = new WeakMap<IscIdentity[], { size: number; map: Map<string, IscIdentity[]> }>();

/** The identities whose manager is `managerId` (indexed per identities array, rebuilt when an identity is added). */
export function directReports(env: Environment, managerId: string): readonly IscIdentity[] {
  const list = identities(env);
  let ix = byManager.get(list);
  if (!ix || ix.size !== list.length) {
    const map = new Map<string, IscIdentity[]>();
    for (const i of list) if (i.managerId) (map.get(i.managerId) ?? map.set(i.managerId, []).get(i.managerId)!).push(i);
    ix = { size: list.length, map };
    byManager.set(list, ix);
  }
  return ix.map.get(managerId) ?? [];
}

const versions = new WeakMap<IscIdentity[], number>();

/** Bumped when an identity changes in place (derived caches such as search documents compare it). */
export function identitiesVersion(env: Environment): number {
  const list = identities(env);
  return (versions.get(list) ?? 0) + list.length * 1_000_000;
}
