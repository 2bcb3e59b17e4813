// ISC certifications (issue 9): campaigns' certifications, review items, decisions, reassignment, sign-off with
// honest attribution, certification tasks, audit events on POST /v3/search, and the ISC per-token rate limit.
import type { Area } from '../../core/types.js';
import { iscCertificationsFixture, type IscCertificationsFixture, type IscCertificationsState } from './model.js';
import { seedCertifications } from './seed.js';
import { JOB_REASSIGN, JOB_REMEDIATION, completeRemediation, runReassignTask } from './service.js';
import { registerCertificationRoutes } from './routes.js';
import { registerRateLimit } from './rateLimit.js';

export const iscCertificationsArea: Area<IscCertificationsFixture, IscCertificationsState> = {
  name: 'iscCertifications',
  fixture: iscCertificationsFixture,
  seed: seedCertifications,
  // normalised through the fixture schema: objects created at runtime get the key order seeding produces
  snapshot: (st) =>
    iscCertificationsFixture.parse({
      iscCampaigns: st.campaigns,
      iscCertifications: st.certifications,
      iscCertificationTasks: st.tasks,
      iscAuditEvents: st.events,
      iscRateLimit: st.rateLimit,
    }),
  init(env) {
    env.jobs.on(JOB_REASSIGN, (job) => runReassignTask(env, job.payload));
    env.jobs.on(JOB_REMEDIATION, (job) => completeRemediation(env, String(job.payload.certificationId)));
  },
  middleware: registerRateLimit,
  routes: registerCertificationRoutes,
};
