// The governance data area: seeded users, applications, entitlements, roles and grants, with read-only views
// (IGA lists, a user's grants, /openidm/managed/alpha_user) in routes.ts.
import type { Area } from '../../core/types.js';
import { governanceFixture, type GovernanceFixture, type GovernanceState } from './model.js';
import { seedGovernance } from './service.js';
import { governanceRoutes } from './routes.js';

export const governanceArea: Area<GovernanceFixture, GovernanceState> = {
  name: 'governance',
  fixture: governanceFixture,
  seed: seedGovernance,
  snapshot: (state) => ({ governance: { ...state } }),
  routes: (app) => governanceRoutes(app),
};
