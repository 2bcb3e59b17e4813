// HTTP for ISC certification campaigns and campaign templates (contract isc-v3-access-model-requests-search.openapi.json,
// tag "Certification Campaigns"), plus GET /v3/reports/{id} for a finished campaign report's CSV. Each route declares the
// operation's OAuth scopes (security.userAuth); the user levels (x-sailpoint-userLevels) are checked by the services.
import { createRoute, z } from '@hono/zod-openapi';
import type { EnvApp } from '../../core/types.js';
import { iscAuth } from '../../core/auth.js';
import { jsonBody, send, validBody } from '../../core/http.js';
import { iscErrors as errors, json, listQuery, routeAdder, withTotal } from '../shared/routes.js';
import { parsePaging } from '../shared/filters.js';
import { certificationTask } from '../certifications/dto.js';
import { campaignBodySchema, REPORT_TYPES, scheduleSchema } from './model.js';
import { deleteCampaigns, getCampaign, listCampaigns } from './service.js';
import { activateCampaign, completeCampaign, createCampaign, patchCampaign, reassignCampaign } from './lifecycle.js';
import { downloadReport, getReportsConfig, listReports, runReport, setReportsConfig } from './reports.js';
import { startRemediationScan } from './remediation.js';
import { createTemplate, deleteSchedule, deleteTemplate, generateCampaign, getSchedule, getTemplate, listTemplates, patchTemplate, setSchedule } from './templates.js';
import { lazy } from '../../core/lazy.js';

const accepted = lazy(() => ({ 202: json(z.object({}), 'Accepted - Returned if the request was successfully accepted into the system.') }));
const idParam = lazy(() => z.object({ id: z.string() }));
const campaignDto = lazy(() => z.record(z.string(), z.unknown()).openapi('Campaign'));
const templateDto = lazy(() => z.record(z.string(), z.unknown()).openapi('CampaignTemplate'));
const reportDto = lazy(() =>
  z.object({ type: z.literal('REPORT_RESULT'), id: z.string(), name: z.string(), status: z.string(), reportType: z.enum(REPORT_TYPES), lastRunAt: z.string().optional() }).openapi('CampaignReport'),
);
const reportsConfigDto = lazy(() => z.object({ identityAttributeColumns: z.array(z.string()).nullable() }).openapi('CampaignReportsConfig'));
const patchBody = lazy(() => ({ required: true, content: { 'application/json-patch+json': { schema: z.array(z.object({ op: z.string(), path: z.string(), from: z.string().optional(), value: z.unknown().optional() })) } } }));

