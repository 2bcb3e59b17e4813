// ESVs: environment secrets and variables, restart, count and release (SPEC §2; docs/esv.md).
import type { Area } from '../../core/types.js';
import { esvFixture, type EsvFixtureParsed, type EsvState } from './model.js';
import { seedEsv, snapshotEsv } from './seed.js';
import { RESTART_JOB, settleRestart } from './service.js';
import { esvRoutes } from './routes.js';
import { esvAdminRoutes } from './admin.js';

export const esvArea: Area<EsvFixtureParsed, EsvState> = {
  name: 'esv',
  fixture: esvFixture,
  seed: seedEsv,
  snapshot: snapshotEsv,
  init(env) {
    // the restart finishes when the clock passes completesAt (state is read lazily: reset/seed replace it)
    env.jobs.on(RESTART_JOB, () => settleRestart(env));
  },
  routes: (app) => esvRoutes(app),
  adminRoutes: esvAdminRoutes,
};
