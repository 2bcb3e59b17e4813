// AIC access tokens: the grants of AM's /oauth2/access_token (S4 L13990–14080) and the token guards that make
// revocation immediate. Claims are shaped like AM's stateless OAuth2 tokens, signed with the environment's key.
import { dropIndex, indexBy } from '../../core/indexes.js';
import type { createLocalJWKSet, JWTPayload } from 'jose';
import { jose } from '../../core/jose.js';
import type { Environment } from '../../environment.js';
import type { Principal, TokenClaims, TokenGuard } from '../../core/auth.js';
import { ApiError } from '../../core/errors.js';
import { scopeCovers } from '../../core/scopes.js';
import { findUser, findUserByName } from '../governance/service.js';
import { isActiveStatus, type AicCredentialsState, type OAuthClient, type ServiceAccount } from './model.js';
import { ADMIN_UI_CLIENTS } from './model.js';

/** S4 L14040: service-account access tokens live 899 s. */
export const SERVICE_ACCOUNT_TOKEN_TTL = 899;
export const DEFAULT_TOKEN_TTL = 3599;
/** AM's default refresh-token lifetime (7 days). */
export const REFRESH_TOKEN_TTL = 604_800;
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** S4 L14060: the built-in public client for service accounts. */
export const SERVICE_ACCOUNT_CLIENT = 'service-account';

export interface AicTokenRequest {
  sub: string;
  subname?: string;
  scopes: string[];
  principalType: Principal['type'];
  /** The OAuth client (`service-account` for the JWT-bearer grant). */
  clientId: string;
  grantType: string;
  expiresIn?: number;
}

export interface AicTokenResponse {
  access_token: string;
  refresh_token?: string;
  scope: string;
  token_type: 'Bearer';
  expires_in: number;
}

export async function mintAicAccessToken(env: Environment, req: AicTokenRequest): Promise<AicTokenResponse> {
  const expiresIn = req.expiresIn ?? (req.principalType === 'serviceAccount' ? SERVICE_ACCOUNT_TOKEN_TTL : DEFAULT_TOKEN_TTL);
  const access_token = await env.tokens.mint(
    {
      sub: req.sub,
      subname: req.subname ?? req.sub,
      aud: req.clientId,
      scope: req.scopes,
      principalType: req.principalType,
      cts: 'OAUTH2_STATELESS_GRANT',
      auditTrackingId: crypto.randomUUID(),
      tokenName: 'access_token',
      token_type: 'Bearer',
      authGrantType: req.grantType,
      realm: '/',
      env: env.name,
    },
    expiresIn,
  );
  return { access_token, scope: req.scopes.join(' '), token_type: 'Bearer', expires_in: expiresIn };
}

// ---------------------------------------------------------------- errors

/** OAuth2 error body as AM sends it (RFC 6749 §5.2): 400 unless the client authenticated with a Basic header. */
export function oauthError(status: 400 | 401, error: string, description: string, headers: Record<string, string> = {}): ApiError {
  return new ApiError(status, { error_description: description, error }, { 'cache-control': 'no-store', pragma: 'no-cache', ...headers });
}

// ---------------------------------------------------------------- lookups (O(1), indexed per array)

const clientKey = (c: OAuthClient) => c.clientId;
const idKey = (s: ServiceAccount) => s._id;

/** The tenant administrator still exists (tokens from its login stop working when it is removed). */
export function tenantAdminExists(env: Environment, id: string): boolean {
  return (credentialsState(env).tenantAdmins ?? []).some((a) => a._id === id);
}

export function credentialsState(env: Environment): AicCredentialsState {
  return env.slice<AicCredentialsState>('credentials');
}

export function findClient(env: Environment, clientId: string): OAuthClient | undefined {
  return indexBy(credentialsState(env).oauthClients, clientKey).get(clientId);
}

export function findServiceAccount(env: Environment, id: string): ServiceAccount | undefined {
  return indexBy(credentialsState(env).serviceAccounts, idKey).get(id);
}

/** Call after adding, replacing or removing service accounts. */
export function invalidateServiceAccounts(env: Environment): void {
  dropIndex(credentialsState(env).serviceAccounts);
}

// ---------------------------------------------------------------- token request

