// ISC access tokens (SPEC §7, seeds 000/001): claims as ISC issues them, the /oauth/token grants (client credentials
// for API clients and PATs, authorization code, refresh token), and the guards that make a PAT die with its owner.
import { dropIndex, indexBy } from '../../core/indexes.js';
import { createHash, randomBytes } from 'node:crypto';
import type { Environment } from '../../environment.js';
import type { TokenClaims, TokenGuard } from '../../core/auth.js';
import { ApiError } from '../../core/errors.js';
import type { IscIdentity } from '../identities/model.js';
import { findIdentity, findIdentityByName } from '../identities/service.js';
import type { ApiClient, IscCredentialsState, PersonalAccessToken } from './model.js';

/** ISC answers client-credentials token requests with `expires_in: 749`. */
export const ISC_TOKEN_TTL = 749;
/** Default refresh-token validity of an ISC OAuth client (refreshTokenValiditySeconds). */
export const ISC_REFRESH_TTL = 86_400;
/** Authorization codes are single use and short lived. */
export const ISC_CODE_TTL = 300;
/** Control-plane tokens (POST /__emulator/token) carry this client id. */
export const CONTROL_PLANE_CLIENT = 'emulator-control-plane';

export interface IscTokenRequest {
  identity: IscIdentity;
  clientId: string;
  /** 'identity' for PAT / authorization-code tokens (a human), 'apiClient' for client credentials. */
  principalType: 'identity' | 'apiClient';
  patId?: string;
  scope?: string[];
  expiresIn?: number;
  /** Included in the response when the grant issues one (authorization code, refresh). */
  refreshToken?: string;
}

export function iscTenantId(env: Environment): string {
  return `${env.emulator.fixture.isc.tenant}-tenant-id`;
}

export async function mintIscAccessToken(env: Environment, req: IscTokenRequest) {
  const expiresIn = req.expiresIn ?? ISC_TOKEN_TTL;
  const scope = req.scope ?? ['sp:scopes:all'];
  const jti = randomBytes(16).toString('hex');
  const claims = {
    tenant_id: iscTenantId(env),
    internal: true,
    pod: 'emu01-local',
    org: env.emulator.fixture.isc.tenant,
    identity_id: req.identity.id,
    user_name: req.identity.name,
    strong_auth: true,
    authorities: req.identity.authorities,
    client_id: req.clientId,
    strong_auth_supported: false,
    scope,
    principalType: req.principalType,
    ...(req.patId ? { pat_id: req.patId } : {}),
  };
  const access_token = await env.tokens.mint({ ...claims, sub: req.identity.id, jti }, expiresIn);
  return {
    access_token,
    token_type: 'bearer' as const,
    ...(req.refreshToken ? { refresh_token: req.refreshToken } : {}),
    expires_in: expiresIn,
    scope: scope.join(' '),
    tenant_id: claims.tenant_id,
    internal: true,
    pod: claims.pod,
    strong_auth_supported: false,
    org: claims.org,
    identity_id: claims.identity_id,
    user_name: claims.user_name,
    strong_auth: true,
    jti,
  };
}

export type IscTokenResponse = Awaited<ReturnType<typeof mintIscAccessToken>>;

// ---------------------------------------------------------------- errors & lookups

/** OAuth2 error body of ISC's token endpoint (Spring Security OAuth2 wording). */
export function tokenError(status: 400 | 401, error: string, description: string): ApiError {
  return new ApiError(status, { error, error_description: description }, { 'cache-control': 'no-store', pragma: 'no-cache' });
}

export function iscCredentials(env: Environment): IscCredentialsState {
  return env.slice<IscCredentialsState>('iscCredentials');
}

const clientKey = (c: ApiClient) => c.clientId;
const patKey = (p: PersonalAccessToken) => p.id;

export function findApiClient(env: Environment, id: string): ApiClient | undefined {
  return indexBy(iscCredentials(env).apiClients, clientKey).get(id);
}

export function findPat(env: Environment, id: string): PersonalAccessToken | undefined {
  return indexBy(iscCredentials(env).personalAccessTokens, patKey).get(id);
}

export function invalidatePats(env: Environment): void {
  dropIndex(iscCredentials(env).personalAccessTokens);
}

