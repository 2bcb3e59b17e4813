// How the console reads and acts without a second implementation of anything: control-plane JSON comes from the
// control plane itself (an in-process request to /__emulator/…), and product actions are real product API calls,
// made in-process with an access token minted for the chosen identity, so the product's own routes, guards,
// services and audit attribution run exactly as they do for a client on the wire.
import type { Emulator } from '../../emulator.js';
import type { Environment } from '../../environment.js';
import { JWT_BEARER, credentialsState, mintAicAccessToken } from '../../aic/oauth/service.js';
import { governance } from '../../aic/governance/service.js';
import { CONTROL_PLANE_CLIENT, mintIscAccessToken } from '../../isc/oauth/service.js';
import { findIdentity } from '../../isc/identities/service.js';

export interface JsonResult<T = unknown> {
  status: number;
  body: T;
}

async function json<T>(res: Response): Promise<JsonResult<T>> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body: body as T };
}

/** A control-plane call (GET /__emulator/promotion, POST /__emulator/clock, …), answered in-process. */
export async function controlPlane<T = unknown>(emulator: Emulator, method: string, path: string, body?: unknown): Promise<JsonResult<T>> {
  const env = emulator.environments[0]!;
  const init: RequestInit = { method, headers: body === undefined ? {} : { 'content-type': 'application/json' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  return json<T>(await emulator.request(env.name, `/__emulator${path}`, init));
}

/** Who the console acts as: an AIC user or service account, or an ISC identity, in one environment. */
export interface ActingIdentity {
  env: string;
  kind: 'user' | 'serviceAccount' | 'identity';
  id: string;
}

/** The identity behind the token an action used, as the product's token carries it. */
export interface TokenIdentity {
  sub: string;
  name: string;
  principalType: string;
  clientId: string;
  tokenId: string;
  scopes: string;
}

export interface ActResult extends JsonResult {
  /** The x-forgerock-transactionid sent (AIC logs carry it; the Logs page can filter on it). */
  txId: string;
  method: string;
  path: string;
  env: string;
  token: TokenIdentity;
}

/** The OAuth client named on tokens the console mints for AIC users. */
const CONSOLE_CLIENT = 'emulator-console';

/** The end-user token the hosted end-user UI obtains (IGA end-user actions need no admin scope). */
const USER_SCOPES = ['openid', 'fr:idm:*', 'fr:iga:*'];

export function describeIdentity(emulator: Emulator, who: ActingIdentity): string | undefined {
  const env = emulator.env(who.env);
  if (!env) return undefined;
  if (who.kind === 'identity') return findIdentity(env, who.id)?.name;
  if (who.kind === 'serviceAccount') return credentialsState(env).serviceAccounts.find((s) => s._id === who.id)?.name;
  return governance(env).users.find((u) => u._id === who.id)?.userName;
}

async function tokenFor(env: Environment, who: ActingIdentity): Promise<{ token: string; identity: TokenIdentity }> {
  if (env.product === 'isc') {
    const identity = findIdentity(env, who.id);
    if (!identity) throw new ActError(`no ISC identity ${who.id}`);
    // as POST /__emulator/token mints ISC tokens: the control plane's client, the identity as subject
    const res = await mintIscAccessToken(env, { identity, clientId: CONTROL_PLANE_CLIENT, principalType: identity.service ? 'apiClient' : 'identity' });
    return { token: res.access_token, identity: { sub: identity.id, name: identity.name, principalType: identity.service ? 'apiClient' : 'identity', clientId: CONTROL_PLANE_CLIENT, tokenId: res.jti, scopes: res.scope } };
  }
  if (who.kind === 'serviceAccount') {
    const sa = credentialsState(env).serviceAccounts.find((s) => s._id === who.id);
    if (!sa) throw new ActError(`no service account ${who.id} in ${env.name}`);
    // the JWT-bearer grant a service account uses (S4: service accounts get the scopes they hold)
    const res = await mintAicAccessToken(env, { sub: sa._id, subname: sa.name, scopes: sa.scopes, principalType: 'serviceAccount', clientId: 'service-account', grantType: JWT_BEARER });
    return { token: res.access_token, identity: { sub: sa._id, name: sa.name, principalType: 'serviceAccount', clientId: 'service-account', tokenId: claimOf(res.access_token, 'auditTrackingId'), scopes: res.scope } };
  }
  const user = governance(env).users.find((u) => u._id === who.id);
  if (!user) throw new ActError(`no user ${who.id} in ${env.name}`);
  // minted the way the control plane mints user tokens (grant `emulator`): the product sees the user as the subject
  const res = await mintAicAccessToken(env, { sub: user._id, subname: user.userName, scopes: USER_SCOPES, principalType: 'user', clientId: CONSOLE_CLIENT, grantType: 'emulator' });
  return { token: res.access_token, identity: { sub: user._id, name: user.userName, principalType: 'user', clientId: CONSOLE_CLIENT, tokenId: claimOf(res.access_token, 'auditTrackingId'), scopes: res.scope } };
}

function claimOf(jwt: string, claim: string): string {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    return String(payload[claim] ?? payload.jti ?? '');
  } catch {
    return '';
  }
}

/** A product API call made as `who` (a fresh token each time, as a client would hold one). */
export async function actAs(emulator: Emulator, who: ActingIdentity, method: string, path: string, body?: unknown): Promise<ActResult> {
  const env = emulator.env(who.env);
  if (!env) throw new ActError(`no environment ${who.env}`);
  const { token, identity } = await tokenFor(env, who);
  const txId = `console-${crypto.randomUUID()}`;
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'x-forgerock-transactionid': txId };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await emulator.request(env.name, path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { ...(await json(res)), txId, method, path, env: env.name, token: identity };
}

/** The first active service account of an AIC environment holding one of `scopes` (the console's default actor). */
export function serviceAccountWith(env: Environment, scopes: string[]): ActingIdentity | undefined {
  const sa = credentialsState(env).serviceAccounts.find((s) => s.accountStatus !== 'Inactive' && s.scopes.some((x) => scopes.includes(x)));
  return sa ? { env: env.name, kind: 'serviceAccount', id: sa._id } : undefined;
}

/** A console-side problem (unknown identity or environment): shown to the trainer, never a 500. */
export class ActError extends Error {}

/** One line that says who acted and what came back, for the flash line. */
export function actSummary(r: ActResult, what: string): { text: string; error: boolean } {
  const ok = r.status < 400;
  const detail = ok ? '' : `: ${typeof r.body === 'object' && r.body ? JSON.stringify(r.body) : String(r.body)}`.slice(0, 400);
  return {
    text: `${what} as ${r.token.name} (${r.token.principalType} ${r.token.sub}, token ${r.token.tokenId}) → ${r.method} ${r.path} ${r.status}${detail} · transaction ${r.txId}`,
    error: !ok,
  };
}
