// ISC certification campaigns and campaign templates (issue 14): campaigns generated from the access model, their
// lifecycle on the emulator clock, admin reassignment, remediation scans, reports and template schedules. Campaigns are
// stored with the certifications they own (iscCertifications.campaigns); this area keeps templates, reports, the
// reports configuration and the timings. Control plane: GET|PUT /__emulator/isc/campaigns/timings.
import type { Area } from '../../core/types.js';
import { ApiError } from '../../core/errors.js';
import { campaignTimingsSchema, iscCampaignsFixture, type IscCampaignsFixture, type IscCampaignsState } from './model.js';
import { campaignsState } from './service.js';
import { activationDone, completionDone, deadlineReached, JOB_ACTIVATE, JOB_ADMIN_REASSIGN, JOB_COMPLETE, JOB_DEADLINE, JOB_STAGE, runAdminReassign, stageCampaign } from './lifecycle.js';
import { finishReport, JOB_REPORT } from './reports.js';
import { JOB_REMEDIATION_SCAN, runRemediationScan } from './remediation.js';
import { JOB_TEMPLATE_RUN, runScheduledTemplate } from './templates.js';
import { registerCampaignRoutes } from './routes.js';

export const iscCampaignsArea: Area<IscCampaignsFixture, IscCampaignsState> = {
  name: 'iscCampaigns',
  fixture: iscCampaignsFixture,
  seed: (section) => ({
    templates: section.iscCampaignTemplates ?? [],
    reports: section.iscCampaignReports ?? [],
    reportsConfig: section.iscCampaignReportsConfig ?? { identityAttributeColumns: null },
    timings: campaignTimingsSchema().parse(section.iscCampaignTimings ?? {}),
  }),
  // only what differs from an empty area, so a default snapshot stays as it was
  snapshot: (st) =>
    iscCampaignsFixture().parse({
      ...(st.templates.length ? { iscCampaignTemplates: st.templates } : {}),
      ...(st.reports.length ? { iscCampaignReports: st.reports } : {}),
      ...(st.reportsConfig.identityAttributeColumns ? { iscCampaignReportsConfig: st.reportsConfig } : {}),
      ...(JSON.stringify(st.timings) !== JSON.stringify(campaignTimingsSchema().parse({})) ? { iscCampaignTimings: st.timings } : {}),
    }),
  init(env) {
    env.jobs.on(JOB_STAGE, (job) => stageCampaign(env, job.payload));
    env.jobs.on(JOB_ACTIVATE, (job) => activationDone(env, job.payload));
    env.jobs.on(JOB_DEADLINE, (job) => deadlineReached(env, job.payload));
    env.jobs.on(JOB_COMPLETE, (job) => completionDone(env, job.payload));
    env.jobs.on(JOB_ADMIN_REASSIGN, (job) => runAdminReassign(env, job.payload));
    env.jobs.on(JOB_REPORT, (job) => finishReport(env, job.payload));
    env.jobs.on(JOB_REMEDIATION_SCAN, (job) => runRemediationScan(env, job.payload));
    env.jobs.on(JOB_TEMPLATE_RUN, (job) => runScheduledTemplate(env, job.payload));
  },
  routes: (app) => registerCampaignRoutes(app),
  adminRoutes: (admin, emulator) => {
    // the timings of the asynchronous campaign steps, in emulator ms (docs/isc-certifications.md "Campaign lifecycle")
    admin.get('/isc/campaigns/timings', (c) => c.json(campaignsState(emulator.isc).timings));
    admin.put('/isc/campaigns/timings', async (c) => {
      const body = await c.req.json().catch(() => undefined);
      const parsed = campaignTimingsSchema().partial().strict().safeParse(body);
      if (!parsed.success) throw new ApiError(400, { error: 'invalid body', details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
      const st = campaignsState(emulator.isc);
      st.timings = { ...st.timings, ...parsed.data };
      emulator.isc.changed();
      await emulator.flush();
      return c.json(st.timings);
    });
  },
};
