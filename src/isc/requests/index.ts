// ISC access requests (issue 13b): requests for roles, access profiles and entitlements, their approvals routed by the
// items' approval schemes, fulfilment on the clock through the access model's provisioning service, and the
// access-request configuration.
import type { Area } from '../../core/types.js';
import { accessRequestsFixture, type AccessRequestsFixture, type AccessRequestsState } from './model.js';
import { REQUESTS_AREA, pendingGrantItems, seedRequests } from './state.js';
import { onPendingRequests } from '../access/requestable.js';
import { registerAccessRequestRoutes } from './routes.js';
import { JOB_ESCALATE, JOB_FULFIL, JOB_REMIND, JOB_REMOVE, escalate, fulfil, remind, removeAtDate } from './lifecycle.js';
import { registerRequestsAdminRoutes } from './admin.js';

// requestable-objects: items with an open request are PENDING for the identity they are requested for
onPendingRequests(pendingGrantItems);

export const iscAccessRequestsArea: Area<AccessRequestsFixture, AccessRequestsState> = {
  name: REQUESTS_AREA,
  fixture: accessRequestsFixture,
  seed: seedRequests,
  // normalised through the fixture schema so runtime rows snapshot with the key order seeding produces
  snapshot: (st) =>
    accessRequestsFixture().parse({
      accessRequestConfig: st.config,
      ...(st.items.length ? { accessRequests: st.items } : {}),
      ...(st.approvals.length ? { accessRequestApprovals: st.approvals } : {}),
      accessRequestFulfilment: st.fulfilment,
    }),
  init(env) {
    env.jobs.on(JOB_FULFIL, (job) => fulfil(env, String(job.payload.itemId)));
    env.jobs.on(JOB_REMOVE, (job) => removeAtDate(env, String(job.payload.itemId)));
    env.jobs.on(JOB_REMIND, (job) => remind(env, String(job.payload.approvalId)));
    env.jobs.on(JOB_ESCALATE, (job) => escalate(env, String(job.payload.approvalId)));
  },
  routes: (app) => registerAccessRequestRoutes(app),
  adminRoutes: registerRequestsAdminRoutes,
};
