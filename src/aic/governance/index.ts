// The governance data area: seeded state only here; read endpoints are registered by aic/iga (certifications issue).
import type { Area } from '../../core/types.js';
import { governanceFixture, type GovernanceFixture, type GovernanceState } from './model.js';
import { seedGovernance } from './service.js';

export const governanceArea: Area<GovernanceFixture, GovernanceState> = {
  name: 'governance',
  fixture: governanceFixture,
  seed: seedGovernance,
  snapshot: (state) => ({ governance: { ...state } }),
};
