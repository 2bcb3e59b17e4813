// IGA access requests (issue: AIC access requests; SPEC §6): request types, forms and assignments, workflows,
// requests with approval phases, decisions, asynchronous fulfilment into the governance data, user views, catalog.
import type { Area } from '../../../core/types.js';
import { requestsFixture, type RequestsFixture, type RequestsState } from './model.js';
import { seedRequests, snapshotRequests } from './seed.js';
import { ensureScheduled, registerJobs } from './service.js';
import { registerAdminRoutes } from './admin.js';
import { registerRoutes } from './routes.js';

export const requestsArea: Area<RequestsFixture, RequestsState> = {
  name: 'requests',
  fixture: requestsFixture,
  seed: seedRequests,
  snapshot: snapshotRequests,
  init: (env) => registerJobs(env),
  middleware: (app) => {
    // synchronous: no promise of its own per request
    app.use('/iga/governance/*', (c, next) => {
      const env = c.get('env');
      ensureScheduled(env);
      env.jobs.runDue();
      return next();
    });
  },
  routes: (app) => registerRoutes(app),
  adminRoutes: (admin, emulator) => registerAdminRoutes(admin, emulator),
};
