// ESV domain rules (SPEC §2, S4 L1221–2070) as plain functions over the environment's state and clock, one module per
// concern: state.ts (lists, lookups, names, timestamps), values.ts (views and value validation), restart.ts (apply
// updates, counts), variables.ts, secrets.ts. Services throw domain errors (core/errors.ts); the ESV routes declare the
// environment API's error shape, so aic/errors.ts renders them as `{code, message}` (recordings esv-*.json).
export { canonicalName, esvExists, esvState, findSecret, findVariable, legacyAlias, MAX_VALUE_BYTES, microStamp, MSG, nanoStamp, RESTART_JOB } from './state.js';
export { decodeBase64, decodedLength, encodingProblem, expressionProblem, secretView, validName, variableView, versionView } from './values.js';
export { esvCount, requestRestart, restartStatus, restartWorkloads, secretPending, settleRestart, variablePending } from './restart.js';
export { deleteVariable, getVariable, putVariable, setVariableDescription } from './variables.js';
export { scriptReferences } from './entries.js';
export { changeVersionStatus, createSecret, createVersion, deleteSecret, destroyVersion, getSecret, getVersion, setSecretDescription } from './secrets.js';
