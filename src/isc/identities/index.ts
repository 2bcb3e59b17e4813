// ISC identities: people and service identities (S0/S1), plus the control-plane lifecycle calls
// POST /__emulator/isc/identities/{id}/deactivate|activate (issue "Authentication": S1's scenario).
import type { Area } from '../../core/types.js';
import { iscIdentitiesFixture, type IscIdentitiesFixture, type IscIdentitiesState } from './model.js';
import { seedIdentities, setIdentityActive } from './service.js';

export const iscIdentitiesArea: Area<IscIdentitiesFixture, IscIdentitiesState> = {
  name: 'identities',
  fixture: iscIdentitiesFixture,
  seed: seedIdentities,
  snapshot: (st) => ({ identities: st.identities }),
  adminRoutes: (admin, emulator) => {
    for (const [action, active] of [['deactivate', false], ['activate', true]] as const) {
      admin.post(`/isc/identities/:id/${action}`, async (c) => {
        const id = c.req.param('id');
        const identity = setIdentityActive(emulator.isc, id, active);
        if (!identity) return c.json({ error: `no identity ${id}` }, 404);
        await emulator.flush();
        return c.json(identity);
      });
    }
  },
};