/** Drop the client index after a delete (a delete then a create leaves the size unchanged). */
export function invalidateApiClients(env: Environment): void {
  dropIndex(iscCredentials(env).apiClients);
}

/** contract GetOAuthClientResponse.lastUsed: "does not get updated on every API Client usage, but only once a day". */
function touchLastUsed(env: Environment, holder: { lastUsed?: string | null }): void {
  const now = env.clock.now();
  if (!holder.lastUsed || now - Date.parse(holder.lastUsed) >= 86_400_000) {
    holder.lastUsed = env.clock.nowIso();
    env.changed();
  }
}

// ---------------------------------------------------------------- /oauth/token

export interface IscTokenContext {
  /** Query parameters merged with the form (urlencoded or multipart) body; the body wins. */
  params: Record<string, string>;
  authorization?: string;
}

/** Basic credentials are form-urlencoded (RFC 6749 §2.3.1); a malformed escape is taken literally, never a 500. */
function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

function clientAuth(req: IscTokenContext): { clientId?: string; secret?: string } {
  const m = req.authorization ? /^Basic\s+(\S+)\s*$/i.exec(req.authorization) : null;
  if (m) {
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i >= 0) return { clientId: safeDecode(decoded.slice(0, i)), secret: safeDecode(decoded.slice(i + 1)) };
  }
  return { clientId: req.params.client_id, secret: req.params.client_secret };
}

const BAD_CREDENTIALS = () => tokenError(401, 'invalid_client', 'Bad client credentials');
/** Spring's DisabledException: the PAT's owner (or the code's user) is deactivated (S1). */
const DISABLED = () => tokenError(401, 'unauthorized', 'User is disabled');

type Authenticated = { kind: 'client'; client: ApiClient } | { kind: 'pat'; pat: PersonalAccessToken };

function authenticate(env: Environment, req: IscTokenContext): Authenticated {
  const { clientId, secret } = clientAuth(req);
  if (!clientId || secret === undefined) throw BAD_CREDENTIALS();
  const client = findApiClient(env, clientId);
  if (client) {
    // a disabled client (PATCH /v3/oauth-clients enabled=false) authenticates no more
    if (client.clientSecret !== secret || client.enabled === false) throw BAD_CREDENTIALS();
    return { kind: 'client', client };
  }
  const pat = findPat(env, clientId);
  if (pat && pat.secret === secret) return { kind: 'pat', pat };
  throw BAD_CREDENTIALS();
}

export async function iscToken(env: Environment, req: IscTokenContext): Promise<IscTokenResponse> {
  const grant = req.params.grant_type;
  if (!grant) throw tokenError(400, 'invalid_request', 'Missing grant type');
  if (!['client_credentials', 'authorization_code', 'refresh_token'].includes(grant)) throw tokenError(400, 'unsupported_grant_type', `Unsupported grant type: ${grant}`);
  const who = authenticate(env, req);
  if (grant === 'client_credentials') return who.kind === 'pat' ? patGrant(env, who.pat) : clientCredentialsGrant(env, who.client);
  if (who.kind === 'pat') throw tokenError(400, 'invalid_client', `Unauthorized grant type: ${grant}`);
  return grant === 'authorization_code' ? authorizationCodeGrant(env, who.client, req) : refreshGrant(env, who.client, req);
}

function requireGrant(client: ApiClient, grant: ApiClient['grantTypes'][number]): void {
  if (!client.grantTypes.includes(grant)) throw tokenError(400, 'invalid_client', `Unauthorized grant type: ${grant.toLowerCase()}`);
}

async function clientCredentialsGrant(env: Environment, client: ApiClient): Promise<IscTokenResponse> {
  requireGrant(client, 'CLIENT_CREDENTIALS');
  // S0: no user context; the token acts as the client's service identity
  const identity = findIdentity(env, client.identityId);
  if (!identity) throw BAD_CREDENTIALS();
  if (!identity.active) throw DISABLED();
  touchLastUsed(env, client);
  return mintIscAccessToken(env, { identity, clientId: client.clientId, principalType: 'apiClient', scope: client.scope, expiresIn: client.accessTokenValiditySeconds });
}

