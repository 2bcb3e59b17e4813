import type { Area } from '../../core/types.js';
import { iscIdentitiesFixture, type IscIdentitiesFixture, type IscIdentitiesState } from './model.js';
import { seedIdentities } from './service.js';

export const iscIdentitiesArea: Area<IscIdentitiesFixture, IscIdentitiesState> = {
  name: 'identities',
  fixture: iscIdentitiesFixture,
  seed: seedIdentities,
  snapshot: (st) => ({ identities: st.identities }),
};