export interface TokenRequestContext {
  /** Form parameters of the request body. */
  params: Record<string, string>;
  /** Authorization header, if any (client_secret_basic). */
  authorization?: string;
  /** URLs this endpoint answers to (the assertion's `aud` must be one of them). */
  audiences: string[];
}

function parseScopes(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const list = raw.split(/[\s+]+/).filter(Boolean);
  return list.length ? [...new Set(list)] : undefined;
}

/** Requested scopes must each be covered by an allowed one (S4 L14068: "the same as (or a subset of)"). */
function checkScopes(requested: string[] | undefined, allowed: string[], describe = (invalid: string[]) => `Unknown/invalid scope(s): [${invalid.join(', ')}]`): string[] {
  if (!requested) {
    // AM: without a scope parameter the client's default scopes apply; none configured → error
    if (!allowed.length) throw oauthError(400, 'invalid_scope', 'No scope requested and no default scope configured');
    return allowed;
  }
  const invalid = requested.filter((r) => !allowed.some((a) => scopeCovers(a, r)));
  if (invalid.length) throw oauthError(400, 'invalid_scope', describe(invalid));
  return requested;
}

interface ClientAuth {
  clientId?: string;
  secret?: string;
  basic: boolean;
}

/** Basic credentials are form-urlencoded (RFC 6749 §2.3.1); a malformed escape is taken literally, never a 500. */
function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

export function clientAuth(req: TokenRequestContext): ClientAuth {
  const h = req.authorization;
  const m = h ? /^Basic\s+(\S+)\s*$/i.exec(h) : null;
  if (m) {
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i >= 0) return { clientId: safeDecode(decoded.slice(0, i)), secret: safeDecode(decoded.slice(i + 1)), basic: true };
  }
  return { clientId: req.params.client_id, secret: req.params.client_secret, basic: false };
}

function authenticateClient(env: Environment, auth: ClientAuth): OAuthClient {
  const client = auth.clientId ? findClient(env, auth.clientId) : undefined;
  if (!client || auth.secret === undefined || client.clientSecret !== auth.secret) {
    // RFC 6749 §5.2 as AM applies it: 401 + WWW-Authenticate when the client used the Authorization header
    if (auth.basic) throw oauthError(401, 'invalid_client', 'Client authentication failed', { 'www-authenticate': 'Basic realm="/"' });
    throw oauthError(400, 'invalid_client', 'Client authentication failed');
  }
  return client;
}

function requireGrant(client: OAuthClient, grant: OAuthClient['grantTypes'][number]): void {
  if (!client.grantTypes.includes(grant) && !(grant === 'client_credentials' && client.grantTypes.length === 0)) {
    throw oauthError(400, 'unauthorized_client', `Client is not authorized to use the requested grant type: ${grant}`);
  }
}

/** Dispatch on grant_type (authorization_code: session.ts exchangeCode, chosen by the route). Throws ApiError with the OAuth2 body on any failure; state changes only on success. */
export async function accessToken(env: Environment, req: TokenRequestContext): Promise<AicTokenResponse> {
  const grant = req.params.grant_type;
  if (!grant) throw oauthError(400, 'invalid_request', "Missing parameter, 'grant_type'");
  switch (grant) {
    case JWT_BEARER:
      return jwtBearerGrant(env, req);
    case 'client_credentials':
      return clientCredentialsGrant(env, req);
    case 'password':
      return passwordGrant(env, req);
    case 'refresh_token':
      return refreshTokenGrant(env, req);
    default:
      throw oauthError(400, 'unsupported_grant_type', `Grant type is not supported: ${grant}`);
  }
}

// ---------------------------------------------------------------- JWT bearer (service accounts)

/** Parsed key sets by their JSON text (runtime memory of the environment). */
const jwksCache = (env: Environment) => env.memory('aic.oauth.jwks', () => new Map<string, ReturnType<typeof createLocalJWKSet>>());

async function accountKeySet(env: Environment, sa: ServiceAccount): Promise<ReturnType<typeof createLocalJWKSet> | undefined> {
  const cache = jwksCache(env);
  let set = cache.get(sa.jwks);
  if (!set) {
    const { createLocalJWKSet } = await jose();
    try {
      const parsed = JSON.parse(sa.jwks) as { keys?: unknown };
      if (!Array.isArray(parsed.keys)) return undefined;
      set = createLocalJWKSet({ keys: parsed.keys as never });
    } catch {
      return undefined;
    }
    if (cache.size > 1000) cache.delete(cache.keys().next().value!);
    cache.set(sa.jwks, set);
  }
  return set;
}

