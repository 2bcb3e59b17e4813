// Config rules: read/write IDM and AM config items, and the views promotion needs (items by report category,
// diffs, encrypted values, ESV placeholders). No HTTP here.
import type { Environment } from '../../environment.js';
import type { AuditContext } from '../../core/audit.js';
import { auditActivity } from '../../core/audit.js';
import { NotFound } from '../../core/errors.js';
import { contentRev } from '../../core/crest.js';
import { assertConfigWritable } from '../promotion/guard.js';
import { scriptFromWire, scriptToWire } from './scripts.js';
import { validateTree } from './trees.js';
import { AM_KINDS, type AmKind, type AmRealmConfig, type ConfigState, type JsonObject } from './model.js';
import { clone } from '../../core/clone.js';

export function configOf(env: Environment): ConfigState {
  let c = env.state.config as ConfigState | undefined;
  if (!c) {
    c = { idm: {}, am: {} };
    env.state.config = c;
  }
  return c;
}

export function realmOf(config: ConfigState, realm: string, create: boolean): AmRealmConfig | undefined {
  let r = config.am[realm];
  if (!r && create) r = config.am[realm] = { scripts: {}, trees: {}, oauth2Clients: {}, nodes: {}, entities: {} };
  if (r) {
    r.nodes ??= {};
    r.entities ??= {};
  }
  return r;
}

// ---------- IDM ----------

/** recording iga-certification-templates: the object comes back with its full id as `_id`. */
export function idmView(id: string, value: JsonObject): JsonObject {
  const { _id: _ignored, ...rest } = value;
  return { _id: id, ...rest };
}

export function getIdmConfig(env: Environment, id: string): JsonObject {
  const v = configOf(env).idm[id];
  // IDM: GET of an unknown config id
  if (!v) throw new NotFound(`No configuration exists for id ${id}`);
  return idmView(id, v);
}

export function listIdmConfig(env: Environment): Array<{ id: string; value: JsonObject }> {
  return Object.entries(configOf(env).idm)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, value]) => ({ id, value }));
}

export function putIdmConfig(env: Environment, ctx: AuditContext, id: string, body: JsonObject): { created: boolean; value: JsonObject } {
  assertConfigWritable(env);
  const config = configOf(env);
  const before = config.idm[id];
  // recording iga-certification-templates: the PUT body's `_id` is the short name; the stored id is the path
  const { _id: _ignored, ...value } = body;
  config.idm[id] = clone(value);
  env.changed();
  auditActivity(env, ctx, { source: 'idm-config', objectId: id, operation: before ? 'UPDATE' : 'CREATE', before: before ? idmView(id, before) : undefined, after: idmView(id, value), changedFields: changedFields(before, value) });
  return { created: !before, value: idmView(id, value) };
}

export function deleteIdmConfig(env: Environment, ctx: AuditContext, id: string): JsonObject {
  assertConfigWritable(env);
  const config = configOf(env);
  const before = config.idm[id];
  if (!before) throw new NotFound(`No configuration exists for id ${id}`);
  delete config.idm[id];
  env.changed();
  auditActivity(env, ctx, { source: 'idm-config', objectId: id, operation: 'DELETE', before: idmView(id, before) });
  return idmView(id, before);
}

// ---------- AM ----------

const AM_NOUN: Record<AmKind, string> = { scripts: 'Script', trees: 'Tree', oauth2Clients: 'OAuth2 client', nodes: 'Node', entities: 'Entity' };

/** The wire form of a stored AM item: `_id` first; scripts carry `script` Base64-encoded (scripts.ts). */
// recording TreeApi getTree/deleteTree 2: AM answers an unknown journey with a bare "Not Found"
const amNotFound = (kind: AmKind, id: string) => new NotFound(kind === 'trees' ? 'Not Found' : `${AM_NOUN[kind]} ${id} not found`);

export function amView(kind: AmKind, id: string, value: JsonObject): JsonObject {
  const { _id: _ignored, ...rest } = value;
  if (kind === 'scripts') return scriptToWire({ _id: id, ...rest });
  // recording TreeApi/getTree: journeys carry a content revision
  return kind === 'trees' ? { _id: id, _rev: contentRev(rest), ...rest } : { _id: id, ...rest };
}

export function getAmConfig(env: Environment, realm: string, kind: AmKind, id: string): JsonObject {
  const v = realmOf(configOf(env), realm, false)?.[kind][id];
  // AM CREST 404 for an unknown resource
  if (!v) throw amNotFound(kind, id);
  return amView(kind, id, v);
}

export function listAmConfig(env: Environment, realm: string, kind: AmKind): JsonObject[] {
  const r = realmOf(configOf(env), realm, false);
  if (!r) return [];
  return Object.keys(r[kind])
    .sort()
    .map((id) => amView(kind, id, r[kind][id]!));
}

