// AM sessions and the authorization-code grant (recording am-authentication: AuthenticateOps/getTokens and
// AuthenticateApi journeys): username/password → SSO token (tokenId) → /oauth2/authorize (PKCE) → code → token.
// This is how Frodo and the admin console get a token for a human tenant administrator; end users (alpha realm)
// authenticate the same way. Sessions, journeys and codes live in memory per environment.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Environment } from '../../environment.js';
import { crestError } from '../../core/errors.js';
import { findUserByName, findUser } from '../governance/service.js';
import { ADMIN_UI_CLIENTS } from './model.js';
import { clientAuth, credentialsState, findClient, mintAicAccessToken, oauthError, type AicTokenResponse, type TokenRequestContext } from './service.js';
import type { OAuthClient, TenantAdmin } from './model.js';

/** AM's built-in public clients of the platform admin UI (Frodo logs in through idmAdminClient). */
/** A tenant administrator's token reaches every API a service account could (docs/auth.md). */
export const TENANT_ADMIN_SCOPES = ['fr:am:*', 'fr:idm:*', 'fr:idc:*', 'fr:iga:*'];
const SESSION_IDLE_S = 30 * 60;
const SESSION_MAX_S = 120 * 60;
const CODE_TTL_S = 120;

export type SessionRealm = '/' | '/alpha';

export interface Session {
  tokenId: string;
  realm: SessionRealm;
  /** Tenant admin _id (root realm) or governance user _id (alpha). */
  subject: string;
  username: string;
  kind: 'tenantAdmin' | 'user';
  created: number;
  lastAccess: number;
}

interface Journey {
  realm: SessionRealm;
  exp: number;
}

interface Code {
  session: Session;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  challenge?: string;
  method?: string;
  exp: number;
}

interface SessionStore {
  sessions: Map<string, Session>;
  journeys: Map<string, Journey>;
  codes: Map<string, Code>;
}

/** Sessions, journeys and authorization codes: the environment's runtime memory (reset and seed clear it). */
function store(env: Environment): SessionStore {
  return env.memory('aic.oauth.sessions', () => ({ sessions: new Map(), journeys: new Map(), codes: new Map() }));
}

function tenantAdmins(env: Environment): TenantAdmin[] {
  return credentialsState(env).tenantAdmins ?? [];
}

/** SSO token in AM's shape: `<27 chars>.*AAJTSQACMDEAAlNLABx…*` (recording tokenId values). */
function ssoToken(): string {
  return `${randomBytes(20).toString('base64url').slice(0, 27)}.*AAJTSQACMDEAAlNLABw${randomBytes(21).toString('base64url')}AAR0eXBlAANDVFMAAlMxAAA.*`;
}

/** AM's authentication failure body. */
export const loginFailure = () => crestError(401, 'Login failure');

/** Check username/password for the realm; a session on success. */
export function login(env: Environment, realm: SessionRealm, username: string | undefined, password: string | undefined): Session {
  if (!username || password === undefined) throw loginFailure();
  const now = env.clock.nowSeconds();
  let session: Session | undefined;
  if (realm === '/') {
    const admin = tenantAdmins(env).find((a) => a.username === username);
    if (admin && admin.password === password) session = { tokenId: ssoToken(), realm, subject: admin._id, username: admin.username, kind: 'tenantAdmin', created: now, lastAccess: now };
  } else {
    const user = env.slice('governance') ? (findUserByName(env, username) ?? findUser(env, username)) : undefined;
    if (user && user.password !== undefined && user.password === password && user.accountStatus === 'active') {
      session = { tokenId: ssoToken(), realm, subject: user._id, username: user.userName, kind: 'user', created: now, lastAccess: now };
    }
  }
  if (!session) throw loginFailure();
  store(env).sessions.set(session.tokenId, session);
  return session;
}

/** The first step of a username/password journey (recording AuthenticateApi 2-Two-step-login-journey). */
export function startJourney(env: Environment, realm: SessionRealm) {
  const authId = `${randomBytes(18).toString('base64url')}.${randomBytes(24).toString('base64url')}`;
  store(env).journeys.set(authId, { realm, exp: env.clock.nowSeconds() + 300 });
  return {
    authId,
    callbacks: [
      { type: 'NameCallback', output: [{ name: 'prompt', value: 'User Name' }], input: [{ name: 'IDToken1', value: '' }], _id: 0 },
      { type: 'PasswordCallback', output: [{ name: 'prompt', value: 'Password' }], input: [{ name: 'IDToken2', value: '' }], _id: 1 },
    ],
  };
}

