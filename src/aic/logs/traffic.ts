// Deterministic background log traffic (`--log-traffic RATE`, fixture logs.backgroundTraffic): faker-generated
// authentication journeys, access and debug entries, produced lazily up to the emulator clock when logs are read or a
// request is logged (docs/logs.md; S4 am-access / am-authentication / idm-access / idm-core examples).
import { createRequire } from 'node:module';
import type { Faker } from '@faker-js/faker';
import type { Environment } from '../../environment.js';
import type { Emulator } from '../../emulator.js';
import { fnv1a } from '../../core/ids.js';
import { logsState, retentionStart } from './state.js';


const trafficOverride = new WeakMap<Emulator, number>();
/** Where generation has reached, per environment (ms of emulator time). Keyed by the slice so a reset starts over. */
const generatedUntil = new WeakMap<object, number>();
/** Never generate more than this many events in one catch-up (a long-stopped clock or a huge rate). */
const MAX_CATCH_UP_EVENTS = 20_000;
/** When traffic is first seen, history is back-filled this far so dashboards have something to show at once. */
const BACKFILL_MS = 15 * 60_000;

/** `--log-traffic RATE`: background traffic for every AIC environment whose fixture does not set its own. */
export function setLogTraffic(emulator: Emulator, ratePerMinute: number): void {
  trafficOverride.set(emulator, ratePerMinute);
}

function trafficRate(env: Environment): number {
  const st = logsState(env);
  if (st.backgroundTraffic) return st.backgroundTraffic.ratePerMinute;
  return trafficOverride.get(env.emulator) ?? 0;
}

let trafficFaker: Faker | undefined;

/** Faker is loaded lazily, only when traffic is on (start-up budget: see scripts/build.mjs), as its own instance. */
function loadFaker(): Faker {
  if (!trafficFaker) {
    const mod = createRequire(import.meta.url)('@faker-js/faker') as typeof import('@faker-js/faker');
    trafficFaker = new mod.Faker({ locale: [mod.en, mod.base] });
  }
  return trafficFaker;
}

/** Generate the deterministic background events due between the last generation and now (lazy, clock-driven). */
export function fillBackground(env: Environment): void {
  const rate = trafficRate(env);
  if (!(rate > 0)) return;
  const key = env.slice<object | undefined>('logs') ?? env;
  const now = env.clock.now();
  const interval = 60_000 / rate;
  const from = Math.max(generatedUntil.get(key) ?? now - BACKFILL_MS, now - MAX_CATCH_UP_EVENTS * interval, retentionStart(env));
  if (from >= now) return;
  generatedUntil.set(key, now);
  const seedBase = fnv1a(`${env.emulator.fixture.fakerSeed ?? 0}:${env.name}`);
  const f = loadFaker();
  for (let k = Math.floor(from / interval) + 1; k * interval <= now; k++) {
    const t = Math.floor(k * interval);
    if (t <= from) continue;
    f.seed((seedBase ^ k) >>> 0);
    generateEvent(env, f, t);
  }
}

const TREES = ['Login', 'PasswordGrant', 'FRLogin', 'Registration', 'ResetPassword'];
const NODES = [
  { nodeType: 'PageNode', displayName: 'Page Node' },
  { nodeType: 'DataStoreDecisionNode', displayName: 'Data Store Decision' },
  { nodeType: 'ScriptedDecisionNode', displayName: 'Using Invite?' },
  { nodeType: 'IncrementLoginCountNode', displayName: 'Increment Login Count' },
];
const LOGGERS = ['org.forgerock.openam.core.rest.authn.trees.AuthTrees', 'org.forgerock.openam.oauth2.OAuth2Utils', 'org.forgerock.openam.session.service.SessionAccessManager'];