export function putAmConfig(env: Environment, ctx: AuditContext, realm: string, kind: AmKind, id: string, body: JsonObject): { created: boolean; value: JsonObject } {
  assertConfigWritable(env);
  const r = realmOf(configOf(env), realm, true)!;
  const before = r[kind][id];
  const { _id: _i, _rev: _r, ...sent } = body;
  if (kind === 'trees') validateTree(sent);
  const value = kind === 'scripts' ? scriptFromWire(sent, before, ctx.principal?.id ?? 'anonymous', env.clock.now()) : sent;
  r[kind][id] = { _id: id, ...clone(value) };
  env.changed();
  auditActivity(env, ctx, { source: 'am-config', objectId: `realms/${realm}/${kind}/${id}`, operation: before ? 'UPDATE' : 'CREATE', before, after: r[kind][id], changedFields: changedFields(before, value) });
  // recording ScriptOps putScript: the written script comes back with its revision (reads carry none)
  const view = amView(kind, id, r[kind][id]!);
  return { created: !before, value: kind === 'scripts' ? { _id: id, _rev: contentRev(r[kind][id]), ...view } : view };
}

export function deleteAmConfig(env: Environment, ctx: AuditContext, realm: string, kind: AmKind, id: string): JsonObject {
  assertConfigWritable(env);
  const r = realmOf(configOf(env), realm, false);
  const before = r?.[kind][id];
  if (!r || !before) throw amNotFound(kind, id);
  delete r[kind][id];
  env.changed();
  auditActivity(env, ctx, { source: 'am-config', objectId: `realms/${realm}/${kind}/${id}`, operation: 'DELETE', before });
  // recording ScriptOps deleteScript: AM answers a deleted script with its id only
  return kind === 'scripts' ? { _id: id } : amView(kind, id, before);
}

function changedFields(before: JsonObject | undefined, after: JsonObject): string[] {
  if (!before) return [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => k !== '_id' && JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => `/${k}`);
}

// ---------- promotion views ----------

export interface ReportCategory {
  area: 'IDMConfig' | 'AMConfig';
  configItem: string;
  fileDestinationPattern: string;
  fileName: string;
  type: 'single';
}

export interface ConfigItem {
  /** Unique key across the whole configuration. */
  key: string;
  category: ReportCategory;
  /** The name shown in a report (the value of `fileName` in the item). */
  label: string;
  /** Where the item lives in a configuration export (used for encrypted-secret locations). */
  file: string;
  value: JsonObject;
}

// S4 L3563: `{configItem: "Email > Templates", fileDestinationPattern: "idm/conf/emailTemplate-*.json", fileName: "displayName", type: "single"}`
function idmCategory(id: string): ReportCategory {
  const prefix = id.includes('/') ? id.slice(0, id.indexOf('/')) : id;
  const cat = (configItem: string, fileDestinationPattern: string, fileName: string): ReportCategory => ({ area: 'IDMConfig', configItem, fileDestinationPattern, fileName, type: 'single' });
  switch (prefix) {
    case 'emailTemplate':
      return cat('Email > Templates', 'idm/conf/emailTemplate-*.json', 'displayName');
    case 'external.email':
      return cat('Email > Provider', 'idm/conf/external.email.json', '_id');
    case 'ui':
      return cat('Hosted Pages > Themes', 'idm/conf/ui-*.json', '_id');
    case 'managed':
      return cat('Identities > Managed Objects', 'idm/conf/managed.json', 'name');
    case 'provisioner.openicf':
      return cat('Connectors', 'idm/conf/provisioner.openicf-*.json', '_id');
    default:
      return cat(`IDM > ${prefix}`, `idm/conf/${prefix}${id.includes('/') ? '-*' : ''}.json`, '_id');
  }
}

const AM_CATEGORY: Record<AmKind, Omit<ReportCategory, 'fileDestinationPattern'> & { dir: string }> = {
  scripts: { area: 'AMConfig', configItem: 'Scripts', fileName: 'name', type: 'single', dir: 'scripts' },
  trees: { area: 'AMConfig', configItem: 'Journeys', fileName: '_id', type: 'single', dir: 'authenticationtreesservice/trees' },
  oauth2Clients: { area: 'AMConfig', configItem: 'Applications > OAuth2 Clients', fileName: '_id', type: 'single', dir: 'agents/oauth2client' },
  // journey nodes promote with their journeys (docs/frodo.md): reported by id under their own file pattern
  nodes: { area: 'AMConfig', configItem: 'Journeys', fileName: '_id', type: 'single', dir: 'authenticationtreesservice/nodes' },
  // services, agents, webhooks, secret stores: reported by their path below the realm
  entities: { area: 'AMConfig', configItem: 'Services', fileName: '_id', type: 'single', dir: 'services' },
};

