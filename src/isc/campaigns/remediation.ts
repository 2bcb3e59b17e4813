// POST /v3/campaigns/{id}/run-remediation-scan (contract startCampaignRemediationScan): accepted (202); after
// `remediationScanMs` the scan re-queues, through the certifications' remediation path, every revoked item of a signed
// certification whose remediation failed or never started, attributed to the identity that asked for the scan.
import type { Environment } from '../../environment.js';
import type { RequestActor } from '../../core/types.js';
import { badRequest } from '../shared/errors.js';
import { ctxFromJob, jobPrincipal } from '../certifications/service.js';
import { queueRemediation } from '../certifications/remediation.js';
import { campaignEvent, campaignAttrs, campaignCertifications, campaignFor, requireCampaignReader, statusOf, timings } from './service.js';

export const JOB_REMEDIATION_SCAN = 'isc-campaign-remediation-scan';

export function startRemediationScan(env: Environment, ctx: RequestActor, id: string): Record<string, never> {
  requireCampaignReader(ctx.principal);
  const campaign = campaignFor(env, id);
  const status = statusOf(env, campaign);
  if (status === 'PENDING' || status === 'STAGED' || status === 'ERROR') throw badRequest(`Campaign ${campaign.id} is ${status}; it has no decisions to remediate.`);
  env.jobs.schedule(JOB_REMEDIATION_SCAN, env.clock.now() + timings(env).remediationScanMs, { campaignId: campaign.id, txId: ctx.txId, principal: jobPrincipal(ctx.principal) });
  campaignEvent(env, ctx, { operation: 'REMEDIATION_SCAN', status: 'STARTED', name: 'Certification Campaign Remediation Scan Started', target: campaign.name, attributes: campaignAttrs(campaign) });
  env.changed();
  return {};
}

export function runRemediationScan(env: Environment, payload: Record<string, unknown>): void {
  let campaign;
  try {
    campaign = campaignFor(env, String(payload.campaignId));
  } catch {
    return;
  }
  const ctx = ctxFromJob(payload, campaign.id);
  let requeued = 0;
  for (const cert of campaignCertifications(env, campaign.id)) {
    if (cert.phase !== 'SIGNED') continue;
    const items = cert.items.filter((i) => i.decision === 'REVOKE' && (!i.remediation || i.remediation.status === 'FAILED'));
    queueRemediation(env, ctx, cert, items);
    requeued += items.length;
  }
  campaignEvent(env, ctx, { operation: 'REMEDIATION_SCAN', name: 'Certification Campaign Remediation Scan Passed', target: campaign.name, attributes: { ...campaignAttrs(campaign), requeued } });
  env.changed();
}
