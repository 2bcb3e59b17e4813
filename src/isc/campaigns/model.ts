// ISC certification campaigns and campaign templates (SPEC §8, issue 14; contract
// isc-v3-access-model-requests-search.openapi.json, tag "Certification Campaigns": Campaign-2, SlimCampaign,
// CampaignTemplate, Schedule-2, CampaignReport, CampaignReportsConfig).
// A campaign is stored once, in the certifications area's `campaigns` list (the certifications reference it); the
// lifecycle fields below are optional there so campaigns seeded before this area existed keep their shape.
import { z } from 'zod';
import { lazy } from '../../core/lazy.js';

const iso = lazy(() => z.string());

/** contract SlimCampaign.status */
export const CAMPAIGN_STATUSES = ['PENDING', 'STAGED', 'CANCELING', 'ACTIVATING', 'ACTIVE', 'COMPLETING', 'COMPLETED', 'ERROR', 'ARCHIVED'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CAMPAIGN_TYPES = ['MANAGER', 'SOURCE_OWNER', 'SEARCH', 'ROLE_COMPOSITION', 'MACHINE_ACCOUNT'] as const;

const reviewerRef = lazy(() =>
  z.object({ type: z.enum(['GOVERNANCE_GROUP', 'IDENTITY']).optional(), id: z.string().optional(), name: z.string().nullable().optional() }),
);

/** contract AccessConstraint */
export const accessConstraintSchema = lazy(() =>
  z.object({ type: z.enum(['ENTITLEMENT', 'ACCESS_PROFILE', 'ROLE']), ids: z.array(z.string()).nullable().optional(), operator: z.enum(['ALL', 'SELECTED']) }),
);

export const searchCampaignInfoSchema = lazy(() =>
  z.object({
    type: z.enum(['IDENTITY', 'ACCESS']),
    description: z.string().nullable().optional(),
    reviewer: reviewerRef().nullable().optional(),
    query: z.string().nullable().optional(),
    identityIds: z.array(z.string()).nullable().optional(),
    accessConstraints: z.array(accessConstraintSchema()).max(1000).nullable().optional(),
  }),
);
export type SearchCampaignInfo = z.infer<ReturnType<typeof searchCampaignInfoSchema>>;

export const roleCompositionCampaignInfoSchema = lazy(() =>
  z.object({
    reviewer: reviewerRef().nullable().optional(),
    roleIds: z.array(z.string()).nullable().optional(),
    remediatorRef: z.object({ type: z.literal('IDENTITY'), id: z.string(), name: z.string().nullable().optional() }),
    query: z.string().nullable().optional(),
    description: z.string().nullable().optional(),
  }),
);

const localized = lazy(() => z.object({ locale: z.string().nullable(), localeOrigin: z.string().nullable(), text: z.string() }));
export const campaignAlertSchema = lazy(() => z.object({ level: z.enum(['ERROR', 'WARN', 'INFO']), localizations: z.array(localized()) }));

const actorRef = lazy(() => z.object({ id: z.string(), name: z.string(), type: z.literal('IDENTITY').default('IDENTITY') }));

/**
 * The lifecycle fields a stored campaign adds to the certifications area's CampaignReference (all optional: render
 * applies the contract defaults). `status` absent = a seeded campaign: ACTIVE until all its certifications are signed.
 */
export const campaignLifecycleFields = lazy(() => ({
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  deadline: iso().nullable().optional(),
  created: iso().optional(),
  modified: iso().nullable().optional(),
  emailNotificationEnabled: z.boolean().optional(),
  autoRevokeAllowed: z.boolean().optional(),
  recommendationsEnabled: z.boolean().optional(),
  sunsetCommentsRequired: z.boolean().optional(),
  filter: z.object({ id: z.string().optional(), type: z.literal('CAMPAIGN_FILTER').optional(), name: z.string().nullable().optional() }).nullable().optional(),
  sourceOwnerCampaignInfo: z.object({ sourceIds: z.array(z.string()).nullable().optional() }).nullable().optional(),
  searchCampaignInfo: searchCampaignInfoSchema().nullable().optional(),
  roleCompositionCampaignInfo: roleCompositionCampaignInfoSchema().nullable().optional(),
  machineAccountCampaignInfo: z.object({ sourceIds: z.array(z.string()).nullable().optional(), reviewerType: z.literal('ACCOUNT_OWNER').optional() }).nullable().optional(),
  alerts: z.array(campaignAlertSchema()).optional(),
  // emulator bookkeeping (not on the wire): who created it, activation time zone, lifecycle times, completion rule
  createdBy: actorRef().optional(),
  timeZone: z.string().optional(),
  activated: iso().optional(),
  completedAt: iso().optional(),
  autoCompleteAction: z.enum(['APPROVE', 'REVOKE']).optional(),
  /** The template a campaign was generated from. */
  templateId: z.string().optional(),
}));

/** contract Campaign-2 as a create body (readOnly fields are ignored when sent). */
export const campaignBodySchema = lazy(() =>
  z.object({
    name: z.string({ error: "'name' is required." }).min(1, "'name' is required."),
    description: z.string({ error: "'description' is required." }).nullable(),
    type: z.enum(CAMPAIGN_TYPES, { error: "'type' must be one of MANAGER, SOURCE_OWNER, SEARCH, ROLE_COMPOSITION, MACHINE_ACCOUNT." }),
    deadline: iso().nullable().optional(),
    emailNotificationEnabled: z.boolean().nullable().optional(),
    autoRevokeAllowed: z.boolean().nullable().optional(),
    recommendationsEnabled: z.boolean().nullable().optional(),
    correlatedStatus: z.enum(['CORRELATED', 'UNCORRELATED']).nullable().optional(),
    sunsetCommentsRequired: z.boolean().nullable().optional(),
    mandatoryCommentRequirement: z.enum(['ALL_DECISIONS', 'REVOKE_ONLY_DECISIONS', 'NO_DECISIONS']).nullable().optional(),
    filter: campaignLifecycleFields().filter,
    sourceOwnerCampaignInfo: campaignLifecycleFields().sourceOwnerCampaignInfo,
    searchCampaignInfo: campaignLifecycleFields().searchCampaignInfo,
    roleCompositionCampaignInfo: campaignLifecycleFields().roleCompositionCampaignInfo,
    machineAccountCampaignInfo: campaignLifecycleFields().machineAccountCampaignInfo,
  }),
);
export type CampaignBody = z.infer<ReturnType<typeof campaignBodySchema>>;

/** contract Schedule-2 */
const scheduleField = lazy(() =>
  z.object({ type: z.enum(['LIST', 'RANGE']), values: z.array(z.string()), interval: z.number().int().nullable().optional() }),
);
export const scheduleSchema = lazy(() =>
  z.object({
    type: z.enum(['WEEKLY', 'MONTHLY', 'ANNUALLY', 'CALENDAR']),
    months: scheduleField().nullable().optional(),
    days: scheduleField().nullable().optional(),
    hours: scheduleField(),
    expiration: iso().nullable().optional(),
    timeZoneId: z.string().nullable().optional(),
  }),
);
export type Schedule = z.infer<ReturnType<typeof scheduleSchema>>;

/** contract CampaignTemplate (stored; `campaign` holds the create body the template generates from). */
export const campaignTemplateSchema = lazy(() =>
  z.object({
    id: z.string().min(1),
    name: z.string().min(1),
    description: z.string(),
    created: iso(),
    modified: iso().nullable().default(null),
    ownerRef: z.object({ id: z.string(), type: z.literal('IDENTITY').default('IDENTITY'), name: z.string(), email: z.string().nullable().optional() }).nullable().default(null),
    deadlineDuration: z.string().nullable().optional(),
    campaign: campaignBodySchema(),
    schedule: scheduleSchema().nullable().default(null),
    /** Emulator bookkeeping: when the schedule next generates a campaign. */
    nextRunAt: iso().nullable().default(null),
  }),
);
export type CampaignTemplate = z.infer<ReturnType<typeof campaignTemplateSchema>>;

export const REPORT_TYPES = ['CAMPAIGN_COMPOSITION_REPORT', 'CAMPAIGN_REMEDIATION_STATUS_REPORT', 'CAMPAIGN_STATUS_REPORT', 'CERTIFICATION_SIGNOFF_REPORT'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

/** contract CampaignReport plus the CSV a finished run produced (downloadable at GET /v3/reports/{id}). */
export const campaignReportSchema = lazy(() =>
  z.object({
    id: z.string(),
    campaignId: z.string(),
    reportType: z.enum(REPORT_TYPES),
    name: z.string(),
    status: z.enum(['SUCCESS', 'WARNING', 'ERROR', 'TERMINATED', 'TEMP_ERROR', 'PENDING']),
    requested: iso(),
    lastRunAt: iso().nullable().default(null),
    requestedBy: actorRef().nullable().default(null),
    csv: z.string().nullable().default(null),
    rows: z.number().int().default(0),
  }),
);
export type CampaignReport = z.infer<ReturnType<typeof campaignReportSchema>>;

/** Emulator timings of the asynchronous steps, in emulator ms (control plane: GET|PUT /__emulator/isc/campaigns/timings). */
export const campaignTimingsSchema = lazy(() =>
  z.object({
    /** PENDING → STAGED (or ERROR): certification generation. */
    stageMs: z.number().int().min(0).default(5_000),
    /** ACTIVATING → ACTIVE. */
    activateMs: z.number().int().min(0).default(5_000),
    /** COMPLETING → COMPLETED (auto-decisions, sign-off, remediation started). */
    completeMs: z.number().int().min(0).default(10_000),
    /** A report run: PENDING → SUCCESS. */
    reportMs: z.number().int().min(0).default(3_000),
    /** A remediation scan re-queues failed remediations after this long. */
    remediationScanMs: z.number().int().min(0).default(5_000),
  }),
);
export type CampaignTimings = z.infer<ReturnType<typeof campaignTimingsSchema>>;

export const iscCampaignsFixture = lazy(() =>
  z.object({
    iscCampaignTemplates: z.array(campaignTemplateSchema()).optional(),
    iscCampaignReports: z.array(campaignReportSchema()).optional(),
    iscCampaignReportsConfig: z.object({ identityAttributeColumns: z.array(z.string()).nullable() }).optional(),
    iscCampaignTimings: campaignTimingsSchema().optional(),
  }),
);
export type IscCampaignsFixture = z.infer<ReturnType<typeof iscCampaignsFixture>>;

export interface IscCampaignsState {
  templates: CampaignTemplate[];
  reports: CampaignReport[];
  reportsConfig: { identityAttributeColumns: string[] | null };
  timings: CampaignTimings;
}