async function patGrant(env: Environment, pat: PersonalAccessToken): Promise<IscTokenResponse> {
  const owner = findIdentity(env, pat.ownerId);
  if (!owner) throw BAD_CREDENTIALS();
  // S1: "when the identity that owns the workflows (and the PATs) is deactivated ... The PATs stop working"
  if (!owner.active) throw DISABLED();
  const now = env.clock.now();
  if (pat.expirationDate && Date.parse(pat.expirationDate) <= now) throw BAD_CREDENTIALS();
  touchLastUsed(env, pat);
  return mintIscAccessToken(env, { identity: owner, clientId: pat.id, principalType: 'identity', patId: pat.id, scope: pat.scope ?? undefined, expiresIn: pat.accessTokenValiditySeconds });
}

// ---------------------------------------------------------------- authorization code & refresh (in memory)

interface CodeEntry {
  clientId: string;
  identityId: string;
  redirectUri: string | undefined;
  scope: string[];
  exp: number;
  challenge?: string;
  challengeMethod?: string;
}

interface RefreshEntry {
  clientId: string;
  identityId: string;
  scope: string[];
  exp: number;
}

/** Authorization codes and refresh tokens live in the environment's runtime memory (reset and seed clear them). */
function store<T extends { exp: number }>(key: 'codes' | 'refreshTokens', env: Environment): Map<string, T> {
  const m = env.memory(`isc.oauth.${key}`, () => new Map<string, T>());
  const now = env.clock.nowSeconds();
  if (m.size > 5000) for (const [k, v] of m) if ((v as { exp: number }).exp <= now) m.delete(k);
  return m;
}

/** Takes a single-use code or refresh token of `client` out of memory (a code is single use, a refresh token rotates);
 *  unknown, another client's or expired: `invalid_grant` with `invalid`. */
function redeem<T extends { clientId: string; exp: number }>(env: Environment, key: 'codes' | 'refreshTokens', client: ApiClient, value: string, invalid: string): T {
  const m = store<T>(key, env);
  const entry = m.get(value);
  if (!entry || entry.clientId !== client.clientId || entry.exp <= env.clock.nowSeconds()) throw tokenError(400, 'invalid_grant', invalid);
  m.delete(value);
  return entry;
}

export interface AuthorizeRequest {
  client_id?: string;
  response_type?: string;
  redirect_uri?: string;
  state?: string;
  scope?: string;
  login_hint?: string;
  code_challenge?: string;
  code_challenge_method?: string;
}

export type AuthorizeOutcome =
  | { kind: 'error'; status: 400; error: string; description: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'choose'; client: ApiClient; identities: IscIdentity[] };

/** GET /oauth/authorize: validate the client, then either redirect (login_hint) or ask who logs in. */
export function authorize(env: Environment, q: AuthorizeRequest, listIdentities: () => IscIdentity[]): AuthorizeOutcome {
  const client = q.client_id ? findApiClient(env, q.client_id) : undefined;
  if (!client) return { kind: 'error', status: 400, error: 'invalid_client', description: 'Bad client credentials' };
  if (!client.grantTypes.includes('AUTHORIZATION_CODE')) return { kind: 'error', status: 400, error: 'unauthorized_client', description: 'Unauthorized grant type: authorization_code' };
  const redirect = q.redirect_uri ?? client.redirectUris[0];
  if (!redirect) return { kind: 'error', status: 400, error: 'invalid_request', description: 'A redirect_uri must be supplied.' };
  if (!URL.canParse(redirect)) return { kind: 'error', status: 400, error: 'invalid_request', description: `Invalid redirect: ${redirect} does not match one of the registered values.` };
  if (client.redirectUris.length && !client.redirectUris.includes(redirect)) {
    return { kind: 'error', status: 400, error: 'invalid_request', description: `Invalid redirect: ${redirect} does not match one of the registered values.` };
  }
  if (q.response_type !== 'code') return { kind: 'error', status: 400, error: 'unsupported_response_type', description: `Unsupported response types: [${q.response_type ?? ''}]` };
  const back = (params: Record<string, string>) => {
    const url = new URL(redirect);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    if (q.state !== undefined) url.searchParams.set('state', q.state);
    return url.toString();
  };
  if (q.login_hint === undefined) return { kind: 'choose', client, identities: listIdentities().filter((i) => i.active && !i.service) };
  const identity = findIdentity(env, q.login_hint) ?? findIdentityByName(env, q.login_hint);
  if (!identity || !identity.active) return { kind: 'redirect', location: back({ error: 'access_denied', error_description: 'User is disabled or unknown' }) };
  const code = randomBytes(12).toString('base64url');
  store<CodeEntry>('codes', env).set(code, {
    clientId: client.clientId,
    identityId: identity.id,
    redirectUri: q.redirect_uri,
    scope: q.scope ? q.scope.split(/[\s+]+/).filter(Boolean) : client.scope,
    exp: env.clock.nowSeconds() + ISC_CODE_TTL,
    challenge: q.code_challenge,
    challengeMethod: q.code_challenge_method,
  });
  return { kind: 'redirect', location: back({ code }) };
}

