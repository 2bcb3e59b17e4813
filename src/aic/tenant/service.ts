// Tenant rules: environment info (derived from the promotion chain and the lock), realms (state), realm checks that
// every realm-scoped AM route applies (issue 19 item 9: only the tenant's realms exist). No HTTP here.
import type { Environment } from '../../environment.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { contentRev } from '../../core/crest.js';
import { configPromotionDone, lockOf } from '../promotion/guard.js';
import { DEFAULT_REALMS, type Realm, type RealmUpdate, type TenantState } from './model.js';
import { clone } from '../../core/clone.js';

export function tenantOf(env: Environment): TenantState {
  let t = env.state.tenant as TenantState | undefined;
  if (!t) env.state.tenant = t = { realms: clone(DEFAULT_REALMS) };
  return t;
}

/** AM realm ids are the Base64 of the realm path (recording: `L2FscGhh` is `/alpha`). */
export function realmId(r: Realm): string {
  return Buffer.from(realmPath(r), 'utf8').toString('base64');
}

function realmPath(r: Realm): string {
  return `${r.parentPath.replace(/\/$/, '')}/${r.name}`;
}

export function realmView(r: Realm): Record<string, unknown> {
  return { _id: realmId(r), _rev: contentRev(r), parentPath: r.parentPath, active: r.active, name: r.name, aliases: r.aliases };
}


export function listRealms(env: Environment): Realm[] {
  return tenantOf(env).realms;
}

export function getRealm(env: Environment, id: string): Realm {
  const r = tenantOf(env).realms.find((x) => realmId(x) === id);
  // AM: a realm id that names no realm
  if (!r) throw new NotFound('Realm not found');
  return r;
}

/** Whether `name` (`root`, `alpha`, a sub-realm's last segment) is one of the tenant's realms. */
export function realmExists(env: Environment, name: string): boolean {
  return name === 'root' || tenantOf(env).realms.some((r) => r.name === name);
}

/** issue 19 item 9: a realm-scoped path naming a realm the tenant does not have answers AM's 404. */
export function assertRealm(env: Environment, name: string): void {
  // AM: `Realm "/<name>" not found` for /am/json/realms/root/realms/<name>/…
  if (!realmExists(env, name)) throw new NotFound(`Realm "/${name}" not found`);
}

export function updateRealm(env: Environment, id: string, body: RealmUpdate): Realm {
  const r = getRealm(env, id);
  if (body.name !== undefined && body.name !== r.name) throw new Invalid('Realm name cannot be changed');
  if (body.active !== undefined) r.active = body.active;
  if (body.aliases !== undefined) r.aliases = [...body.aliases];
  env.changed();
  return r;
}

/**
 * `GET /environment/info` (frodo-lib EnvInfoApi's EnvInfoInterface; frodo-cli `info` prints immutable, locked,
 * region, tier, config_promotion_done, placeholder_management). The lowest environment of the chain is the mutable
 * development tier; environments above it take configuration only by promotion (S4 L3009–3040).
 */
export function environmentInfo(env: Environment): Record<string, unknown> {
  const chain = promotionChain(env);
  const display = (e: Environment | undefined) => (e ? e.name.charAt(0).toUpperCase() + e.name.slice(1) : null);
  return {
    immutable: env.lower !== null,
    locked: lockOf(env).state !== 'unlocked',
    region: 'us-west1',
    backupRegion: 'us-east4',
    tier: env.name,
    ipAddresses: [],
    config_promotion_done: configPromotionDone(env),
    placeholder_management: 'CUSTOMER',
    placeholder_management_migration_date: '',
    promotionTierInfo: { tierDisplayName: display(env), tiers: chain.map((e) => e.name), lowerTierDisplayName: display(env.lowerEnv), upperTierDisplayName: display(env.upperEnv) },
    warning_message_html: '',
    message_box_title: '',
    message_box_html: '',
    message_variant: '',
  };
}

function promotionChain(env: Environment): Environment[] {
  let first = env;
  while (first.lowerEnv) first = first.lowerEnv;
  const out: Environment[] = [];
  for (let e: Environment | undefined = first; e; e = e.upperEnv) out.push(e);
  return out;
}