function generateEvent(env: Environment, f: Faker, t: number): void {
  const book = env.logbook;
  const iso = new Date(t).toISOString();
  const tx = `${f.string.uuid()}-request-${f.number.int({ min: 1, max: 9 })}`;
  const ip = f.internet.ipv4();
  const host = new URL(env.url).host;
  const kind = f.number.int({ min: 0, max: 9 });
  if (kind <= 5) {
    // an authentication journey: access attempt/outcome, node outcomes, journey outcome (S4 am-access / am-authentication)
    const user = f.internet.username().toLowerCase();
    const tree = f.helpers.arrayElement(TREES);
    const failed = f.number.int({ min: 0, max: 6 }) === 0;
    const trackingId = `${f.string.uuid()}-${f.number.int({ min: 100000, max: 999999 })}`;
    const path = `https://${host}/am/json/realms/root/realms/alpha/authenticate`;
    const headers = { host: [host], 'user-agent': [f.internet.userAgent()], 'x-forwarded-for': [`${ip}, 34.117.102.58, 10.154.0.3`], 'x-forwarded-proto': ['https'] };
    const id = `${f.string.uuid()}-${f.number.int({ min: 100000, max: 999999 })}`;
    const accessBase = { _id: id, client: { ip }, component: 'Authentication', http: { request: { headers, method: 'POST', path, secure: true, queryParameters: { authIndexType: ['service'], authIndexValue: [tree] } } }, level: 'INFO', realm: '/alpha', source: 'audit', timestamp: iso, topic: 'access', transactionId: `${tx}/0` };
    book.append('am-access', { ...accessBase, eventName: 'AM-ACCESS-ATTEMPT', request: { protocol: 'CREST', operation: 'ACTION', detail: { action: 'authenticate' } } }, t);
    const nodes = f.helpers.arrayElements(NODES, { min: 1, max: 3 });
    for (const n of nodes) {
      book.append(
        'am-authentication',
        {
          topic: 'authentication',
          eventName: 'AM-NODE-LOGIN-COMPLETED',
          transactionId: `${tx}/1`,
          principal: [user],
          timestamp: iso,
          component: 'Authentication',
          source: 'audit',
          realm: '/alpha',
          entries: [{ info: { authLevel: '0', displayName: n.displayName, nodeId: f.string.uuid(), nodeOutcome: failed ? 'false' : 'true', treeName: tree, nodeType: n.nodeType } }],
          level: 'INFO',
          trackingIds: [trackingId],
          _id: `${f.string.uuid()}-${f.number.int({ min: 100000, max: 999999 })}`,
        },
        t,
      );
    }
    book.append(
      'am-authentication',
      {
        topic: 'authentication',
        eventName: 'AM-LOGIN-COMPLETED',
        transactionId: `${tx}/1`,
        principal: [user],
        result: failed ? 'FAILED' : 'SUCCESSFUL',
        timestamp: iso,
        component: 'Authentication',
        source: 'audit',
        realm: '/alpha',
        entries: [],
        level: failed ? 'WARNING' : 'INFO',
        trackingIds: [trackingId],
        userId: `id=${user},ou=user,o=alpha,ou=services,ou=am-config`,
        _id: `${f.string.uuid()}-${f.number.int({ min: 100000, max: 999999 })}`,
      },
      t,
    );
    book.append(
      'am-access',
      {
        ...accessBase,
        eventName: 'AM-ACCESS-OUTCOME',
        request: { protocol: 'CREST', operation: 'ACTION', detail: { action: 'authenticate' } },
        response: failed
          ? { status: 'FAILED', statusCode: '401', detail: { reason: 'Unauthorized' }, elapsedTime: f.number.int({ min: 5, max: 400 }), elapsedTimeUnits: 'MILLISECONDS' }
          : { status: 'SUCCESSFUL', elapsedTime: f.number.int({ min: 5, max: 400 }), elapsedTimeUnits: 'MILLISECONDS' },
        trackingIds: [trackingId],
        userId: failed ? undefined : `id=${user},ou=user,o=alpha,ou=services,ou=am-config`,
      },
      t,
    );
    if (f.number.int({ min: 0, max: 2 }) === 0) {
      const logger = f.helpers.arrayElement(LOGGERS);
      book.append(
        'am-core',
        { context: 'default', level: failed ? 'WARNING' : 'DEBUG', logger, mdc: { transactionId: `${tx}/1` }, message: failed ? `Authentication failed for ${user} in tree ${tree}` : `Tree ${tree} completed for ${user}`, thread: `http-nio-8080-exec-${f.number.int({ min: 1, max: 40 })}`, timestamp: iso, transactionId: `${tx}/1` },
        t,
      );
    }
  } else if (kind <= 8) {
    // the platform's health probe on IDM (S4 idm-access example)
    book.append(
      'idm-access',
      {
        _id: `${f.string.uuid()}-${f.number.int({ min: 100000, max: 999999 })}`,
        client: { ip, port: f.number.int({ min: 1024, max: 65535 }) },
        eventName: 'access',
        http: { request: { headers: { host: [`${host}:443`], 'user-agent': ['Blackbox Exporter/0.25.0'], 'x-forwarded-proto': ['https'] }, method: 'GET', path: `https://${host}/openidm/info/ping`, secure: true } },
        level: 'INFO',
        request: { operation: 'READ', protocol: 'CREST' },
        response: { elapsedTime: f.number.int({ min: 1, max: 30 }), elapsedTimeUnits: 'MILLISECONDS', status: 'SUCCESSFUL', statusCode: '200' },
        roles: ['internal/role/openidm-reg'],
        server: { ip: '10.68.2.21', port: 8080 },
        source: 'audit',
        timestamp: iso,
        topic: 'access',
        transactionId: `${tx}/0`,
        userId: 'anonymous',
      },
      t,
    );
  } else {
    // a plain-text IDM debug line (idm-core mixes formats; entries carry type text/plain)
    book.append('idm-core', `${iso} INFO [org.forgerock.openidm.health] ${f.hacker.phrase()}`, t);
  }
}
