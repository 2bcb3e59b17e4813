// Campaign reports (contract getCampaignReports, startCampaignReport, get/setCampaignReportsConfig): a run is accepted
// (202), is PENDING for `reportMs` of emulator time, then SUCCESS with a CSV built from the campaign's state at that
// moment. One report per campaign and type (a re-run replaces it). The CSV is served at GET /v3/reports/{id}?fileFormat=csv
// (the Reports Data Extraction download real clients use with a report result id).
import type { Environment } from '../../environment.js';
import type { RequestActor } from '../../core/types.js';
import type { Principal } from '../../core/auth.js';
import { hexId } from '../../core/ids.js';
import { findIdentity } from '../identities/service.js';
import { badRequest, notFound } from '../shared/errors.js';
import { actorOf, certCounts, ctxFromJob, jobPrincipal } from '../certifications/service.js';
import type { Certification, ReviewItem } from '../certifications/model.js';
import { REPORT_TYPES, type CampaignReport, type ReportType } from './model.js';
import { campaignEvent, campaignAttrs, campaignCertifications, campaignFor, campaignsState, requireCampaignAdmin, requireCampaignReader, statusOf, timings } from './service.js';

export const JOB_REPORT = 'isc-campaign-report';

const REPORT_NAMES: Record<ReportType, string> = {
  CAMPAIGN_COMPOSITION_REPORT: 'Campaign Composition Report',
  CAMPAIGN_REMEDIATION_STATUS_REPORT: 'Campaign Remediation Status Report',
  CAMPAIGN_STATUS_REPORT: 'Campaign Status Report',
  CERTIFICATION_SIGNOFF_REPORT: 'Certification Signoff Report',
};

/** contract CampaignReport */
export function renderReport(r: CampaignReport) {
  return { type: 'REPORT_RESULT' as const, id: r.id, name: r.name, status: r.status, reportType: r.reportType, lastRunAt: r.lastRunAt ?? undefined };
}

export function listReports(env: Environment, p: Principal, campaignId: string) {
  requireCampaignReader(p);
  campaignFor(env, campaignId);
  return campaignsState(env)
    .reports.filter((r) => r.campaignId === campaignId)
    .map(renderReport);
}

export function runReport(env: Environment, ctx: RequestActor, campaignId: string, type: string): Record<string, never> {
  requireCampaignReader(ctx.principal);
  if (!(REPORT_TYPES as readonly string[]).includes(type)) throw badRequest(`Invalid report type: ${type}. Use one of ${REPORT_TYPES.join(', ')}.`);
  const campaign = campaignFor(env, campaignId);
  const status = statusOf(env, campaign);
  if (status === 'PENDING' || status === 'ERROR') throw badRequest(`Campaign ${campaign.id} is ${status}; reports need its certifications.`);
  const st = campaignsState(env);
  const now = env.clock.now();
  st.reports = st.reports.filter((r) => !(r.campaignId === campaignId && r.reportType === type));
  const report: CampaignReport = {
    id: hexId(),
    campaignId,
    reportType: type as ReportType,
    name: REPORT_NAMES[type as ReportType],
    status: 'PENDING',
    requested: new Date(now).toISOString(),
    lastRunAt: null,
    requestedBy: actorOf(env, ctx.principal),
    csv: null,
    rows: 0,
  };
  st.reports.push(report);
  env.jobs.schedule(JOB_REPORT, now + timings(env).reportMs, { reportId: report.id, campaignId, txId: ctx.txId, principal: jobPrincipal(ctx.principal) });
  campaignEvent(env, ctx, { operation: 'REPORT', status: 'STARTED', name: `Run ${report.name} Started`, target: campaign.name, attributes: { ...campaignAttrs(campaign), reportId: report.id, reportType: type } });
  env.changed();
  return {};
}

/** Job: build the CSV from the campaign's current state. */
export function finishReport(env: Environment, payload: Record<string, unknown>): void {
  const report = campaignsState(env).reports.find((r) => r.id === payload.reportId);
  if (!report || report.status !== 'PENDING') return;
  const ctx = ctxFromJob(payload, report.id);
  let campaign;
  try {
    campaign = campaignFor(env, report.campaignId);
  } catch {
    report.status = 'ERROR';
    env.changed();
    return;
  }
  const table = buildTable(env, report.reportType, campaign.name, campaignCertifications(env, campaign.id));
  report.csv = toCsv(table);
  report.rows = table.length - 1;
  report.status = 'SUCCESS';
  report.lastRunAt = env.clock.nowIso();
  campaignEvent(env, ctx, { operation: 'REPORT', name: `Run ${report.name} Passed`, target: campaign.name, attributes: { ...campaignAttrs(campaign), reportId: report.id, reportType: report.reportType, rows: report.rows } });
  env.changed();
}