interface CallbackBody {
  authId?: unknown;
  callbacks?: Array<{ type?: string; input?: Array<{ name?: string; value?: unknown }> }>;
}

/** The second step: the filled callbacks. */
export function continueJourney(env: Environment, realm: SessionRealm, body: CallbackBody): Session {
  const authId = typeof body.authId === 'string' ? body.authId : '';
  const j = store(env).journeys.get(authId);
  if (!j || j.realm !== realm || j.exp <= env.clock.nowSeconds()) throw crestError(401, 'Login failure');
  store(env).journeys.delete(authId);
  const value = (type: string) => body.callbacks?.find((cb) => cb.type === type)?.input?.[0]?.value;
  const u = value('NameCallback');
  const p = value('PasswordCallback');
  return login(env, realm, typeof u === 'string' ? u : undefined, typeof p === 'string' ? p : undefined);
}

/** A live session (idle and max-session timeouts on the emulator clock); touches it. */
export function findSession(env: Environment, tokenId: string | undefined): Session | undefined {
  if (!tokenId) return undefined;
  const s = store(env).sessions.get(tokenId);
  if (!s) return undefined;
  const now = env.clock.nowSeconds();
  if (now - s.lastAccess > SESSION_IDLE_S || now - s.created > SESSION_MAX_S || !subjectActive(env, s)) {
    store(env).sessions.delete(tokenId);
    return undefined;
  }
  s.lastAccess = now;
  return s;
}

function subjectActive(env: Environment, s: Session): boolean {
  if (s.kind === 'tenantAdmin') return tenantAdmins(env).some((a) => a._id === s.subject);
  const u = findUser(env, s.subject);
  return !!u && u.accountStatus === 'active';
}

export function sessionInfo(env: Environment, s: Session) {
  const iso = (t: number) => new Date(t * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    username: s.username,
    universalId: s.realm === '/' ? `id=${s.username},ou=user,ou=am-config` : `id=${s.subject},ou=user,o=alpha,ou=services,ou=am-config`,
    realm: s.realm,
    latestAccessTime: iso(s.lastAccess),
    maxIdleExpirationTime: iso(s.lastAccess + SESSION_IDLE_S),
    maxSessionExpirationTime: iso(s.created + SESSION_MAX_S),
    properties: { AMCtxId: `${randomUUID()}-${Math.floor(s.created % 1000)}` },
  };
}

export function logout(env: Environment, tokenId: string): boolean {
  return store(env).sessions.delete(tokenId);
}

// ---------------------------------------------------------------- /oauth2/authorize + authorization_code

export interface AuthorizeParams {
  client_id?: string;
  redirect_uri?: string;
  response_type?: string;
  scope?: string;
  state?: string;
  code_challenge?: string;
  code_challenge_method?: string;
  decision?: string;
}

/**
 * The admin UI clients' registered redirect URIs: the platform UI's pages on the tenant's own origin (recording
 * am-authentication-and-service-accounts: `redirect_uri=<tenant>/platform/appAuthHelperRedirect.html`).
 */
const ADMIN_UI_REDIRECT_PATHS = ['/platform/appAuthHelperRedirect.html', '/platform/sessionCheck.html'];

/** Whether `uri` is exactly one the client registered (fixture `redirectUris`; admin UI clients: the tenant's pages). */
function redirectRegistered(uri: string, client: OAuthClient | undefined, tenantOrigin: (origin: string) => boolean): boolean {
  if (client) return (client.redirectUris ?? []).includes(uri);
  if (!URL.canParse(uri)) return false;
  const u = new URL(uri);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  return uri === `${u.origin}${u.pathname}` && ADMIN_UI_REDIRECT_PATHS.includes(u.pathname) && tenantOrigin(u.origin);
}

/**
 * Returns the redirect location with a code, or throws an OAuth error. `tenantOrigin` says whether an origin is one
 * this tenant is served on (its admin UI clients' redirect URIs live there).
 */