/** Used assertion ids per environment, kept until the assertion's own expiry (RFC 7523 §3 item 7). */
function replayed(env: Environment, key: string, exp: number): boolean {
  const seen = env.memory('aic.oauth.usedJtis', () => new Map<string, number>());
  const now = env.clock.nowSeconds();
  if (seen.size > 10_000) for (const [k, e] of seen) if (e <= now) seen.delete(k);
  const prev = seen.get(key);
  if (prev !== undefined && prev > now) return true;
  seen.set(key, exp);
  return false;
}

/** Normalised URL for audience comparison (default ports dropped, no trailing slash). */
export function normaliseUrl(u: string): string | undefined {
  try {
    // Frodo builds aud as `${origin}:${port}${path}`, doubling a non-default port (`http://h:8080:8080/am/…`)
    const url = new URL(u.replace(/^([a-z][\w+.-]*:\/\/[^/:?#]+):(\d+):\2(?=[/?#]|$)/i, '$1:$2'));
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return undefined;
  }
}

async function jwtBearerGrant(env: Environment, req: TokenRequestContext): Promise<AicTokenResponse> {
  // S4 L14060: the built-in public client `service-account` only allows this grant
  if (req.params.client_id !== SERVICE_ACCOUNT_CLIENT) throw oauthError(400, 'invalid_client', 'Client authentication failed');
  const assertion = req.params.assertion;
  if (!assertion) throw oauthError(400, 'invalid_request', "Missing parameter, 'assertion'");
  const { decodeJwt, jwtVerify, errors: joseErrors } = await jose();
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(assertion);
  } catch {
    throw oauthError(400, 'invalid_grant', 'JWT is malformed');
  }
  // S4 L14000: iss = sub = the service account id
  if (!unverified.iss || unverified.iss !== unverified.sub) throw oauthError(400, 'invalid_grant', 'JWT issuer and subject must both be the service account id');
  const sa = findServiceAccount(env, unverified.sub!);
  if (!sa) throw oauthError(400, 'invalid_grant', 'Unknown service account');
  // SPEC §1: inactive accounts get no tokens
  if (!isActiveStatus(sa.accountStatus)) throw oauthError(400, 'invalid_grant', 'Service account is inactive');
  const keys = await accountKeySet(env, sa);
  if (!keys) throw oauthError(400, 'invalid_grant', 'Service account has no usable public key');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(assertion, keys, {
      algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256'],
      currentDate: new Date(env.clock.now()),
      requiredClaims: ['exp'],
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw oauthError(400, 'invalid_grant', 'JWT has expired');
    if (err instanceof joseErrors.JWTClaimValidationFailed) throw oauthError(400, 'invalid_grant', `JWT is invalid: ${err.message}`);
    throw oauthError(400, 'invalid_grant', 'JWT signature is invalid');
  }
  // S4 L14003: aud = this token endpoint's URL
  const auds = (Array.isArray(payload.aud) ? payload.aud : [payload.aud]).filter((a): a is string => typeof a === 'string').map(normaliseUrl);
  const accepted = new Set(req.audiences.map(normaliseUrl));
  if (!auds.some((a) => a && accepted.has(a))) throw oauthError(400, 'invalid_grant', 'Audience validation failed');
  // AIC's wording, which clients parse: Frodo drops the listed scopes and retries (frodo-lib getFreshSaBearerToken)
  const scopes = checkScopes(parseScopes(req.params.scope), sa.scopes, (invalid) => `Unsupported scope for service account: ${invalid.join(',')}`);
  // RFC 7523 §3: a jti may not be replayed while the assertion is valid
  if (typeof payload.jti === 'string' && replayed(env, `${sa._id}\u0000${payload.jti}`, payload.exp!)) {
    throw oauthError(400, 'invalid_grant', 'JWT has already been used (jti replay)');
  }
  return mintAicAccessToken(env, { sub: sa._id, subname: sa.name, scopes, principalType: 'serviceAccount', clientId: SERVICE_ACCOUNT_CLIENT, grantType: 'jwt-bearer' });
}

// ---------------------------------------------------------------- client credentials, password, refresh

async function clientCredentialsGrant(env: Environment, req: TokenRequestContext): Promise<AicTokenResponse> {
  const client = authenticateClient(env, clientAuth(req));
  requireGrant(client, 'client_credentials');
  const scopes = checkScopes(parseScopes(req.params.scope), client.scopes);
  return mintAicAccessToken(env, { sub: client.clientId, subname: client.clientId, scopes, principalType: 'oauthClient', clientId: client.clientId, grantType: 'client_credentials' });
}

interface RefreshEntry {
  clientId: string;
  sub: string;
  subname: string;
  scopes: string[];
  principalType: Principal['type'];
  exp: number;
}

/** Refresh tokens are opaque and kept in the environment's memory (a restart, reset or seed forgets them). */
function refreshStore(env: Environment): Map<string, RefreshEntry> {
  return env.memory('aic.oauth.refreshTokens', () => new Map<string, RefreshEntry>());
}

async function withRefresh(env: Environment, client: OAuthClient, res: AicTokenResponse, entry: Omit<RefreshEntry, 'exp' | 'clientId'>): Promise<AicTokenResponse> {
  if (!client.grantTypes.includes('refresh_token')) return res;
  const token = crypto.randomUUID().replace(/-/g, '') + crypto.randomUUID().replace(/-/g, '');
  refreshStore(env).set(token, { ...entry, clientId: client.clientId, exp: env.clock.nowSeconds() + REFRESH_TOKEN_TTL });
  const { access_token, ...rest } = res;
  return { access_token, refresh_token: token, ...rest };
}

async function passwordGrant(env: Environment, req: TokenRequestContext): Promise<AicTokenResponse> {
  const client = authenticateClient(env, clientAuth(req));
  requireGrant(client, 'password');
  const { username, password } = req.params;
  if (!username || password === undefined) throw oauthError(400, 'invalid_request', "Missing parameter, 'username' or 'password'");
  const user = findUserByName(env, username) ?? findUser(env, username);
  if (!user || user.password === undefined || user.password !== password || user.accountStatus !== 'active') {
    throw oauthError(400, 'invalid_grant', 'Authentication failed');
  }
  const scopes = checkScopes(parseScopes(req.params.scope), client.scopes);
  const res = await mintAicAccessToken(env, { sub: user._id, subname: user.userName, scopes, principalType: 'user', clientId: client.clientId, grantType: 'password' });
  return withRefresh(env, client, res, { sub: user._id, subname: user.userName, scopes, principalType: 'user' });
}

async function refreshTokenGrant(env: Environment, req: TokenRequestContext): Promise<AicTokenResponse> {
  const client = authenticateClient(env, clientAuth(req));
  requireGrant(client, 'refresh_token');
  const token = req.params.refresh_token;
  if (!token) throw oauthError(400, 'invalid_request', "Missing parameter, 'refresh_token'");
  const store = refreshStore(env);
  const entry = store.get(token);
  if (!entry || entry.clientId !== client.clientId || entry.exp <= env.clock.nowSeconds()) {
    throw oauthError(400, 'invalid_grant', 'grant is invalid');
  }
  if (entry.principalType === 'user') {
    const user = findUser(env, entry.sub);
    if (!user || user.accountStatus !== 'active') throw oauthError(400, 'invalid_grant', 'grant is invalid');
  }
  const requested = parseScopes(req.params.scope);
  const scopes = requested ? checkScopes(requested, entry.scopes) : entry.scopes;
  store.delete(token); // rotation: AM issues a new refresh token on refresh by default
  const res = await mintAicAccessToken(env, { sub: entry.sub, subname: entry.subname, scopes, principalType: entry.principalType, clientId: client.clientId, grantType: 'refresh_token' });
  return withRefresh(env, client, res, { sub: entry.sub, subname: entry.subname, scopes, principalType: entry.principalType });
}

// ---------------------------------------------------------------- introspection & revocation (RFC 7662, RFC 7009)

/** Access tokens revoked through /oauth2/token/revoke, by jti until their own expiry (the environment's memory). */
function revokedSet(env: Environment): Map<string, number> {
  return env.memory('aic.oauth.revoked', () => new Map<string, number>());
}

/** Confidential clients authenticate; the built-in admin-UI clients are public. */
function callerClient(env: Environment, req: TokenRequestContext): string {
  const auth = clientAuth(req);
  if (auth.clientId && (ADMIN_UI_CLIENTS.includes(auth.clientId) || auth.clientId === SERVICE_ACCOUNT_CLIENT)) return auth.clientId;
  return authenticateClient(env, auth).clientId;
}

/** POST /oauth2/introspect: `{active:false}` for anything not currently valid here. */
export async function introspect(env: Environment, req: TokenRequestContext): Promise<Record<string, unknown>> {
  callerClient(env, req);
  const token = req.params.token;
  if (!token) throw oauthError(400, 'invalid_request', "Missing parameter, 'token'");
  const res = await env.tokens.verify(token);
  if (!res.ok) return { active: false };
  const c = res.claims;
  const scope = Array.isArray(c.scope) ? c.scope.join(' ') : String(c.scope ?? '');
  return {
    active: true,
    scope,
    realm: c.realm ?? '/',
    client_id: c.aud,
    user_id: c.sub,
    username: c.subname ?? c.sub,
    token_type: 'Bearer',
    exp: c.exp,
    sub: c.sub,
    subname: c.subname ?? c.sub,
    iss: c.iss,
    auth_level: 0,
    authGrantType: c.authGrantType,
    auditTrackingId: c.auditTrackingId,
    expires_in: typeof c.exp === 'number' ? Math.max(0, c.exp - env.clock.nowSeconds()) : undefined,
  };
}

/** POST /oauth2/token/revoke: an access token (by jti) or a refresh token stops working; unknown tokens are fine (RFC 7009 §2.2). */
export async function revoke(env: Environment, req: TokenRequestContext): Promise<Record<string, never>> {
  const clientId = callerClient(env, req);
  const token = req.params.token;
  if (!token) throw oauthError(400, 'invalid_request', "Missing parameter, 'token'");
  const refresh = refreshStore(env).get(token);
  if (refresh) {
    if (refresh.clientId === clientId) refreshStore(env).delete(token);
    return {};
  }
  const res = await env.tokens.verify(token);
  if (res.ok && typeof res.claims.jti === 'string' && (res.claims.aud === clientId || ADMIN_UI_CLIENTS.includes(clientId))) {
    const set = revokedSet(env);
    const now = env.clock.nowSeconds();
    if (set.size > 10_000) for (const [k, e] of set) if (e <= now) set.delete(k);
    set.set(res.claims.jti, Number(res.claims.exp ?? now + DEFAULT_TOKEN_TTL));
  }
  return {};
}

// ---------------------------------------------------------------- guards

/**
 * Revocation on every use (issue "Authentication": an inactive account invalidates issued tokens):
 * a service account made Inactive or deleted, a deleted OAuth client, an inactive end user.
 * Control-plane tokens (authGrantType `emulator`) for subjects the environment does not know stay valid.
 */
export function aicTokenGuard(env: Environment): TokenGuard {
  return (claims: TokenClaims) => {
    if (claims.env !== undefined && claims.env !== env.name) return 'token issued by another environment';
    if (typeof claims.jti === 'string' && revokedSet(env).has(claims.jti)) return 'token revoked';
    const sub = String(claims.sub ?? '');
    const grant = claims.authGrantType;
    const fromEmulator = grant === 'emulator';
    switch (claims.principalType) {
      case 'serviceAccount': {
        const sa = findServiceAccount(env, sub);
        if (!sa) return fromEmulator ? undefined : 'service account deleted';
        return isActiveStatus(sa.accountStatus) ? undefined : 'service account inactive';
      }
      case 'user': {
        if (grant === 'authorization_code:tenantAdmin') return tenantAdminExists(env, sub) ? undefined : 'tenant admin removed';
        if (!fromEmulator && typeof claims.aud === 'string' && !ADMIN_UI_CLIENTS.includes(claims.aud) && !findClient(env, claims.aud)) return 'client deleted';
        const user = env.slice('governance') ? findUser(env, sub) : undefined;
        if (!user) return fromEmulator ? undefined : 'user deleted';
        return user.accountStatus === 'active' ? undefined : 'user inactive';
      }
      case 'oauthClient':
        if (fromEmulator) return undefined;
        return findClient(env, sub) ? undefined : 'client deleted';
      default:
        return undefined;
    }
  };
}