export function registerCampaignRoutes(app: EnvApp): void {
  const add = routeAdder(app);
  const tags = ['Certification Campaigns'];
  // contract security.userAuth per operation
  const auth = (...scopes: string[]) => [iscAuth({ scopes })];
  const read = auth('idn:campaign:read', 'idn:campaign:manage');
  const manage = auth('idn:campaign:manage');
  const reportRead = auth('idn:campaign-report:read', 'idn:campaign-report:manage');
  const reportManage = auth('idn:campaign-report:manage');
  const tplRead = auth('idn:campaign-template:read', 'idn:campaign-template:manage');
  const tplManage = auth('idn:campaign-template:manage');

  // static paths before /campaigns/{id}
  add(
    createRoute({ method: 'get', path: '/v3/campaigns/reports-configuration', operationId: 'getCampaignReportsConfig', tags, summary: 'Get campaign reports configuration', middleware: read, responses: { 200: json(reportsConfigDto(), 'Campaign report configuration.'), ...errors() } }),
    (c) => send(c, getReportsConfig(c.get('env'), c.get('principal'))),
  );
  add(
    createRoute({ method: 'put', path: '/v3/campaigns/reports-configuration', operationId: 'setCampaignReportsConfig', tags, summary: 'Set campaign reports configuration', middleware: manage, request: { body: { required: true, content: { 'application/json': { schema: z.unknown() } } } }, responses: { 200: json(reportsConfigDto(), 'The persisted campaign report configuration.'), ...errors() } }),
    async (c) => send(c, setReportsConfig(c.get('env'), c.get('actor'), await jsonBody(c, 'isc', { required: true }))),
  );
  add(
    createRoute({ method: 'post', path: '/v3/campaigns/delete', operationId: 'deleteCampaigns', tags, summary: 'Delete campaigns', middleware: manage, request: { body: { required: true, content: { 'application/json': { schema: z.unknown() } } } }, responses: { ...accepted(), ...errors() } }),
    async (c) => send(c, deleteCampaigns(c.get('env'), c.get('actor'), ((await jsonBody(c, 'isc', { required: true })) as { ids?: unknown } | null)?.ids), 202),
  );
  add(
    createRoute({ method: 'get', path: '/v3/campaigns', operationId: 'getActiveCampaigns', tags, summary: 'List campaigns', middleware: auth('idn:campaign:read', 'idn:campaign:manage', 'idn:campaign-report:read', 'idn:campaign-report:manage'), request: { query: listQuery().extend({ detail: z.string().optional() }) }, responses: { 200: json(z.array(campaignDto()), 'A list of campaign objects.'), ...errors() } }),
    (c) => {
      const q = c.req.query();
      const paging = parsePaging(q);
      const res = listCampaigns(c.get('env'), c.get('principal'), { filters: q.filters, sorters: q.sorters, detail: q.detail }, paging);
      withTotal(c, paging.count, res.total);
      return send(c, res.rows);
    },
  );
  add(
    createRoute({ method: 'post', path: '/v3/campaigns', operationId: 'createCampaign', tags, summary: 'Create a campaign', middleware: manage, request: { body: { required: true, content: { 'application/json': { schema: z.unknown() } } } }, responses: { 202: json(campaignDto(), 'The campaign, accepted (PENDING).'), ...errors() } }),
    async (c) => send(c, createCampaign(c.get('env'), c.get('actor'), await validBody(c, 'isc', campaignBodySchema(), { required: true })), 202),
  );
  add(
    createRoute({ method: 'get', path: '/v3/campaigns/{id}', operationId: 'getCampaign', tags, summary: 'Get campaign', middleware: read, request: { params: idParam(), query: z.object({ detail: z.string().optional() }) }, responses: { 200: json(campaignDto(), 'Requested campaign object.'), ...errors() } }),
    (c) => send(c, getCampaign(c.get('env'), c.get('principal'), c.req.param('id')!, c.req.query('detail'))),
  );
  add(
    createRoute({ method: 'patch', path: '/v3/campaigns/{id}', operationId: 'updateCampaign', tags, summary: 'Update a campaign', middleware: read, request: { params: idParam(), body: patchBody() }, responses: { 200: json(campaignDto(), 'The campaign after the patch.'), ...errors() } }),
    async (c) => send(c, patchCampaign(c.get('env'), c.get('actor'), c.req.param('id')!, await jsonBody(c, 'isc', { required: true }))),
  );
  add(
    createRoute({ method: 'post', path: '/v3/campaigns/{id}/activate', operationId: 'startCampaign', tags, summary: 'Activate a campaign', middleware: manage, request: { params: idParam() }, responses: { ...accepted(), ...errors() } }),
    async (c) => send(c, activateCampaign(c.get('env'), c.get('actor'), c.req.param('id')!, await validBody(c, 'isc', z.object({ timeZone: z.string().optional() }))), 202),
  );
  add(
    createRoute({ method: 'post', path: '/v3/campaigns/{id}/complete', operationId: 'completeCampaign', tags, summary: 'Complete a campaign', middleware: manage, request: { params: idParam() }, responses: { ...accepted(), ...errors() } }),
    async (c) => send(c, completeCampaign(c.get('env'), c.get('actor'), c.req.param('id')!, await validBody(c, 'isc', z.object({ autoCompleteAction: z.string().optional() }))), 202),
  );
  add(
    createRoute({ method: 'post', path: '/v3/campaigns/{id}/reassign', operationId: 'move', tags, summary: 'Reassign certifications', middleware: manage, request: { params: idParam(), body: { required: true, content: { 'application/json': { schema: z.unknown() } } } }, responses: { 202: json(certificationTask(), 'The reassign task that has been submitted.'), ...errors() } }),
    async (c) => send(c, reassignCampaign(c.get('env'), c.get('actor'), c.req.param('id')!, ((await jsonBody(c, 'isc', { required: true })) ?? {}) as never), 202),
  );
  add(
    createRoute({ method: 'post', path: '/v3/campaigns/{id}/run-remediation-scan', operationId: 'startCampaignRemediationScan', tags, summary: 'Run campaign remediation scan', middleware: reportManage, request: { params: idParam() }, responses: { ...accepted(), ...errors() } }),
    (c) => send(c, startRemediationScan(c.get('env'), c.get('actor'), c.req.param('id')!), 202),
  );
  add(
    createRoute({ method: 'get', path: '/v3/campaigns/{id}/reports', operationId: 'getCampaignReports', tags, summary: 'Get campaign reports', middleware: reportRead, request: { params: idParam() }, responses: { 200: json(z.array(reportDto()), 'Array of campaign report objects.'), ...errors() } }),
    (c) => send(c, listReports(c.get('env'), c.get('principal'), c.req.param('id')!)),
  );
  add(
    createRoute({ method: 'post', path: '/v3/campaigns/{id}/run-report/{type}', operationId: 'startCampaignReport', tags, summary: 'Run campaign report', middleware: reportManage, request: { params: z.object({ id: z.string(), type: z.string() }) }, responses: { ...accepted(), ...errors() } }),
    (c) => send(c, runReport(c.get('env'), c.get('actor'), c.req.param('id')!, c.req.param('type')!), 202),
  );
  add(
    createRoute({
      method: 'get',
      path: '/v3/reports/{id}',
      operationId: 'getReport',
      tags: ['Reports Data Extraction'],
      summary: 'Download a finished campaign report (fileFormat=csv)',
      middleware: [iscAuth({})],
      request: { params: idParam(), query: z.object({ fileFormat: z.string().optional(), name: z.string().optional(), auditable: z.string().optional() }) },
      responses: { 200: { description: 'The report file.', content: { 'text/csv': { schema: z.string() } } }, ...errors() },
    }),
    (c) => {
      const file = downloadReport(c.get('env'), c.get('principal'), c.req.param('id')!, c.req.query('fileFormat'));
      const name = (c.req.query('name') ?? file.name).replace(/[^\w .-]/g, '_');
      return c.body(file.csv, 200, { 'content-type': 'text/csv;charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` });
    },
  );

  // ---- campaign templates ----
  add(
    createRoute({ method: 'post', path: '/v3/campaign-templates', operationId: 'createCampaignTemplate', tags, summary: 'Create a campaign template', middleware: tplManage, request: { body: { required: true, content: { 'application/json': { schema: z.unknown() } } } }, responses: { 200: json(templateDto(), 'Created successfully.'), ...errors() } }),
    async (c) => send(c, createTemplate(c.get('env'), c.get('actor'), await jsonBody(c, 'isc', { required: true }))),
  );
  add(
    createRoute({ method: 'get', path: '/v3/campaign-templates', operationId: 'getCampaignTemplates', tags, summary: 'List campaign templates', middleware: tplRead, request: { query: listQuery() }, responses: { 200: json(z.array(templateDto()), 'List of campaign template objects.'), ...errors() } }),
    (c) => {
      const q = c.req.query();
      const paging = parsePaging(q);
      const res = listTemplates(c.get('env'), c.get('principal'), { filters: q.filters, sorters: q.sorters }, paging);
      withTotal(c, paging.count, res.total);
      return send(c, res.rows);
    },
  );
  add(
    createRoute({ method: 'get', path: '/v3/campaign-templates/{id}', operationId: 'getCampaignTemplate', tags, summary: 'Get a campaign template', middleware: tplRead, request: { params: idParam() }, responses: { 200: json(templateDto(), 'Data for the campaign matching the given ID.'), ...errors() } }),
    (c) => send(c, getTemplate(c.get('env'), c.get('principal'), c.req.param('id')!)),
  );
  add(
    createRoute({ method: 'patch', path: '/v3/campaign-templates/{id}', operationId: 'patchCampaignTemplate', tags, summary: 'Update a campaign template', middleware: tplManage, request: { params: idParam(), body: patchBody() }, responses: { 200: json(templateDto(), "The template's new representation."), ...errors() } }),
    async (c) => send(c, patchTemplate(c.get('env'), c.get('actor'), c.req.param('id')!, await jsonBody(c, 'isc', { required: true }))),
  );
  add(
    createRoute({ method: 'delete', path: '/v3/campaign-templates/{id}', operationId: 'deleteCampaignTemplate', tags, summary: 'Delete a campaign template', middleware: tplManage, request: { params: idParam() }, responses: { 204: { description: 'The campaign template was successfully deleted.' }, ...errors() } }),
    (c) => {
      deleteTemplate(c.get('env'), c.get('actor'), c.req.param('id')!);
      return c.body(null, 204);
    },
  );
  // the contract spells this operation's read scope "idn:campaign-temlates:read"; the correctly spelt ones work too
  add(
    createRoute({ method: 'get', path: '/v3/campaign-templates/{id}/schedule', operationId: 'getCampaignTemplateSchedule', tags, summary: 'Get campaign template schedule', middleware: auth('idn:campaign-temlates:read', 'idn:campaign-template:read', 'idn:campaign-template:manage'), request: { params: idParam() }, responses: { 200: json(scheduleSchema(), 'Current schedule for the campaign template.'), ...errors() } }),
    (c) => send(c, getSchedule(c.get('env'), c.get('principal'), c.req.param('id')!)),
  );
  add(
    createRoute({ method: 'put', path: '/v3/campaign-templates/{id}/schedule', operationId: 'setCampaignTemplateSchedule', tags, summary: 'Set campaign template schedule', middleware: tplManage, request: { params: idParam(), body: { content: { 'application/json': { schema: z.unknown() } } } }, responses: { 204: { description: 'No content.' }, ...errors() } }),
    async (c) => {
      setSchedule(c.get('env'), c.get('actor'), c.req.param('id')!, await jsonBody(c, 'isc', { required: true }));
      return c.body(null, 204);
    },
  );
  add(
    createRoute({ method: 'delete', path: '/v3/campaign-templates/{id}/schedule', operationId: 'deleteCampaignTemplateSchedule', tags, summary: 'Delete campaign template schedule', middleware: tplManage, request: { params: idParam() }, responses: { 204: { description: 'No content.' }, ...errors() } }),
    (c) => {
      deleteSchedule(c.get('env'), c.get('actor'), c.req.param('id')!);
      return c.body(null, 204);
    },
  );
  add(
    createRoute({ method: 'post', path: '/v3/campaign-templates/{id}/generate', operationId: 'startGenerateCampaignTemplate', tags, summary: 'Generate a campaign from template', middleware: tplManage, request: { params: idParam() }, responses: { 200: json(z.record(z.string(), z.unknown()).openapi('CampaignReference'), 'A reference to the new campaign.'), ...errors() } }),
    (c) => send(c, generateCampaign(c.get('env'), c.get('actor'), c.req.param('id')!)),
  );
}