/** Every promotable item with its report category, in a stable order. */
export function configItems(config: ConfigState): ConfigItem[] {
  const out: ConfigItem[] = [];
  for (const id of Object.keys(config.idm).sort()) {
    const value = config.idm[id]!;
    const category = idmCategory(id);
    const named = category.fileName === '_id' ? undefined : value[category.fileName];
    out.push({ key: `idm:${id}`, category, label: typeof named === 'string' && named ? named : id, file: `idm/conf/${id.replace(/\//g, '-')}.json`, value });
  }
  for (const realm of Object.keys(config.am).sort()) {
    for (const kind of AM_KINDS) {
      const items = config.am[realm]![kind] ?? {};
      const c = AM_CATEGORY[kind];
      const category: ReportCategory = { area: 'AMConfig', configItem: c.configItem, fileDestinationPattern: `am/services/realm/root-${realm}/${c.dir}/*.json`, fileName: c.fileName, type: 'single' };
      for (const id of Object.keys(items).sort()) {
        const value = items[id]!;
        const named = c.fileName === '_id' ? undefined : value[c.fileName];
        out.push({ key: `am:${realm}:${kind}:${id}`, category, label: typeof named === 'string' && named ? named : id, file: `am/services/realm/root-${realm}/${c.dir}/${id}.json`, value });
      }
    }
  }
  const global = config.amGlobal ?? {};
  const gcat: ReportCategory = { area: 'AMConfig', configItem: 'Global Services', fileDestinationPattern: 'am/services/global/*.json', fileName: '_id', type: 'single' };
  for (const path of Object.keys(global).sort()) {
    out.push({ key: `amGlobal:${path}`, category: gcat, label: path, file: `am/services/global/${path}.json`, value: global[path]! });
  }
  return out;
}

export interface ReportEntry {
  configChange: { added?: string[]; modified?: string[]; deleted?: string[] };
  configItem: string;
  fileDestinationPattern: string;
  fileName: string;
  type: string;
}
export interface ReportBody {
  IDMConfig?: ReportEntry[];
  AMConfig?: ReportEntry[];
}

/** What moving from `before` to `after` changes, grouped per report category (S4 L3563–3590 shape). */
export function diffConfig(before: ConfigState, after: ConfigState): { report: ReportBody; changed: boolean } {
  const b = new Map(configItems(before).map((i) => [i.key, i]));
  const a = new Map(configItems(after).map((i) => [i.key, i]));
  const groups = new Map<string, { cat: ReportCategory; added: string[]; modified: string[]; deleted: string[] }>();
  const group = (cat: ReportCategory) => {
    const k = `${cat.area}|${cat.configItem}|${cat.fileDestinationPattern}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { cat, added: [], modified: [], deleted: [] }));
    return g;
  };
  for (const [key, item] of a) {
    const old = b.get(key);
    if (!old) group(item.category).added.push(item.label);
    else if (JSON.stringify(old.value) !== JSON.stringify(item.value)) group(item.category).modified.push(item.label);
  }
  for (const [key, item] of b) if (!a.has(key)) group(item.category).deleted.push(item.label);
  const report: ReportBody = {};
  for (const g of groups.values()) {
    const configChange: ReportEntry['configChange'] = {};
    if (g.added.length) configChange.added = g.added;
    if (g.deleted.length) configChange.deleted = g.deleted;
    if (g.modified.length) configChange.modified = g.modified;
    if (!g.added.length && !g.modified.length && !g.deleted.length) continue;
    (report[g.cat.area] ??= []).push({ configChange, configItem: g.cat.configItem, fileDestinationPattern: g.cat.fileDestinationPattern, fileName: g.cat.fileName, type: g.cat.type });
  }
  return { report, changed: Object.keys(report).length > 0 };
}

/** S4 L3470: encrypted values embedded in config, as `* <file>:<line>` of the item's pretty-printed export. */
export function encryptedSecretsIn(config: ConfigState): string[] {
  const out: string[] = [];
  for (const item of configItems(config)) {
    // the item as its export file holds it (IDM objects carry their `_id` first)
    const text = JSON.stringify(item.key.startsWith('idm:') ? idmView(item.key.slice(4), item.value) : item.value, null, 2);
    if (!text.includes('"$crypto"')) continue;
    text.split('\n').forEach((line, i) => {
      if (line.includes('"$crypto"')) out.push(`* ${item.file}:${i + 1}`);
    });
  }
  return out;
}

const PLACEHOLDER = /&\{esv\.([A-Za-z0-9._-]+?)(\|[^}]*)?\}/g;

/**
 * ESV placeholders in config: `name` as the product reports it in `missingESVs` (S4 L3447: "email.from" for
 * `&{esv.email.from}`), the ESV it needs (`esv-email-from`), and whether it has a `|default`.
 */
export function placeholderRefs(value: unknown, out = new Map<string, { name: string; esv: string; hasDefault: boolean }>()): Map<string, { name: string; esv: string; hasDefault: boolean }> {
  if (typeof value === 'string') {
    for (const m of value.matchAll(PLACEHOLDER)) {
      const name = m[1]!;
      const prev = out.get(name);
      const hasDefault = m[2] !== undefined;
      out.set(name, { name, esv: `esv-${name.replace(/\./g, '-')}`, hasDefault: prev ? prev.hasDefault && hasDefault : hasDefault });
    }
  } else if (Array.isArray(value)) {
    for (const v of value) placeholderRefs(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) placeholderRefs(v, out);
  }
  return out;
}