async function issueForIdentity(env: Environment, client: ApiClient, identityId: string, scope: string[]): Promise<IscTokenResponse> {
  const identity = findIdentity(env, identityId);
  if (!identity) throw tokenError(400, 'invalid_grant', 'Identity not found');
  if (!identity.active) throw DISABLED();
  let refreshToken: string | undefined;
  if (client.grantTypes.includes('REFRESH_TOKEN')) {
    refreshToken = randomBytes(32).toString('base64url');
    store<RefreshEntry>('refreshTokens', env).set(refreshToken, { clientId: client.clientId, identityId, scope, exp: env.clock.nowSeconds() + (client.refreshTokenValiditySeconds ?? ISC_REFRESH_TTL) });
  }
  touchLastUsed(env, client);
  return mintIscAccessToken(env, { identity, clientId: client.clientId, principalType: 'identity', scope, refreshToken, expiresIn: client.accessTokenValiditySeconds });
}

async function authorizationCodeGrant(env: Environment, client: ApiClient, req: IscTokenContext): Promise<IscTokenResponse> {
  requireGrant(client, 'AUTHORIZATION_CODE');
  const code = req.params.code;
  if (!code) throw tokenError(400, 'invalid_request', 'An authorization code must be supplied.');
  const entry = redeem<CodeEntry>(env, 'codes', client, code, `Invalid authorization code: ${code}`);
  if (entry.redirectUri !== undefined && req.params.redirect_uri !== entry.redirectUri) throw tokenError(400, 'invalid_grant', 'Redirect URI mismatch.');
  if (entry.challenge) {
    const verifier = req.params.code_verifier ?? '';
    const computed = entry.challengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
    if (computed !== entry.challenge) throw tokenError(400, 'invalid_grant', 'Invalid code verifier');
  }
  return issueForIdentity(env, client, entry.identityId, entry.scope);
}

async function refreshGrant(env: Environment, client: ApiClient, req: IscTokenContext): Promise<IscTokenResponse> {
  requireGrant(client, 'REFRESH_TOKEN');
  const token = req.params.refresh_token;
  if (!token) throw tokenError(400, 'invalid_request', 'A refresh token must be supplied.');
  const entry = redeem<RefreshEntry>(env, 'refreshTokens', client, token, `Invalid refresh token: ${token}`);
  return issueForIdentity(env, client, entry.identityId, entry.scope);
}

// ---------------------------------------------------------------- guard

/**
 * Checked on every use of an ISC token (S1, issue "Authentication"): a deleted PAT, or a deactivated/removed
 * identity behind the token (PAT owner, authorization-code user, API client's service identity) → 401.
 */
export function iscTokenGuard(env: Environment): TokenGuard {
  return (claims: TokenClaims) => {
    if (typeof claims.pat_id === 'string' && !findPat(env, claims.pat_id)) return 'personal access token deleted';
    const id = typeof claims.identity_id === 'string' ? claims.identity_id : undefined;
    if (id) {
      const identity = findIdentity(env, id);
      if (!identity) return 'identity removed';
      if (!identity.active) return 'identity inactive';
    }
    // a deleted or disabled API client takes its tokens with it (client credentials and authorization-code logins)
    if (typeof claims.client_id === 'string' && typeof claims.pat_id !== 'string' && claims.client_id !== CONTROL_PLANE_CLIENT) {
      const client = findApiClient(env, claims.client_id);
      if (!client) return 'API client deleted';
      if (client.enabled === false) return 'API client disabled';
    }
    return undefined;
  };
}
