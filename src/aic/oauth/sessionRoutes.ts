// HTTP for AM sessions (recording am-authentication: AuthenticateOps/getTokens, AuthenticateApi journeys):
// serverinfo, authenticate (headers or callbacks), sessions (getSessionInfo, logout) and /oauth2/authorize.
// Plain Hono routes: the serverinfo id is a literal `*` and AM answers HTML/redirects on some of these paths.
import type { Context } from 'hono';
import type { AppEnv, EnvApp } from '../../core/types.js';
import { crestError } from '../../core/errors.js';
import { isJsonObject, jsonBody, send } from '../../core/http.js';
import { hostName, servesHost } from '../../core/hosts.js';
import { authorizeCode, continueJourney, findSession, login, logout, sessionInfo, startJourney, type AuthorizeParams, type SessionRealm } from './session.js';

/** Recorded `GET /am/json/serverinfo/*` body (cookieName is what clients send the SSO token in). */
const SERVER_INFO = {
  _id: '*',
  _rev: '2075994301',
  domains: [],
  protectedUserAttributes: ['telephoneNumber', 'mail'],
  cookieName: 'iPlanetDirectoryPro',
  secureCookie: false,
  forgotPassword: 'false',
  forgotUsername: 'false',
  kbaEnabled: 'false',
  selfRegistration: 'false',
  lang: 'en-US',
  successfulUserRegistrationDestination: 'default',
  socialImplementations: [],
  referralsEnabled: 'false',
  zeroPageLogin: { enabled: false, refererWhitelist: [], allowedWithoutReferer: true },
  realm: '/',
  xuiUserSessionValidationEnabled: true,
  fileBasedConfiguration: false,
  userIdAttributes: [],
  nodeDesignerXuiEnabled: true,
};

/** Recorded `GET /am/json/serverinfo/version`. */
const VERSION = {
  _id: 'version',
  _rev: '-466575464',
  version: '8.0.1',
  fullVersion: 'ForgeRock Access Management 8.0.1 Build b59bc0908346197b0c33afcb9e733d0400feeea1 (2025-April-15 11:37)',
  revision: 'b59bc0908346197b0c33afcb9e733d0400feeea1',
  date: '2025-April-15 11:37',
};

const COOKIE = SERVER_INFO.cookieName;

/** AM's authenticate body: a JSON object of callbacks; anything else reads as no callbacks. */
async function callbacksBody(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const v = await jsonBody(c, 'crest');
  return isJsonObject(v) ? v : {};
}

export function cookieToken(c: Context<AppEnv>): string | undefined {
  const header = c.req.header('cookie');
  if (header) {
    for (const part of header.split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === COOKIE) return decodeURIComponent(v.join('='));
    }
  }
  return c.req.header(COOKIE) ?? c.req.header(COOKIE.toLowerCase());
}

export function aicSessionRoutes(app: EnvApp): void {
  const etagged = (body: { _rev: string }) => ({ etag: `"${body._rev}"`, 'cache-control': 'no-store', 'content-type': 'application/json;charset=UTF-8' });
  app.get('/am/json/serverinfo/version', (c) => c.body(JSON.stringify(VERSION), 200, etagged(VERSION)));
  app.get('/am/json/serverinfo/:id', (c) => {
    const id = decodeURIComponent(c.req.param('id'));
    if (id !== '*') throw crestError(404, `Not Found`);
    return c.body(JSON.stringify(SERVER_INFO), 200, etagged(SERVER_INFO));
  });

  const realms: Array<[string, SessionRealm]> = [
    ['/am/json/realms/root', '/'],
    ['/am/json/authenticate', '/'],
    ['/am/json/realms/root/realms/alpha', '/alpha'],
    ['/am/json/alpha', '/alpha'],
  ];
  for (const [prefix, realm] of realms) {
    const path = prefix.endsWith('/authenticate') ? prefix : `${prefix}/authenticate`;
    app.post(path, async (c) => {
      const env = c.get('env');
      const body = await callbacksBody(c);
      const user = c.req.header('x-openam-username');
      let session;
      if (user !== undefined) session = login(env, realm, user, c.req.header('x-openam-password'));
      else if (typeof body.authId === 'string') session = continueJourney(env, realm, body);
      else return send(c, startJourney(env, realm), 200, { 'cache-control': 'private' });
      const successUrl = realm === '/' ? '/am/console' : `${new URL(c.req.url).origin}/enduser/?realm=alpha`;
      return send(c, { tokenId: session.tokenId, successUrl, realm: session.realm }, 200, { 'cache-control': 'private' });
    });
  }

  for (const path of ['/am/json/realms/root/sessions', '/am/json/realms/root/sessions/', '/am/json/sessions', '/am/json/sessions/']) {
    app.post(path, async (c) => {
      const env = c.get('env');
      const body = await callbacksBody(c);
      const token = typeof body.tokenId === 'string' ? body.tokenId : cookieToken(c);
      const action = c.req.query('_action');
      if (action === 'logout') {
        if (!token || !logout(env, token)) throw crestError(401, 'Access Denied');
        return send(c, { result: 'Successfully logged out' }, 200, { 'cache-control': 'private' });
      }
      if (action === 'validate') {
        const s = findSession(env, token);
        return send(c, s ? { valid: true, sessionUid: s.tokenId.slice(0, 27), uid: s.username, realm: s.realm } : { valid: false }, 200, { 'cache-control': 'private' });
      }
      if (action !== 'getSessionInfo') throw crestError(400, `Action ${action ?? ''} not supported`.trim());
      const s = findSession(env, token);
      if (!s) throw crestError(401, 'Access Denied');
      return send(c, sessionInfo(env, s), 200, { 'cache-control': 'private', 'content-type': 'application/json;charset=UTF-8' });
    });
  }

  const authorizePaths: Array<[string, string]> = [
    ['/am/oauth2/authorize', ''],
    ['/am/oauth2/realms/root/authorize', ''],
    ['/am/oauth2/realms/root/realms/alpha/authorize', '/realms/root/realms/alpha'],
    ['/am/oauth2/alpha/authorize', '/realms/root/realms/alpha'],
  ];
  for (const [path, issuerRealm] of authorizePaths) {
    app.on(['GET', 'POST'], path, async (c) => {
      const env = c.get('env');
      const params: Record<string, string> = { ...c.req.query() };
      if (c.req.method === 'POST') {
        const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
        for (const [k, v] of Object.entries(form)) if (typeof v === 'string') params[k] = v;
      }
      const session = findSession(env, cookieToken(c)) ?? findSession(env, params.csrf);
      if (!session) {
        // AM sends an unauthenticated browser to the login UI with a goto back here
        const back = `${new URL(c.req.url).origin}${path}?${new URLSearchParams(params)}`;
        return c.redirect(`${new URL(c.req.url).origin}/am/XUI/?realm=${issuerRealm ? '/alpha' : '/'}&goto=${encodeURIComponent(back)}`, 302);
      }
      const issuer = issuerRealm ? `${env.url}/am/oauth2${issuerRealm}` : env.tokens.issuer;
      const own = new URL(c.req.url).origin;
      const tenantOrigin = (origin: string) => origin === own || env.emulator.environments.some((e) => new URL(e.url).origin === origin) || servesHost(env.emulator, hostName(new URL(origin).host));
      const location = authorizeCode(env, session, params as AuthorizeParams, issuer, tenantOrigin);
      return c.body(null, 302, { location, 'cache-control': 'no-store' });
    });
  }
}