export function authorizeCode(env: Environment, session: Session, p: AuthorizeParams, issuer: string, tenantOrigin: (origin: string) => boolean): string {
  const clientId = p.client_id ?? '';
  const builtIn = ADMIN_UI_CLIENTS.includes(clientId);
  const client = builtIn ? undefined : findClient(env, clientId);
  if (!builtIn && (!client || !client.grantTypes.includes('authorization_code'))) throw oauthError(400, 'invalid_client', 'Client authentication failed');
  if (builtIn && session.kind !== 'tenantAdmin') throw oauthError(400, 'access_denied', 'Resource Owner did not authorize the request');
  if (!p.redirect_uri) throw oauthError(400, 'invalid_request', 'Missing parameter, \'redirect_uri\'');
  // OAuth 2.0 Security BCP (RFC 9700 §4.1.3): exact match against the client's registered URIs, checked before anything
  // is sent to it, so an unregistered URI is answered here and never redirected to
  if (!redirectRegistered(p.redirect_uri, client, tenantOrigin)) throw oauthError(400, 'redirect_uri_mismatch', 'The redirection URI provided does not match a pre-registered value.');
  if (p.response_type !== 'code') throw oauthError(400, 'unsupported_response_type', `Response type is not supported: ${p.response_type ?? ''}`);
  if (p.decision !== undefined && p.decision !== 'allow') {
    const u = new URL(p.redirect_uri);
    u.searchParams.set('error', 'access_denied');
    u.searchParams.set('error_description', 'Resource Owner did not authorize the request');
    if (p.state !== undefined) u.searchParams.set('state', p.state);
    return u.toString();
  }
  const requested = (p.scope ?? '').split(/[\s+]+/).filter(Boolean);
  const code = randomBytes(20).toString('base64url');
  store(env).codes.set(code, {
    session,
    clientId,
    redirectUri: p.redirect_uri,
    scopes: requested,
    challenge: p.code_challenge,
    method: p.code_challenge_method,
    exp: env.clock.nowSeconds() + CODE_TTL_S,
  });
  const u = new URL(p.redirect_uri);
  u.searchParams.set('code', code);
  u.searchParams.set('iss', issuer);
  if (p.state !== undefined) u.searchParams.set('state', p.state);
  u.searchParams.set('client_id', clientId);
  return u.toString();
}

/** grant_type=authorization_code (public admin-UI clients need no secret; PKCE when a challenge was sent). */
export async function authorizationCodeGrant(env: Environment, params: Record<string, string>, clientFromAuth: string | undefined, clientSecret: string | undefined): Promise<AicTokenResponse> {
  const code = params.code;
  if (!code) throw oauthError(400, 'invalid_request', "Missing parameter, 'code'");
  const entry = store(env).codes.get(code);
  const clientId = clientFromAuth ?? params.client_id;
  if (!entry || entry.exp <= env.clock.nowSeconds() || entry.clientId !== clientId) throw oauthError(400, 'invalid_grant', 'The provided access grant is invalid, expired, or revoked.');
  if (!ADMIN_UI_CLIENTS.includes(entry.clientId)) {
    const client = findClient(env, entry.clientId);
    if (!client || client.clientSecret !== clientSecret) throw oauthError(400, 'invalid_client', 'Client authentication failed');
  }
  store(env).codes.delete(code);
  if (params.redirect_uri !== undefined && params.redirect_uri !== entry.redirectUri) throw oauthError(400, 'invalid_grant', 'The redirection URI provided does not match a pre-registered value.');
  if (entry.challenge) {
    const v = params.code_verifier ?? '';
    const computed = entry.method === 'S256' ? createHash('sha256').update(v).digest('base64url') : v;
    if (computed !== entry.challenge) throw oauthError(400, 'invalid_grant', 'PKCE verification failed');
  }
  const s = entry.session;
  if (!subjectActive(env, s)) throw oauthError(400, 'invalid_grant', 'The provided access grant is invalid, expired, or revoked.');
  const client = findClient(env, entry.clientId);
  const scopes =
    s.kind === 'tenantAdmin'
      ? [...new Set([...entry.scopes, ...TENANT_ADMIN_SCOPES])]
      : entry.scopes.filter((r) => r === 'openid' || (client?.scopes ?? []).includes(r));
  return mintAicAccessToken(env, {
    sub: s.subject,
    subname: s.username,
    scopes,
    principalType: 'user',
    clientId: entry.clientId,
    grantType: s.kind === 'tenantAdmin' ? 'authorization_code:tenantAdmin' : 'authorization_code',
  });
}

/** Guard helper: a tenant admin behind a token still exists. */
/** POST access_token with grant_type=authorization_code: the code of an AM session (the token route picks this). */
export function exchangeCode(env: Environment, req: TokenRequestContext): Promise<AicTokenResponse> {
  const auth = clientAuth(req);
  return authorizationCodeGrant(env, req.params, auth.clientId, auth.secret);
}