/** GET /v3/reports/{id}?fileFormat=csv: a finished campaign report's CSV. */
export function downloadReport(env: Environment, p: Principal, id: string, fileFormat: string | undefined): { name: string; csv: string } {
  requireCampaignReader(p);
  if (fileFormat !== 'csv' && fileFormat !== 'pdf') throw badRequest("Query parameter fileFormat must be 'csv' or 'pdf'.");
  const report = campaignsState(env).reports.find((r) => r.id === id);
  if (!report || report.csv === null) throw notFound();
  if (fileFormat === 'pdf') throw badRequest('Campaign reports are available as csv in the emulator; pdf is not rendered.');
  return { name: report.name, csv: report.csv };
}

export function getReportsConfig(env: Environment, p: Principal) {
  requireCampaignAdmin(p);
  return { identityAttributeColumns: campaignsState(env).reportsConfig.identityAttributeColumns };
}

export function setReportsConfig(env: Environment, ctx: RequestActor, body: unknown) {
  requireCampaignAdmin(ctx.principal);
  const cols = (body as { identityAttributeColumns?: unknown } | null)?.identityAttributeColumns;
  if (cols !== null && cols !== undefined && (!Array.isArray(cols) || !cols.every((c) => typeof c === 'string' && c.trim()))) throw badRequest("'identityAttributeColumns' must be an array of identity attribute names or null.");
  campaignsState(env).reportsConfig = { identityAttributeColumns: (cols as string[] | null | undefined) ?? null };
  env.changed();
  return getReportsConfig(env, ctx.principal);
}

// ---- CSV ----
function accessOf(it: ReviewItem): { type: string; name: string; source: string } {
  if (it.type === 'ROLE') return { type: 'ROLE', name: it.role?.name ?? '', source: '' };
  if (it.type === 'ACCESS_PROFILE') return { type: 'ACCESS_PROFILE', name: it.accessProfile?.name ?? '', source: it.accessProfile?.entitlements[0]?.sourceName ?? '' };
  return { type: 'ENTITLEMENT', name: it.entitlement?.name ?? '', source: it.entitlement?.sourceName ?? '' };
}

function reviewerName(env: Environment, c: Certification): string {
  if (c.reviewer.type === 'GOVERNANCE_GROUP') return c.reviewer.name ?? c.reviewer.id;
  return findIdentity(env, c.reviewer.id)?.name ?? c.reviewer.id;
}

function buildTable(env: Environment, type: ReportType, campaignName: string, certs: readonly Certification[]): string[][] {
  const cols = campaignsState(env).reportsConfig.identityAttributeColumns ?? [];
  const attrs = (identityId: string) => {
    const i = findIdentity(env, identityId) as { attributes?: Record<string, string> } | undefined;
    return cols.map((c) => i?.attributes?.[c] ?? '');
  };
  switch (type) {
    case 'CAMPAIGN_COMPOSITION_REPORT': {
      const rows = [['Campaign Name', 'Certification Name', 'Reviewer', 'Identity Name', 'Identity ID', 'Access Type', 'Access Name', 'Source', ...cols]];
      for (const c of certs)
        for (const it of c.items) {
          const a = accessOf(it);
          rows.push([campaignName, c.name, reviewerName(env, c), findIdentity(env, it.identityId)?.name ?? it.subjectName ?? it.identityId, it.identityId, a.type, a.name, a.source, ...attrs(it.identityId)]);
        }
      return rows;
    }
    case 'CAMPAIGN_STATUS_REPORT': {
      const rows = [['Certification Name', 'Reviewer', 'Phase', 'Decisions Made', 'Decisions Total', 'Identities Completed', 'Identities Total', 'Due', 'Signed']];
      for (const c of certs) {
        const n = certCounts(c);
        rows.push([c.name, reviewerName(env, c), c.phase, String(n.decisionsMade), String(n.decisionsTotal), String(n.identitiesCompleted), String(n.identitiesTotal), c.due ?? '', c.signed ?? '']);
      }
      return rows;
    }
    case 'CAMPAIGN_REMEDIATION_STATUS_REPORT': {
      const rows = [['Certification Name', 'Identity Name', 'Identity ID', 'Access Type', 'Access Name', 'Source', 'Decision Maker', 'Decided', 'Remediation Status', 'Remediation Started', 'Remediation Completed', ...cols]];
      for (const c of certs)
        for (const it of c.items) {
          if (it.decision !== 'REVOKE') continue;
          const a = accessOf(it);
          const r = it.remediation;
          rows.push([c.name, findIdentity(env, it.identityId)?.name ?? it.subjectName ?? it.identityId, it.identityId, a.type, a.name, a.source, it.decisionMaker?.name ?? '', it.decided ?? '', r?.status ?? (c.phase === 'SIGNED' ? 'PENDING' : 'NOT_STARTED'), r?.started ?? '', r?.completed ?? '', ...attrs(it.identityId)]);
        }
      return rows;
    }
    case 'CERTIFICATION_SIGNOFF_REPORT': {
      const rows = [['Certification Name', 'Reviewer', 'Phase', 'Signed', 'Signed By']];
      for (const c of certs) rows.push([c.name, reviewerName(env, c), c.phase, c.signed ?? '', c.signer?.name ?? '']);
      return rows;
    }
  }
}

/** RFC 4180: quote fields holding a comma, quote or line break; CRLF line ends. */
export function toCsv(rows: string[][]): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
