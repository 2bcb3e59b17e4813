// Reads of the access model as the contract's collection operations: each operation's documented `filters` fields and
// operators and `sorters` fields (contract parameter descriptions), over the rendered wire objects.
import type { Environment } from '../../environment.js';
import { identities, findIdentity } from '../identities/service.js';
import { notFound } from '../shared/errors.js';
import { collect, type CollectionSpec } from '../shared/filters.js';
import { accessIndex } from './service.js';
import { accessProfileDto, accountDto, entitlementDto, identityDto, publicIdentityDto, roleDto, sourceDto } from './dto.js';

type Query = Record<string, string | undefined>;
type Row = Record<string, unknown>;

// isc-v3 GET /public-identities: id eq,in; alias, email, firstname, lastname eq,sw; sorters name
const PUBLIC_IDENTITIES: CollectionSpec<Row> = {
  filters: { id: ['eq', 'in'], alias: ['eq', 'sw'], email: ['eq', 'sw'], firstname: ['eq', 'sw'], lastname: ['eq', 'sw'] },
  sorters: ['name'],
};
// isc-beta GET /identities
const IDENTITIES: CollectionSpec<Row> = {
  filters: { id: ['eq', 'in'], name: ['eq', 'sw'], alias: ['eq', 'sw'], firstname: ['eq', 'sw'], lastname: ['eq', 'sw'], email: ['eq', 'sw'], cloudStatus: ['eq'], processingState: ['eq'], correlated: ['eq'], protected: ['eq'] },
  sorters: ['name', 'alias', 'cloudStatus'],
};
const CMP = ['eq', 'in', 'ge', 'gt', 'le', 'lt', 'ne', 'isnull', 'sw'] as const;
// isc-v3 GET /sources
const SOURCES: CollectionSpec<Row> = {
  filters: {
    id: [...CMP], name: ['co', 'eq', 'in', 'sw', 'ge', 'gt', 'ne', 'isnull'], type: ['eq', 'in', 'ge', 'gt', 'ne', 'isnull', 'sw'], 'owner.id': [...CMP], features: ['ca', 'co'],
    created: ['eq', 'ge', 'gt', 'in', 'le', 'lt', 'ne', 'isnull', 'sw'], modified: ['eq', 'ge', 'gt', 'in', 'le', 'lt', 'ne', 'isnull', 'sw'], 'managementWorkgroup.id': [...CMP], description: ['eq', 'sw'],
    authoritative: ['eq', 'ne', 'isnull'], healthy: ['isnull'], status: [...CMP], connectionType: [...CMP], connectorName: ['eq', 'ge', 'gt', 'in', 'ne', 'isnull', 'sw'], category: ['co', 'eq', 'ge', 'gt', 'in', 'le', 'lt', 'ne', 'sw'],
  },
  sorters: ['type', 'created', 'modified', 'name', 'owner.name', 'healthy', 'status', 'id', 'description', 'owner.id', 'authoritative', 'managementWorkgroup.id', 'connectorName', 'connectionType'],
};
// isc-v3 GET /accounts
const ACCOUNTS: CollectionSpec<Row> = {
  filters: {
    id: ['eq', 'in', 'sw'], identityId: ['eq', 'in', 'sw'], name: ['eq', 'in', 'sw'], nativeIdentity: ['eq', 'in', 'sw'], hasEntitlements: ['eq'], sourceId: ['eq', 'in', 'sw'], uncorrelated: ['eq'], entitlements: ['eq'],
    origin: ['eq', 'in'], manuallyCorrelated: ['eq'], 'identity.name': ['eq', 'in', 'sw'], 'identity.correlated': ['eq'], 'identity.identityState': ['eq', 'in'], 'source.displayableName': ['eq', 'in'], 'source.authoritative': ['eq'],
    'source.connectionType': ['eq', 'in'], 'recommendation.method': ['eq', 'in', 'isnull'], created: ['eq', 'ge', 'gt', 'le', 'lt'], modified: ['eq', 'ge', 'gt', 'le', 'lt'],
  },
  sorters: ['id', 'name', 'created', 'modified', 'sourceId', 'identityId', 'nativeIdentity', 'uuid', 'manuallyCorrelated', 'entitlements', 'origin', 'identity.name', 'identity.identityState', 'identity.correlated', 'source.displayableName', 'source.authoritative', 'source.connectionType'],
  get: (r, f) => {
    if (f === 'entitlements') return r.hasEntitlements;
    if (f === 'identity.correlated') return !r.uncorrelated;
    if (f === 'identity.identityState') return r.identityState;
    if (f === 'source.displayableName') return r.sourceName;
    if (f === 'source.authoritative') return r.authoritative;
    if (f === 'source.connectionType') return r.connectionType;
    return f.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Row)[k] : undefined), r);
  },
};
// isc-beta GET /entitlements
const ENTITLEMENTS: CollectionSpec<Row> = {
  filters: { id: ['eq', 'in'], name: ['eq', 'in', 'sw'], type: ['eq', 'in'], attribute: ['eq', 'in'], value: ['eq', 'in', 'sw'], 'source.id': ['eq', 'in'], requestable: ['eq'], created: ['gt', 'lt', 'ge', 'le'], modified: ['gt', 'lt', 'ge', 'le'], 'owner.id': ['eq', 'in'] },
  sorters: ['id', 'name', 'created', 'modified', 'type', 'attribute', 'value', 'source.id', 'requestable'],
  get: (r, f) => (f === 'type' ? r.sourceSchemaObjectType : f.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Row)[k] : undefined), r)),
};
// isc-v3 GET /access-profiles/{id}/entitlements
const AP_ENTITLEMENTS: CollectionSpec<Row> = {
  filters: { id: ['eq', 'in'], name: ['eq', 'sw'], attribute: ['eq', 'sw'], value: ['eq', 'sw'], created: ['gt', 'lt', 'ge', 'le'], modified: ['gt', 'lt', 'ge', 'le'], 'owner.id': ['eq', 'in'], 'source.id': ['eq', 'in'] },
  sorters: ['name', 'attribute', 'value', 'created', 'modified'],
};
// isc-v3 GET /access-profiles
const ACCESS_PROFILES: CollectionSpec<Row> = {
  filters: { id: ['eq', 'in'], name: ['eq', 'sw'], created: ['gt', 'ge', 'le'], modified: ['gt', 'lt', 'ge', 'le'], 'owner.id': ['eq', 'in'], requestable: ['eq'], 'source.id': ['eq', 'in'] },
  sorters: ['name', 'created', 'modified'],
};
// isc-v3 GET /roles (limit ≤ 50)
const ROLES: CollectionSpec<Row> = {
  filters: { id: ['eq', 'in'], name: ['eq', 'sw'], created: ['gt', 'ge', 'le'], modified: ['lt', 'ge', 'le'], 'owner.id': ['eq', 'in'], requestable: ['eq'], dimensional: ['eq'] },
  sorters: ['name', 'created', 'modified'],
  maxLimit: 50,
};
// isc-v3 GET /roles/{id}/assigned-identities
const ROLE_IDENTITIES: CollectionSpec<Row> = {
  filters: { id: ['eq', 'in'], aliasName: ['eq', 'sw'], email: ['eq', 'sw'], name: ['eq', 'sw', 'co'] },
  sorters: ['id', 'name', 'aliasName', 'email'],
};
// isc-v3 GET /accounts/{id}/entitlements: paging only
const PAGING_ONLY: CollectionSpec<Row> = { filters: {}, sorters: [] };

