// /v3/oauth-clients rules (contract isc-v3-access-model-requests-search.openapi.json: listOauthClients,
// createOauthClient, getOauthClient, patchOauthClient, deleteOauthClient). A created client acts with "all the rights
// of the owner who created it" (contract CreateOAuthClientRequest.scope): its client-credentials tokens carry the
// creator's identity (S0). Its secret is shown only by create; deleting or disabling it revokes its live tokens.
import { randomBytes } from 'node:crypto';
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { Forbidden, Invalid, iscError } from '../../core/errors.js';
import { hexId } from '../../core/ids.js';
import { ISC_REFRESH_TTL, ISC_TOKEN_TTL, findApiClient, iscCredentials, invalidateApiClients } from './service.js';
import type { ApiClient } from './model.js';
import { isJsonObject } from '../../core/http.js';

const GRANTS = ['CLIENT_CREDENTIALS', 'AUTHORIZATION_CODE', 'REFRESH_TOKEN'] as const;
type Grant = (typeof GRANTS)[number];

const notFound = (id: string) => iscError(404, `OAuth client ${id} was not found.`, '404 Not found');

/**
 * API clients are managed from Admin > Global > Security Settings > API Management, an ORG_ADMIN page; the contract
 * lists only the sp:oauth-client scopes, so the emulator also requires ORG_ADMIN on the token's identity.
 */
function requireAdmin(p: Principal): void {
  if (!p.authorities.includes('ORG_ADMIN')) throw new Forbidden('ORG_ADMIN only');
}

/** contract GetOAuthClientResponse (every required field present; seeded clients get the product's defaults). */
export function oauthClientView(c: ApiClient) {
  return {
    id: c.clientId,
    businessName: c.businessName ?? null,
    homepageUrl: c.homepageUrl ?? null,
    name: c.name,
    description: c.description ?? null,
    accessTokenValiditySeconds: c.accessTokenValiditySeconds ?? ISC_TOKEN_TTL,
    refreshTokenValiditySeconds: c.refreshTokenValiditySeconds ?? ISC_REFRESH_TTL,
    redirectUris: c.redirectUris,
    grantTypes: c.grantTypes,
    accessType: c.accessType ?? 'OFFLINE',
    type: c.type ?? 'CONFIDENTIAL',
    internal: c.internal ?? false,
    enabled: c.enabled ?? true,
    strongAuthSupported: c.strongAuthSupported ?? false,
    claimsSupported: c.claimsSupported ?? false,
    created: c.created ?? '2025-01-01T00:00:00.000Z',
    modified: c.modified ?? c.created ?? '2025-01-01T00:00:00.000Z',
    secret: null,
    metadata: null,
    lastUsed: c.lastUsed ?? null,
    scope: c.scope,
  };
}

type Fields = Partial<Pick<ApiClient, 'name' | 'description' | 'businessName' | 'homepageUrl' | 'accessTokenValiditySeconds' | 'refreshTokenValiditySeconds' | 'redirectUris' | 'grantTypes' | 'accessType' | 'type' | 'internal' | 'enabled' | 'strongAuthSupported' | 'claimsSupported' | 'scope'>>;

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Validate one field's value (create body or patch `value`) into `out`; unknown fields are refused. */
function setField(out: Fields, field: string, v: unknown): void {
  switch (field) {
    case 'name':
      if (typeof v !== 'string' || !v.trim()) throw new Invalid("Field 'name' must be a non-empty string.");
      out.name = v;
      return;
    case 'description':
    case 'businessName':
    case 'homepageUrl':
      if (v !== null && typeof v !== 'string') throw new Invalid(`Field '${field}' must be a string.`);
      out[field] = v as string | null;
      return;
    case 'accessTokenValiditySeconds':
    case 'refreshTokenValiditySeconds':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 2_147_483_647) throw new Invalid(`Field '${field}' must be a positive integer.`);
      out[field] = v;
      return;
    case 'redirectUris':
      if (v !== null && !strings(v)) throw new Invalid("Field 'redirectUris' must be an array of strings.");
      if (v && v.some((u) => !URL.canParse(u))) throw new Invalid("Field 'redirectUris' must hold absolute URIs.");
      out.redirectUris = (v as string[] | null) ?? [];
      return;
    case 'grantTypes':
      if (!strings(v) || !v.length || v.some((g) => !GRANTS.includes(g as Grant))) throw new Invalid(`Field 'grantTypes' must be a non-empty array of ${GRANTS.join(', ')}.`);
      out.grantTypes = [...new Set(v as Grant[])];
      return;
    case 'accessType':
      if (v !== 'ONLINE' && v !== 'OFFLINE') throw new Invalid("Field 'accessType' must be ONLINE or OFFLINE.");
      out.accessType = v;
      return;
    case 'type':
      if (v !== 'CONFIDENTIAL' && v !== 'PUBLIC') throw new Invalid("Field 'type' must be CONFIDENTIAL or PUBLIC.");
      out.type = v;
      return;
    case 'internal':
    case 'enabled':
    case 'strongAuthSupported':
    case 'claimsSupported':
      if (typeof v !== 'boolean') throw new Invalid(`Field '${field}' must be a boolean.`);
      out[field] = v;
      return;
    case 'scope':
      if (v !== null && !strings(v)) throw new Invalid("Field 'scope' must be an array of strings.");
      // contract: "If no scope is specified, the client will be created with the default scope sp:scopes:all"
      out.scope = v && v.length ? (v as string[]) : ['sp:scopes:all'];
      return;
    default:
      throw new Invalid(`Field '${field}' is not supported.`);
  }
}

