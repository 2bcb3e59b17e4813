// ISC certifications (issue 9): campaigns' certifications, review items, decisions, reassignment, sign-off with
// honest attribution, certification tasks, audit events on POST /v3/search, and the ISC per-token rate limit.
import type { Area } from '../../core/types.js';
import { iscCertificationsFixture, remediationControlSchema, type IscCertificationsFixture, type IscCertificationsState } from './model.js';
import { seedCertifications } from './seed.js';
import { JOB_REASSIGN, runReassignTask } from './service.js';
import { JOB_REMEDIATION, remediationControl, runRemediation } from './remediation.js';
import { ApiError } from '../../core/errors.js';
import { registerCertificationRoutes } from './routes.js';
import { registerRateLimit } from './rateLimit.js';

export const iscCertificationsArea: Area<IscCertificationsFixture, IscCertificationsState> = {
  name: 'iscCertifications',
  fixture: iscCertificationsFixture,
  seed: seedCertifications,
  // normalised through the fixture schema: objects created at runtime get the key order seeding produces
  snapshot: (st) =>
    iscCertificationsFixture().parse({
      iscCampaigns: st.campaigns,
      iscCertifications: st.certifications,
      iscCertificationTasks: st.tasks,
      iscAuditEvents: st.events,
      iscRateLimit: st.rateLimit,
      ...(JSON.stringify(st.remediation) !== JSON.stringify(remediationControlSchema().parse({})) ? { iscRemediation: st.remediation } : {}),
    }),
  init(env) {
    env.jobs.on(JOB_REASSIGN, (job) => runReassignTask(env, job.payload));
    env.jobs.on(JOB_REMEDIATION, (job) => runRemediation(env, job.payload));
  },
  adminRoutes: (admin, emulator) => {
    // remediation delay and injected failures: {delayMs?, failNext?, failureMessage?} (docs/isc-certifications.md)
    admin.get('/isc/remediation', (c) => c.json(remediationControl(emulator.isc)));
    admin.put('/isc/remediation', async (c) => {
      const parsed = remediationControlSchema().partial().strict().safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) throw new ApiError(400, { error: 'invalid body', details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
      const st = emulator.isc.slice<IscCertificationsState>('iscCertifications');
      st.remediation = { ...st.remediation, ...parsed.data };
      emulator.isc.changed();
      await emulator.flush();
      return c.json(st.remediation);
    });
  },
  middleware: registerRateLimit,
  routes: registerCertificationRoutes,
};
