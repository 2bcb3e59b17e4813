// Request portals page the user and approvals views with `_searchAfter` = the previous searchAfterKey (S3 L5526, L5841, L6185).
import { describe, expect, it } from 'vitest';
import { call, testEmulator } from './helpers.js';
import { governanceOf, userNamed, userToken } from './iga-helpers.js';

describe('access request views: _searchAfter paging', () => {
  it('continues after the last entry of the previous page and ends with an empty page', async () => {
    const emu = testEmulator();
    const gov = governanceOf(emu);
    const maria = userNamed(gov, 'maria.manager');
    const oscar = userNamed(gov, 'oscar.owner');
    const tM = await userToken(emu, 'dev', maria);
    const tO = await userToken(emu, 'dev', oscar);
    for (const [path, token] of [[`/iga/governance/user/${maria._id}/approvals?_action=search`, tM], [`/iga/governance/user/${oscar._id}/requests?_action=search`, tO]] as const) {
      const all = await call(emu, 'dev', 'POST', path, { token, body: {} });
      expect(all.body.totalCount).toBe(2);
      const ids = all.body.result.map((r: { id: string }) => r.id);
      const p1 = await call(emu, 'dev', 'POST', `${path}&_pageSize=1`, { token, body: {} });
      expect(p1.body.result.map((r: { id: string }) => r.id)).toEqual([ids[0]]);
      const p2 = await call(emu, 'dev', 'POST', `${path}&_pageSize=1&_searchAfter=${encodeURIComponent(p1.body.searchAfterKey.join(','))}`, { token, body: {} });
      expect(p2.body.result.map((r: { id: string }) => r.id)).toEqual([ids[1]]);
      expect(p2.body.totalCount).toBe(2);
      const p3 = await call(emu, 'dev', 'POST', `${path}&_pageSize=1&_searchAfter=${encodeURIComponent(p2.body.searchAfterKey.join(','))}`, { token, body: {} });
      expect(p3.body.result).toEqual([]);
    }
  });
});
