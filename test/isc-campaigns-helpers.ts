// Contract checks for the campaign suites: responses (SDK axios responses or sdkFailure results) validated with ajv
// against the vendored v3 access-model contract (test/reference/isc/, provenance in its README).
import { expect } from 'vitest';
import { contractValidator, loadIscContract } from './shared.js';

const FORMATS = ['comma-separated', 'minimum', 'maximum'];

export function accessContract() {
  const check = contractValidator(loadIscContract('isc-v3-access-model-requests-search.openapi.json'), FORMATS);
  const expectValid = (path: string, method: string, res: { status: number; data?: unknown; body?: unknown }) => {
    const body = 'data' in res ? res.data : res.body;
    const r = check(path, method, res.status, body);
    expect(r.errors ?? [], `${method.toUpperCase()} ${path} ${res.status}: ${JSON.stringify(body).slice(0, 400)}`).toEqual([]);
    expect(r.ok).toBe(true);
  };
  return { check, expectValid };
}
