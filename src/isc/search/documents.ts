// Search documents derived from the access model, never stored apart from it (contract IdentityDocument,
// AccessProfileDocument, RoleDocument, EntitlementDocument; DocumentFields pod/org/_type/_version). An index's
// documents are built once per model version (accessIndex.version, identity count) and reused until the model changes.
import type { Environment } from '../../environment.js';
import type { IscIdentity } from '../identities/model.js';
import { directReports, findIdentity, identities, identitiesVersion } from '../identities/service.js';
import { accessIndex, identityAccess } from '../access/service.js';
import type { AccessProfile, Entitlement, Role } from '../access/model.js';

export type SearchDoc = Record<string, unknown> & { id: string };
export const MODEL_INDICES = ['identities', 'accessprofiles', 'roles', 'entitlements'] as const;
export type ModelIndex = (typeof MODEL_INDICES)[number];

const POD = 'emu01-local';

function fields(env: Environment, type: string) {
  return { pod: POD, org: env.emulator.fixture.isc.tenant, _type: type, type, _version: 'v7' };
}

function display(env: Environment, id: string | null) {
  const i = id ? findIdentity(env, id) : undefined;
  return i ? { type: 'IDENTITY', id: i.id, name: i.name, displayName: i.displayName ?? i.name, email: i.email } : null;
}

function entitlementSummary(env: Environment, e: Entitlement) {
  const source = accessIndex(env).sources.get(e.sourceId);
  return { id: e.id, name: e.name, displayName: e.name, description: e.description, attribute: e.attribute, value: e.value, schema: e.sourceSchemaObjectType, privileged: e.privileged, hasPermissions: e.permissions.length > 0, source: { id: e.sourceId, name: source?.name ?? '' } };
}

export function identityDocument(env: Environment, i: IscIdentity): SearchDoc {
  const ix = accessIndex(env);
  const access = identityAccess(env, i.id);
  const hr = [...ix.sources.values()].find((s) => s.authoritative);
  const manager = i.managerId ? findIdentity(env, i.managerId) : undefined;
  const items = [
    ...access.roles.map(({ role }) => ({ id: role.id, name: role.name, displayName: role.name, description: role.description, type: 'ROLE', owner: display(env, role.ownerId), disabled: !role.enabled, revocable: true })),
    ...access.accessProfiles.map(({ accessProfile: p, source }) => ({ id: p.id, name: p.name, displayName: p.name, description: p.description, type: 'ACCESS_PROFILE', source: { id: source.id, name: source.name }, owner: display(env, p.ownerId), revocable: true })),
    ...access.entitlements.map(({ entitlement: e, source }) => ({ id: e.id, name: e.name, displayName: e.name, description: e.description, type: 'ENTITLEMENT', source: { id: source.id, name: source.name }, privileged: e.privileged, attribute: e.attribute, value: e.value, standalone: !!access.entitlements.find((x) => x.entitlement.id === e.id)?.grant })),
  ];
  return {
    id: i.id,
    name: i.name,
    displayName: i.displayName ?? i.name,
    firstName: i.attributes.firstname ?? '',
    lastName: i.attributes.lastname ?? '',
    email: i.email,
    created: i.created ?? null,
    modified: i.created ?? null,
    phone: '',
    synced: i.created ?? env.clock.nowIso(),
    inactive: !i.active,
    protected: false,
    status: i.active ? 'ACTIVE' : 'DISABLED',
    employeeNumber: i.attributes.employeeNumber ?? '',
    manager: manager ? { id: manager.id, name: manager.name, displayName: manager.displayName ?? manager.name } : null,
    isManager: directReports(env, i.id).length > 0,
    identityProfile: { id: hr?.id ?? '', name: hr ? `${hr.name} Profile` : '' },
    source: hr ? { id: hr.id, name: hr.name } : {},
    attributes: { ...i.attributes, cloudLifecycleState: i.lifecycleState, department: i.attributes.department },
    disabled: !i.active,
    locked: false,
    processingState: null,
    accounts: access.accounts.map(({ account: a, source }) => ({ id: a.id, name: a.name, accountId: a.nativeIdentity, source: { id: source.id, name: source.name, type: source.type }, disabled: a.disabled, locked: a.locked, privileged: false, manuallyCorrelated: a.manuallyCorrelated, entitlementAttributes: { [source.entitlementAttribute]: a.entitlementIds.map((id) => ix.entitlements.get(id)?.value).filter(Boolean) }, created: a.created })),
    accountCount: access.accounts.length,
    apps: [],
    appCount: 0,
    access: items,
    accessCount: items.length,
    entitlementCount: access.entitlements.length,
    roleCount: access.roles.length,
    accessProfileCount: access.accessProfiles.length,
    owns: [],
    ownsCount: 0,
    tags: [],
    tagsCount: 0,
    visibleSegments: null,
    visibleSegmentCount: 0,
    ...fields(env, 'identity'),
  };
}