const attr = (r: Row, key: string) => ((r.attributes as Array<{ key: string; value: string | null }>) ?? []).find((a) => a.key === key)?.value;

export function listPublicIdentities(env: Environment, q: Query) {
  const rows = identities(env).map((i) => ({ ...publicIdentityDto(env, i), _first: i.attributes.firstname, _last: i.attributes.lastname }));
  const res = collect<Row>(rows, q, { ...PUBLIC_IDENTITIES, get: (r, f) => (f === 'firstname' ? r._first : f === 'lastname' ? r._last : f === 'department' ? attr(r, f) : r[f]) });
  return { ...res, rows: res.rows.map(({ _first, _last, ...r }) => r) };
}

export function listIdentities(env: Environment, q: Query) {
  const rows: Row[] = identities(env).map((i) => identityDto(env, i));
  return collect<Row>(rows, q, {
    ...IDENTITIES,
    get: (r, f) => {
      const a = r.attributes as Row;
      if (f === 'firstname' || f === 'lastname') return a[f];
      if (f === 'email') return r.emailAddress;
      if (f === 'cloudStatus') return r.identityStatus;
      if (f === 'correlated') return true;
      if (f === 'protected') return false;
      return r[f];
    },
  });
}

export function getIdentity(env: Environment, id: string) {
  const i = findIdentity(env, id);
  if (!i) throw notFound();
  return identityDto(env, i);
}

