// S3 L6887: GET /iga/governance/requestTypes takes `_pageNumber` (with `_pageSize`) and `_sortBy` besides the CREST ones.
import { describe, expect, it } from 'vitest';
import { aicToken, call, testEmulator } from './helpers.js';

describe('request types list: _pageNumber and _sortBy', () => {
  it('pages by page number and sorts by the named property', async () => {
    const emu = testEmulator();
    const admin = await aicToken(emu, 'dev', ['fr:iga:*']);
    const L = '/iga/governance/requestTypes';
    const all = await call(emu, 'dev', 'GET', `${L}?_queryFilter=true&_sortBy=id`, { token: admin });
    const ids: string[] = all.body.result.map((t: { id: string }) => t.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids.length).toBeGreaterThan(10);
    const p1 = await call(emu, 'dev', 'GET', `${L}?_queryFilter=true&_sortBy=id&_pageSize=5&_pageNumber=1`, { token: admin });
    expect(p1.body.result.map((t: { id: string }) => t.id)).toEqual(ids.slice(5, 10));
    expect(p1.body.totalCount).toBe(ids.length);
  });
});