/** What access profile and role documents share, in their order: identity, dates, flags, owner. */
function requestableFields(env: Environment, x: AccessProfile | Role) {
  return {
    id: x.id,
    name: x.name,
    description: x.description ?? '',
    created: x.created,
    modified: x.modified,
    synced: x.modified,
    enabled: x.enabled,
    requestable: x.requestable,
    requestCommentsRequired: x.accessRequestConfig.commentsRequired,
    owner: display(env, x.ownerId) ?? {},
  };
}

export function accessProfileDocument(env: Environment, p: AccessProfile): SearchDoc {
  const ix = accessIndex(env);
  const source = ix.sources.get(p.sourceId);
  const ents = p.entitlementIds.map((id) => ix.entitlements.get(id)).filter((e): e is Entitlement => !!e);
  return {
    ...requestableFields(env, p),
    source: { id: p.sourceId, name: source?.name ?? '' },
    entitlements: ents.map((e) => entitlementSummary(env, e)),
    entitlementCount: ents.length,
    segments: [],
    segmentCount: 0,
    tags: [],
    apps: [],
    ...fields(env, 'accessprofile'),
  };
}

export function roleDocument(env: Environment, r: Role): SearchDoc {
  const ix = accessIndex(env);
  const aps = r.accessProfileIds.map((id) => ix.accessProfiles.get(id)).filter((a): a is AccessProfile => !!a);
  const ents = r.entitlementIds.map((id) => ix.entitlements.get(id)).filter((e): e is Entitlement => !!e);
  return {
    ...requestableFields(env, r),
    accessProfiles: aps.map((a) => ({ id: a.id, name: a.name })),
    accessProfileCount: aps.length,
    entitlements: ents.map((e) => entitlementSummary(env, e)),
    entitlementCount: ents.length,
    tags: [],
    segments: [],
    segmentCount: 0,
    dimensional: r.dimensional,
    ...fields(env, 'role'),
  };
}

export function entitlementDocument(env: Environment, e: Entitlement): SearchDoc {
  const source = accessIndex(env).sources.get(e.sourceId);
  return {
    id: e.id,
    name: e.name,
    displayName: e.name,
    description: e.description,
    modified: e.modified,
    created: e.created,
    synced: e.modified,
    source: { id: e.sourceId, name: source?.name ?? '' },
    segments: [],
    segmentCount: 0,
    requestable: e.requestable,
    cloudGoverned: e.cloudGoverned,
    privileged: e.privileged,
    tags: [],
    attribute: e.attribute,
    value: e.value,
    sourceSchemaObjectType: e.sourceSchemaObjectType,
    schema: e.sourceSchemaObjectType,
    hash: e.id.slice(0, 16),
    attributes: {},
    truncatedAttributes: [],
    containsDataAccess: false,
    manuallyUpdatedFields: null,
    permissions: e.permissions,
    ...fields(env, 'entitlement'),
  };
}

interface Cached {
  ix: object;
  version: number;
  people: number;
  docs: SearchDoc[];
  byId: Map<string, SearchDoc>;
}

/** Every document of a model index, rebuilt only when the model changed since the last search. */
export function modelDocuments(env: Environment, index: ModelIndex): Cached {
  const ix = accessIndex(env);
  const people = identities(env);
  const perState = env.memory('iscSearch.documents', () => new Map<ModelIndex, Cached>());
  const hit = perState.get(index);
  if (hit && hit.ix === ix && hit.version === ix.version && hit.people === identitiesVersion(env)) return hit;
  const docs =
    index === 'identities'
      ? people.map((i) => identityDocument(env, i))
      : index === 'accessprofiles'
        ? [...ix.accessProfiles.values()].map((p) => accessProfileDocument(env, p))
        : index === 'roles'
          ? [...ix.roles.values()].map((r) => roleDocument(env, r))
          : [...ix.entitlements.values()].map((e) => entitlementDocument(env, e));
  const built: Cached = { ix, version: ix.version, people: identitiesVersion(env), docs, byId: new Map(docs.map((d) => [d.id, d])) };
  perState.set(index, built);
  return built;
}
