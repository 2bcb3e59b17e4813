// ESV secrets and their versions: create, description, delete, add a version, enable/disable, destroy (S4 L1221–2070).
import type { RequestActor } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { auditActivity } from '../../core/audit.js';
import type { PutSecretInput, Secret, SecretVersion } from './model.js';
import { deleteEntry, describeEntry, touch } from './entries.js';
import { assertNotRestarting } from './restart.js';
import { changedBy, esvState, findSecret, insertSorted, microNow, microStamp, MSG, nanoStamp } from './state.js';
import { decodeBase64, encodingProblem, nameError, secretView, validName, versionView } from './values.js';

// ---------------------------------------------------------------- secrets

export function getSecret(env: Environment, name: string): Secret {
  const s = findSecret(env, name);
  if (!s) throw new NotFound(MSG.secretNotFound);
  return s;
}

/** PUT /environment/secrets/{name}: creation only; new values go in versions (SPEC §2). */
export function createSecret(env: Environment, actor: RequestActor, name: string, body: PutSecretInput): Secret {
  if (!validName(name)) throw nameError('secret', name);
  if (findSecret(env, name)) throw new Invalid(MSG.secretExists);
  assertNotRestarting(env);
  // the body's fields are checked by its schema (model.ts putSecretBody)
  const encoding = body.encoding ?? 'generic';
  const useInPlaceholders = body.useInPlaceholders ?? true;
  const value = decodeBase64(body.valueBase64)!;
  const problem = encodingProblem(encoding, value);
  if (problem) throw new Invalid(`Invalid value for encoding ${encoding}: the decoded value must be ${problem}`);
  const stamp = nanoStamp(env, name);
  const secret: Secret = {
    _id: name,
    description: typeof body.description === 'string' ? body.description : '',
    encoding,
    useInPlaceholders,
    activeVersion: '1',
    // recording esv-secrets: useInPlaceholders=false secrets are loaded at once (secret store, no restart needed)
    loaded: !useInPlaceholders,
    loadedVersion: useInPlaceholders ? '' : '1',
    lastChangeDate: stamp,
    lastChangedBy: changedBy(actor),
    // S4 L1447: the first version is created enabled
    versions: [{ version: '1', createDate: microStamp(stamp), status: 'ENABLED', valueBase64: body.valueBase64.replace(/\s+/g, '') }],
  };
  insertSorted(esvState(env).secrets, secret);
  env.changed();
  auditActivity(env, actor, { objectId: `environment/secrets/${name}`, operation: 'CREATE', after: secretView(secret) });
  return secret;
}

export function setSecretDescription(env: Environment, actor: RequestActor, name: string, description: string): void {
  describeEntry(env, actor, 'secret', getSecret(env, name), description);
}

export function deleteSecret(env: Environment, actor: RequestActor, name: string): Secret {
  return deleteEntry(env, actor, 'secret', getSecret(env, name));
}

/** Versions still holding a value (not DESTROYED), newest first. */
function liveVersions(s: Secret): SecretVersion[] {
  return s.versions.filter((v) => v.status !== 'DESTROYED');
}

/** The active version follows the latest live one (S4 L1447–1457). */
function recomputeActive(s: Secret): void {
  s.activeVersion = liveVersions(s)[0]?.version ?? '';
  if (!s.useInPlaceholders) {
    s.loaded = true;
    s.loadedVersion = s.activeVersion;
  } else if (s.loadedVersion !== s.activeVersion) {
    s.loaded = false;
  }
}

export function getVersion(env: Environment, name: string, version: string): { secret: Secret; version: SecretVersion } {
  const s = findSecret(env, name);
  const v = s?.versions.find((x) => x.version === version);
  if (!s || !v) throw new NotFound(MSG.versionGetFailed);
  return { secret: s, version: v };
}

/** POST …/versions?_action=create (S4 L1437: the value must differ from the latest version's). */
export function createVersion(env: Environment, actor: RequestActor, name: string, valueBase64: string): { secret: Secret; version: SecretVersion } {
  const s = findSecret(env, name);
  if (!s) throw new NotFound(MSG.versionCreateFailed);
  assertNotRestarting(env);
  const value = decodeBase64(valueBase64)!;
  const problem = encodingProblem(s.encoding, value);
  if (problem) throw new Invalid(`Invalid value for encoding ${s.encoding}: the decoded value must be ${problem}`);
  const latest = liveVersions(s)[0];
  if (latest && decodeBase64(latest.valueBase64)?.equals(value)) {
    throw new Invalid('Failed to create secret version: the value must be different from the value of the latest version');
  }
  const next = String(s.versions.reduce((m, v) => Math.max(m, Number(v.version) || 0), 0) + 1);
  const version: SecretVersion = { version: next, createDate: microNow(env, `${name}/${next}`), status: 'ENABLED', valueBase64: valueBase64.replace(/\s+/g, '') };
  s.versions.unshift(version);
  recomputeActive(s);
  touch(env, s, actor);
  auditActivity(env, actor, { objectId: `environment/secrets/${name}/versions/${next}`, operation: 'CREATE', after: versionView(s, version) });
  return { secret: s, version };
}

/** POST …/versions/{v}?_action=changestatus (S4 L1455: the latest version cannot be disabled). */
export function changeVersionStatus(env: Environment, actor: RequestActor, name: string, version: string, status: 'ENABLED' | 'DISABLED'): { secret: Secret; version: SecretVersion } {
  const s = findSecret(env, name);
  const v = s?.versions.find((x) => x.version === version);
  if (!s || !v) throw new NotFound(MSG.secretNotFound);
  assertNotRestarting(env);
  if (v.status === 'DESTROYED') throw new Invalid(`Version ${version} of secret ${name} is destroyed; its status cannot be changed`);
  if (status === 'DISABLED' && liveVersions(s)[0] === v) throw new Invalid(MSG.disableLatest);
  const before = versionView(s, v);
  v.status = status;
  touch(env, s, actor);
  auditActivity(env, actor, { objectId: `environment/secrets/${name}/versions/${version}`, operation: 'ACTION', before, after: versionView(s, v), details: { action: 'changestatus', status } });
  return { secret: s, version: v };
}

/** DELETE …/versions/{v}: the version becomes DESTROYED (recording esv-secrets); S4 L1457 guards the latest. */
export function destroyVersion(env: Environment, actor: RequestActor, name: string, version: string): { secret: Secret; version: SecretVersion } {
  const s = findSecret(env, name);
  const v = s?.versions.find((x) => x.version === version);
  if (!s || !v) throw new NotFound(MSG.secretNotFound);
  assertNotRestarting(env);
  if (v.status === 'DESTROYED') throw new Invalid(`Version ${version} of secret ${name} is already destroyed`);
  const live = liveVersions(s);
  if (live[0] === v) {
    const previous = live[1];
    // S4 L1451: a secret always keeps at least one enabled version
    if (!previous) throw new Invalid('The only version of a secret cannot be deleted');
    // S4 L1457: the latest version cannot be deleted if the previous one is disabled
    if (previous.status === 'DISABLED') throw new Invalid('The latest version of a secret cannot be deleted when the previous version is disabled');
  }
  const before = versionView(s, v);
  v.status = 'DESTROYED';
  v.valueBase64 = '';
  recomputeActive(s);
  touch(env, s, actor);
  auditActivity(env, actor, { objectId: `environment/secrets/${name}/versions/${version}`, operation: 'DELETE', before, after: versionView(s, v) });
  return { secret: s, version: v };
}