export function listSources(env: Environment, q: Query) {
  return collect<Row>([...accessIndex(env).sources.values()].map((s) => sourceDto(env, s)), q, SOURCES);
}

export function getSource(env: Environment, id: string) {
  const s = accessIndex(env).sources.get(id);
  if (!s) throw notFound();
  return sourceDto(env, s);
}

export function listAccounts(env: Environment, q: Query) {
  return collect<Row>([...accessIndex(env).accounts.values()].map((a) => accountDto(env, a)), q, ACCOUNTS);
}

export function getAccount(env: Environment, id: string) {
  const a = accessIndex(env).accounts.get(id);
  if (!a) throw notFound();
  return accountDto(env, a);
}

export function listAccountEntitlements(env: Environment, id: string, q: Query) {
  const ix = accessIndex(env);
  const a = ix.accounts.get(id);
  if (!a) throw notFound();
  const rows = a.entitlementIds.map((e) => ix.entitlements.get(e)).filter((e) => !!e).map((e) => entitlementDto(env, e));
  return collect<Row>(rows, q, PAGING_ONLY);
}

export function listEntitlements(env: Environment, q: Query) {
  const ix = accessIndex(env);
  let rows = [...ix.entitlements.values()];
  // account-id: only the entitlements that account holds
  if (q['account-id'] !== undefined) {
    const a = ix.accounts.get(q['account-id']);
    rows = a ? a.entitlementIds.map((e) => ix.entitlements.get(e)).filter((e) => !!e) : [];
  }
  return collect<Row>(rows.map((e) => entitlementDto(env, e)), q, ENTITLEMENTS);
}

export function getEntitlement(env: Environment, id: string) {
  const e = accessIndex(env).entitlements.get(id);
  if (!e) throw notFound();
  return entitlementDto(env, e);
}

export function listAccessProfiles(env: Environment, q: Query) {
  return collect<Row>([...accessIndex(env).accessProfiles.values()].map((p) => accessProfileDto(env, p)), q, ACCESS_PROFILES);
}

export function getAccessProfile(env: Environment, id: string) {
  const p = accessIndex(env).accessProfiles.get(id);
  if (!p) throw notFound();
  return accessProfileDto(env, p);
}

export function listAccessProfileEntitlements(env: Environment, id: string, q: Query) {
  const ix = accessIndex(env);
  const p = ix.accessProfiles.get(id);
  if (!p) throw notFound();
  const rows = p.entitlementIds.map((e) => ix.entitlements.get(e)).filter((e) => !!e).map((e) => entitlementDto(env, e));
  return collect<Row>(rows, q, AP_ENTITLEMENTS);
}

export function listRoles(env: Environment, q: Query) {
  return collect<Row>([...accessIndex(env).roles.values()].map((r) => roleDto(env, r)), q, ROLES);
}

export function getRole(env: Environment, id: string) {
  const r = accessIndex(env).roles.get(id);
  if (!r) throw notFound();
  return roleDto(env, r);
}

/** contract RoleIdentity: who holds the role, and how (ACCESS_REQUEST or ROLE_MEMBERSHIP). */
export function listRoleAssignedIdentities(env: Environment, id: string, q: Query) {
  const ix = accessIndex(env);
  if (!ix.roles.get(id)) throw notFound();
  const rows: Row[] = [];
  for (const a of ix.holdersOf(id)) {
    const i = a.type === 'ROLE' ? findIdentity(env, a.identityId) : undefined;
    if (!i) continue;
    rows.push({ id: i.id, aliasName: i.name, name: i.displayName ?? i.name, email: i.email, roleAssignmentSource: a.source === 'ROLE_MEMBERSHIP' ? 'ROLE_MEMBERSHIP' : 'ACCESS_REQUEST' });
  }
  return collect<Row>(rows, q, ROLE_IDENTITIES);
}
