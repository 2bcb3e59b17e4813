// Certification state, indexes, principals and shared helpers (SPEC §5; S3 L356–3713; S4 L15351–17160).
import type { Environment } from '../../../environment.js';
import type { Principal } from '../../../core/auth.js';
import { auditActivity } from '../../../core/audit.js';
import { hasAnyScope } from '../../../core/scopes.js';
import { transactionId } from '../../../core/ids.js';
import type { User } from '../../governance/model.js';
import { findUser } from '../../governance/service.js';
import type { ActorInfo, Campaign, CertificationsState, LineItem, Template } from './model.js';

export const AREA = 'certifications';
export const DAY = 86_400_000;
/** Emulator choice: campaign generation (ETL) takes this long after the start call (S4: campaigns are created asynchronously). */
export const GENERATION_MS = 5_000;
/** Emulator choice: remediation runs this long after sign-off (plus the template's remediationDelay in days). */
export const REMEDIATION_LAG_MS = 5_000;
export const JOB_GENERATE = 'iga.certification.generate';
export const JOB_EXPIRE = 'iga.certification.expire';
export const JOB_REMEDIATE = 'iga.certification.remediate';
export const JOB_SCHEDULED = 'iga.certification.scheduled';


// ---------------------------------------------------------------- state and indexes

/** Activity entry for work the IGA service does itself (generation, expiry) or that closes on someone's behalf. */
export function processAudit(env: Environment, actor: ActorInfo | string, campaignId: string, message: string, details: Record<string, unknown>): void {
  const a = typeof actor === 'string' ? { id: actor, type: 'system' as const } : actor;
  const principal: Principal = { type: a.type === 'user' ? 'user' : a.type === 'oauthClient' ? 'oauthClient' : 'serviceAccount', id: a.id, scopes: [], authorities: [], tokenId: '', claims: {} };
  auditActivity(env, { txId: transactionId(), principal }, { objectId: `governance/certification/${campaignId}`, operation: 'UPDATE', message, details });
}

export function certState(env: Environment): CertificationsState {
  return env.slice<CertificationsState>(AREA);
}

interface Indexes {
  templates: Map<string, Template>;
  templatesByName: Map<string, Template>;
  campaigns: Map<string, Campaign>;
  items: Map<string, LineItem>;
  itemsByCampaign: Map<string, LineItem[]>;
  /** `managed/user/<id>` → items that user is an actor on. */
  itemsByActor: Map<string, Set<LineItem>>;
}
const cache = new WeakMap<CertificationsState, Indexes>();

export function ix(state: CertificationsState): Indexes {
  let x = cache.get(state);
  if (!x) {
    x = {
      templates: new Map(state.templates.map((t) => [t.id, t])),
      templatesByName: new Map(state.templates.map((t) => [t.name, t])),
      campaigns: new Map(state.campaigns.map((c) => [c.id, c])),
      items: new Map(),
      itemsByCampaign: new Map(),
      itemsByActor: new Map(),
    };
    for (const it of state.items) indexItem(x, it);
    cache.set(state, x);
  }
  return x;
}

export function indexItem(x: Indexes, it: LineItem): void {
  x.items.set(it.id, it);
  let l = x.itemsByCampaign.get(it.campaignId);
  if (!l) x.itemsByCampaign.set(it.campaignId, (l = []));
  l.push(it);
  for (const a of it.decision.certification.actors) addActorIndex(x, a.id, it);
}

export function addActorIndex(x: Indexes, actorId: string, it: LineItem): void {
  let s = x.itemsByActor.get(actorId);
  if (!s) x.itemsByActor.set(actorId, (s = new Set()));
  s.add(it);
}

export const idx = (env: Environment) => ix(certState(env));
export const userKey = (id: string) => `managed/user/${id.replace(/^managed\/(alpha_)?user\//, '')}`;
export const bareId = (id: string) => id.replace(/^managed\/(alpha_)?user\//, '');
export const iso = (ms: number) => new Date(ms).toISOString();

// ---------------------------------------------------------------- principals

export function userInfo(u: User) {
  return { givenName: u.givenName, id: u._id, mail: u.mail, sn: u.sn, userName: u.userName };
}

/** The acting identity as recorded on decisions and comments (seed 000: always the identity behind the token). */
export function actorInfo(env: Environment, p: Principal): ActorInfo {
  if (p.type === 'user') {
    const u = findUser(env, p.id);
    if (u) return { id: u._id, type: 'user', userName: u.userName, givenName: u.givenName, sn: u.sn, mail: u.mail };
    return { id: p.id, type: 'user', userName: p.name ?? p.id };
  }
  return { id: p.id, type: p.type === 'oauthClient' ? 'oauthClient' : 'serviceAccount', name: p.name ?? p.id };
}

/** Governance administrators: service accounts/clients holding fr:iga:*, users with the governance-administrator role. */
export function isGovernanceAdmin(env: Environment, p: Principal): boolean {
  if (p.type !== 'user') return hasAnyScope(p.scopes, ['fr:iga:*']);
  return findUser(env, p.id)?.roles.includes('governance-administrator') ?? false;
}

/** S4 L15680: "Only campaign owners can fully control their campaigns". */
export function isCampaignAdmin(env: Environment, p: Principal, c: Campaign): boolean {
  if (isGovernanceAdmin(env, p)) return true;
  return p.type === 'user' && typeof c.ownerId === 'string' && userKey(c.ownerId) === userKey(p.id);
}


/** The value a sort key names (a dotted path of the object's own fields; inherited members such as `constructor` are none). */
export const sortVal = (o: Record<string, unknown>, key: string): string => {
  const v = key.split('.').reduce<unknown>((a, k) => (a && typeof a === 'object' && Object.hasOwn(a, k) ? (a as Record<string, unknown>)[k] : undefined), o);
  return v === undefined || v === null ? '' : String(v);
};

export const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
