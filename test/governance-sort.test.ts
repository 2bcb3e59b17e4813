// IGA list sort keys may name `descriptor.idx./entitlement.displayName` (a property whose name holds a slash):
// the entitlement list's default order is by display name, and a client can ask for it explicitly.
import { describe, expect, it } from 'vitest';
import { aicToken, call, testEmulator } from './helpers.js';

describe('governance lists: sort keys with slash-named properties', () => {
  it('sorts entitlements by descriptor.idx./entitlement.displayName', async () => {
    const emu = testEmulator();
    const admin = await aicToken(emu, 'dev', ['fr:iga:*']);
    const names = (r: { body: { result: any[] } }) => r.body.result.map((e) => e.descriptor.idx['/entitlement'].displayName as string);
    const sorted = (l: string[]) => [...l].sort((x, y) => x.localeCompare(y));
    const dflt = await call(emu, 'dev', 'GET', '/iga/governance/entitlement?_pageSize=1000', { token: admin });
    expect(names(dflt)).toEqual(sorted(names(dflt)));
    const desc = await call(emu, 'dev', 'GET', `/iga/governance/entitlement?_pageSize=1000&_sortKeys=${encodeURIComponent('descriptor.idx./entitlement.displayName')}&_sortDir=desc`, { token: admin });
    expect(names(desc)).toEqual(sorted(names(desc)).reverse());
    expect(dflt.body.searchAfterKey[0]).toBe(names(dflt).at(-1));
  });
});