/** contract: "Provide one or more URIs when assigning the AUTHORIZATION_CODE grant type". */
function checkRedirects(c: Pick<ApiClient, 'grantTypes' | 'redirectUris'>): void {
  if (c.grantTypes.includes('AUTHORIZATION_CODE') && !c.redirectUris.length) throw new Invalid("Field 'redirectUris' must hold at least one URI when grantTypes includes AUTHORIZATION_CODE.");
}

export function listOauthClients(env: Environment, p: Principal) {
  requireAdmin(p);
  return iscCredentials(env).apiClients.map(oauthClientView);
}

export function getOauthClient(env: Environment, p: Principal, id: string) {
  requireAdmin(p);
  const c = findApiClient(env, id);
  if (!c) throw notFound(id);
  return oauthClientView(c);
}

const REQUIRED = ['name', 'description', 'accessTokenValiditySeconds', 'grantTypes', 'accessType', 'enabled'] as const;

export function createOauthClient(env: Environment, p: Principal, body: unknown) {
  requireAdmin(p);
  if (!isJsonObject(body)) throw new Invalid('The request body must be a JSON object.');
  // contract CreateOAuthClientRequest.required
  for (const k of REQUIRED) if (body[k] === undefined) throw new Invalid(`Required field '${k}' was missing.`);
  const f: Fields = {};
  for (const [k, v] of Object.entries(body)) if (v !== undefined) setField(f, k, v);
  const now = env.clock.nowIso();
  const client: ApiClient = {
    clientId: hexId(),
    clientSecret: randomBytes(32).toString('hex'),
    name: f.name!,
    identityId: p.id,
    scope: f.scope ?? ['sp:scopes:all'],
    grantTypes: f.grantTypes!,
    redirectUris: f.redirectUris ?? [],
    description: f.description ?? null,
    businessName: f.businessName ?? null,
    homepageUrl: f.homepageUrl ?? null,
    accessTokenValiditySeconds: f.accessTokenValiditySeconds!,
    refreshTokenValiditySeconds: f.refreshTokenValiditySeconds ?? ISC_REFRESH_TTL,
    accessType: f.accessType!,
    type: f.type ?? 'CONFIDENTIAL',
    internal: f.internal ?? false,
    enabled: f.enabled!,
    strongAuthSupported: f.strongAuthSupported ?? false,
    claimsSupported: f.claimsSupported ?? false,
    created: now,
    modified: now,
    lastUsed: null,
  };
  checkRedirects(client);
  iscCredentials(env).apiClients.push(client);
  invalidateApiClients(env);
  env.changed();
  const { secret: _none, metadata: _meta, lastUsed: _used, ...view } = oauthClientView(client);
  // contract CreateOAuthClientResponse: the secret, only on this call; businessName/homepageUrl/description are strings
  return { ...view, secret: client.clientSecret, businessName: view.businessName ?? '', homepageUrl: view.homepageUrl ?? '', description: view.description ?? '' };
}

const PATCHABLE = new Set(['businessName', 'homepageUrl', 'name', 'description', 'accessTokenValiditySeconds', 'refreshTokenValiditySeconds', 'redirectUris', 'grantTypes', 'accessType', 'enabled', 'strongAuthSupported', 'claimsSupported']);

export function patchOauthClient(env: Environment, p: Principal, id: string, ops: unknown) {
  requireAdmin(p);
  const client = findApiClient(env, id);
  if (!client) throw notFound(id);
  if (!Array.isArray(ops) || !ops.length) throw new Invalid('The request body must be a non-empty JSON Patch array.');
  const f: Fields = {};
  for (const op of ops as unknown[]) {
    if (!isJsonObject(op) || (op.op !== 'replace' && op.op !== 'add')) throw new Invalid(`Unsupported patch operation: ${isJsonObject(op) ? String(op.op) : 'none'}`);
    const field = typeof op.path === 'string' ? op.path.replace(/^\//, '') : '';
    // contract patchOauthClient: the patchable fields (tenant is accepted by the product but not modelled here)
    if (typeof op.path !== 'string') throw new Invalid("Operation 'path' must be a JSON Pointer.");
    if (!PATCHABLE.has(field)) throw new Invalid(`Path ${op.path} is not patchable.`);
    setField(f, field, op.value);
  }
  checkRedirects({ grantTypes: f.grantTypes ?? client.grantTypes, redirectUris: f.redirectUris ?? client.redirectUris });
  Object.assign(client, f, { modified: env.clock.nowIso() });
  env.changed();
  return oauthClientView(client);
}

export function deleteOauthClient(env: Environment, p: Principal, id: string): void {
  requireAdmin(p);
  const list = iscCredentials(env).apiClients;
  const i = list.findIndex((c) => c.clientId === id);
  if (i < 0) throw notFound(id);
  list.splice(i, 1);
  invalidateApiClients(env);
  env.changed();
}
