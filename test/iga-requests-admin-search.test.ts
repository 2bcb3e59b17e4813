// The admin request search (GET /iga/governance/requests, POST …/requests?_action=search) is for governance
// administrators (docs/iga-requests.md: admin search, fr:iga:*); an end user sees only their own requests and approvals.
import { describe, expect, it } from 'vitest';
import { aicToken, call, testEmulator } from './helpers.js';
import { governanceOf, userNamed } from './iga-helpers.js';

describe('access requests: admin search is for administrators', () => {
  it('refuses an end user (even with fr:iga:*) and answers a governance administrator', async () => {
    const emu = testEmulator();
    const gov = governanceOf(emu);
    const oscar = userNamed(gov, 'oscar.owner');
    const govAdmin = userNamed(gov, 'gov.admin');
    for (const scopes of [['fr:idm:*'], ['fr:idm:*', 'fr:iga:*']]) {
      const tok = await aicToken(emu, 'dev', scopes, oscar._id, 'user');
      const s = await call(emu, 'dev', 'POST', '/iga/governance/requests?_action=search', { token: tok, body: {} });
      expect(s.status).toBe(403);
      expect(s.body.result).toBeUndefined();
      const g = await call(emu, 'dev', 'GET', '/iga/governance/requests', { token: tok });
      expect(g.status).toBe(403);
    }
    const tAdmin = await aicToken(emu, 'dev', ['fr:idm:*', 'fr:iga:*'], govAdmin._id, 'user');
    const sa = await call(emu, 'dev', 'POST', '/iga/governance/requests?_action=search', { token: tAdmin, body: {} });
    expect(sa.status).toBe(200);
    expect(sa.body.totalCount).toBeGreaterThan(0);
    expect((await call(emu, 'dev', 'GET', '/iga/governance/requests', { token: tAdmin })).status).toBe(200);
    const svc = await aicToken(emu, 'dev', ['fr:iga:*']);
    expect((await call(emu, 'dev', 'POST', '/iga/governance/requests?_action=search', { token: svc, body: {} })).body.totalCount).toBe(sa.body.totalCount);
  });
});
