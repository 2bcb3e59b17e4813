// IGA certifications (SPEC §5; docs/iga-certifications.md): templates, campaigns, line items, decisions, sign-off.
import type { Area } from '../../../core/types.js';
import { certificationsFixture, type CertificationsFixture, type CertificationsState } from './model.js';
import { seedCertifications } from './seed.js';
import { JOB_EXPIRE, JOB_GENERATE, JOB_REMEDIATE, JOB_SCHEDULED, certState, getCampaign, runGeneration, runRemediation, runScheduled } from './service.js';
import type { ActorInfo } from './model.js';
import { certificationRoutes } from './routes.js';

export const certificationsArea: Area<CertificationsFixture, CertificationsState> = {
  name: 'certifications',
  fixture: certificationsFixture,
  seed: seedCertifications,
  snapshot: (state) => ({ igaCertifications: { templates: state.templates, campaigns: state.campaigns, items: state.items as never } }),
  init(env) {
    env.jobs.on(JOB_GENERATE, (job) => runGeneration(env, String(job.payload.campaignId)));
    env.jobs.on(JOB_EXPIRE, (job) => {
      if (certState(env)) {
        try {
          getCampaign(env, String(job.payload.campaignId)); // expires it when the deadline passed
        } catch {
          /* campaign gone (reset/seed) */
        }
      }
    });
    env.jobs.on(JOB_SCHEDULED, (job) => runScheduled(env, String(job.payload.templateId), job.payload.scheduleId));
    env.jobs.on(JOB_REMEDIATE, (job) => runRemediation(env, String(job.payload.campaignId), String(job.payload.itemId), job.payload.signedOffBy as ActorInfo | undefined, job.id));
  },
  routes: (app) => certificationRoutes(app),
};
