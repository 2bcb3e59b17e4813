// S3 L3733: the users × catalog endpoint names its parameter `action` (create | validate); `?action=validate`
// only validates — a portal's dry run must not file requests. `_action` (the spelling) works alike.
import { describe, expect, it } from 'vitest';
import { aicToken, call, testEmulator } from './helpers.js';
import type { GovernanceState } from '../src/aic/governance/model.js';

describe('access requests: bulk validate with the documented `action` parameter', () => {
  it('validates without creating, then creates', async () => {
    const emu = testEmulator();
    const gov = emu.env('dev')!.slice<GovernanceState>('governance');
    const admin = await aicToken(emu, 'dev', ['fr:iga:*']);
    const user = gov.users.find((u) => u.userName === 'oscar.owner')!;
    const held = new Set(gov.grants.filter((g) => g.userId === user._id).map((g) => g.assignmentId));
    const ent = [...gov.entitlements].reverse().find((e) => e.requestable && !held.has(e.id))!;
    const body = { users: [user._id], catalogs: [{ type: 'entitlement', id: ent.id }], justification: 'dry run' };
    const count = async () => (await call(emu, 'dev', 'GET', '/iga/governance/requests', { token: admin })).body.totalCount as number;
    const before = await count();
    for (const p of ['?action=validate', '?_action=validate']) {
      const v = await call(emu, 'dev', 'POST', `/iga/governance/requests${p}`, { token: admin, body });
      expect(v.status).toBe(200);
      expect(v.body.errors).toEqual([]);
      expect(await count()).toBe(before);
    }
    const bad = await call(emu, 'dev', 'POST', '/iga/governance/requests?action=nope', { token: admin, body });
    expect(bad.status).toBe(400);
    const created = await call(emu, 'dev', 'POST', '/iga/governance/requests?action=create', { token: admin, body });
    expect(created.status).toBe(200);
    expect(created.body.result).toHaveLength(1);
    expect(await count()).toBe(before + 1);
  });
});
