// Default ISC certification data (issue 9 "Default seed"): a running manager campaign with certifications for the
// named reviewers (alice.reviewer, bob.reviewer, olivia.admin) over the generated identities' realistic access
// (AD/Workday/Salesforce/GitHub entitlements, access profiles, roles), one governance-group certification, and an
// earlier, signed source-owner campaign. Deterministic: faker seeded per area, timestamps from referenceTime.
import type { Faker } from '@faker-js/faker';
import type { SeedContext } from '../../core/types.js';
import type { IscIdentitiesState, IscIdentity } from '../identities/model.js';
import type { IscAccessState } from '../access/model.js';
import { AccessIndex } from '../access/indexes.js';
import { accessOf } from '../access/holdings.js';
import { reviewableEntitlement } from './reviewables.js';
import {
  iscCertificationsFixture,
  rateLimitSchema,
  remediationControlSchema,
  type AccessProfile,
  type AuditEvent,
  type Campaign,
  type Certification,
  type Entitlement,
  type IscCertificationsFixture,
  type IscCertificationsState,
  type ReviewItem,
  type Role,
} from './model.js';

const DAY = 86_400_000;

export function seedCertifications(section: IscCertificationsFixture, ctx: SeedContext): IscCertificationsState {
  const rateLimit = rateLimitSchema().parse(section.iscRateLimit ?? {});
  const remediation = remediationControlSchema().parse(section.iscRemediation ?? {});
  if (section.iscCertifications || section.iscCampaigns) {
    return {
      campaigns: section.iscCampaigns ?? [],
      certifications: section.iscCertifications ?? [],
      tasks: section.iscCertificationTasks ?? [],
      events: section.iscAuditEvents ?? [],
      rateLimit,
      remediation,
    };
  }
  const identities = (ctx.state.identities as IscIdentitiesState | undefined)?.identities ?? [];
  const access = ctx.state.iscAccess as IscAccessState | undefined;
  const raw = generateDefault(identities, access ? new AccessIndex(access) : undefined, ctx.faker, ctx.referenceTime);
  // through the fixture schema, so generated state has the key order a snapshot → seed round trip produces
  const generated = iscCertificationsFixture().parse({ iscCampaigns: raw.campaigns, iscCertifications: raw.certifications, iscAuditEvents: raw.events });
  return {
    campaigns: generated.iscCampaigns ?? [],
    certifications: generated.iscCertifications ?? [],
    tasks: section.iscCertificationTasks ?? [],
    events: [...(generated.iscAuditEvents ?? []), ...(section.iscAuditEvents ?? [])],
    rateLimit,
    remediation,
  };
}

function hex(f: Faker): string {
  return f.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' });
}

function owner(people: Map<string, IscIdentity>, id: string | null) {
  const i = id ? people.get(id) : undefined;
  return i ? { type: 'IDENTITY', id: i.id, name: i.name, email: i.email } : null;
}

/** The review items of one subject: a role, an access profile and two entitlements it really holds (access model). */
function itemsFor(f: Faker, ix: AccessIndex, people: Map<string, IscIdentity>, subject: IscIdentity): ReviewItem[] {
  const access = accessOf(ix, subject.id);
  const summaryId = hex(f);
  const base = { identityId: subject.id, identitySummaryId: summaryId, decision: null, comments: null, bulk: false, proposedEndDate: null, decisionMaker: null, decided: null, remediation: null };
  const entitlementOf = (id: string): Entitlement | undefined => {
    const e = ix.entitlements.get(id);
    const src = e && ix.sources.get(e.sourceId);
    return e && src ? reviewableEntitlement((ownerId) => owner(people, ownerId ?? null), ix, e) : undefined;
  };
  const profileOf = (id: string): AccessProfile | undefined => {
    const p = ix.accessProfiles.get(id);
    if (!p) return undefined;
    const entitlements = p.entitlementIds.map(entitlementOf).filter((e): e is Entitlement => !!e);
    return { id: p.id, name: p.name, description: p.description ?? undefined, privileged: entitlements.some((e) => e.privileged), cloudGoverned: false, endDate: null, owner: owner(people, p.ownerId), entitlements, created: p.created, modified: p.modified };
  };
  const out: ReviewItem[] = [];
  const held = access.roles[0]?.role;
  if (held) {
    const aps = held.accessProfileIds.map(profileOf).filter((a): a is AccessProfile => !!a);
    const ents = held.entitlementIds.map(entitlementOf).filter((e): e is Entitlement => !!e);
    const role: Role = { id: held.id, name: held.name, description: held.description ?? undefined, privileged: ents.some((e) => e.privileged) || aps.some((a) => a.privileged), owner: owner(people, held.ownerId), revocable: true, accessProfiles: aps, entitlements: ents };
    out.push({ ...base, id: hex(f), type: 'ROLE', role, newAccess: false });
  }
  const ap = access.accessProfiles.find((a) => a.assignment) ?? access.accessProfiles[0];
  const apItem = ap && profileOf(ap.accessProfile.id);
  if (apItem) out.push({ ...base, id: hex(f), type: 'ACCESS_PROFILE', accessProfile: apItem, newAccess: f.datatype.boolean({ probability: 0.2 }) });
  // entitlements with fine-grained permissions first (they are what reviewers look at), then the rest
  const ents = [...access.entitlements].sort((a, b) => b.entitlement.permissions.length - a.entitlement.permissions.length || a.entitlement.name.localeCompare(b.entitlement.name));
  for (const held of ents.filter((e) => !e.source.authoritative).slice(0, 2)) {
    const e = entitlementOf(held.entitlement.id)!;
    out.push({
      ...base,
      id: hex(f),
      type: 'ENTITLEMENT',
      entitlement: { ...e, account: { nativeIdentity: held.account.nativeIdentity, id: held.account.id, name: held.account.name, created: held.account.created } },
      newAccess: f.datatype.boolean({ probability: 0.2 }),
    });
  }
  return out;
}

function generateDefault(identities: IscIdentity[], ix: AccessIndex | undefined, f: Faker, ref: number): Omit<IscCertificationsState, 'tasks' | 'rateLimit' | 'remediation'> {
  const humans = identities.filter((i) => !i.service && i.active);
  if (!humans.length || !ix) return { campaigns: [], certifications: [], events: [] };
  const people = new Map(identities.map((i) => [i.id, i]));
  const named = (n: string, fallback: number) => identities.find((i) => i.name === n) ?? humans[fallback % humans.length]!;
  const alice = named('alice.reviewer', 0);
  const bob = named('bob.reviewer', 1);
  const olivia = named('olivia.admin', 2);
  const carl = named('carl.user', 3);
  const reserved = new Set([alice.id, bob.id, olivia.id, carl.id]);
  const subjects = humans.filter((i) => !reserved.has(i.id));
  const pool = subjects.length ? subjects : humans;
  // a manager campaign reviews each reviewer's direct reports (then others, if a reviewer has too few)
  const used = new Set<string>();
  const take = (reviewer: IscIdentity, n: number) => {
    const reports = pool.filter((p) => p.managerId === reviewer.id && !used.has(p.id));
    const rest = pool.filter((p) => !used.has(p.id) && p.managerId !== reviewer.id);
    const chosen = [...reports, ...rest, ...pool].slice(0, n);
    for (const c of chosen) used.add(c.id);
    return chosen;
  };

  const launched = ref - 10 * DAY;
  const running: Campaign = {
    id: hex(f),
    name: 'Quarterly Manager Access Review',
    campaignType: 'MANAGER',
    description: 'Managers review the access of their direct reports',
    correlatedStatus: 'CORRELATED',
    mandatoryCommentRequirement: 'REVOKE_ONLY_DECISIONS',
  };
  const earlier: Campaign = {
    id: hex(f),
    name: 'Active Directory Source Owner Review',
    campaignType: 'SOURCE_OWNER',
    description: 'Source owners review Active Directory group memberships',
    correlatedStatus: 'CORRELATED',
    mandatoryCommentRequirement: 'NO_DECISIONS',
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  const due = iso(ref + 400 * DAY); // far enough ahead of referenceTime that the campaign is still running in tests
  const cert = (campaign: Campaign, reviewer: IscIdentity, n: number, created: number, dueAt: string): Certification => ({
    id: hex(f),
    name: `${campaign.campaignType === 'MANAGER' ? 'Manager Access Review' : 'Source Owner Access Review'} for ${reviewer.displayName ?? reviewer.name}`,
    campaignId: campaign.id,
    created: iso(created),
    modified: iso(created),
    due: dueAt,
    signed: null,
    signer: null,
    reviewer: { type: 'IDENTITY', id: reviewer.id, members: [] },
    reassignment: null,
    phase: 'ACTIVE',
    hasErrors: false,
    errorMessage: null,
    items: take(reviewer, n).flatMap((s) => itemsFor(f, ix, people, s)),
  });
  const certifications: Certification[] = [cert(running, alice, 4, launched, due), cert(running, bob, 4, launched, due), cert(running, olivia, 3, launched, due)];
  // a governance-group certification: decide/sign-off refuse it (S2 "does not support … Governance Groups")
  const gg = cert(running, olivia, 2, launched, due);
  gg.name = 'Manager Access Review for Finance Reviewers';
  gg.reviewer = { type: 'GOVERNANCE_GROUP', id: hex(f), name: 'Finance Reviewers', members: [bob.id, olivia.id] };
  certifications.push(gg);

  // an earlier campaign, signed by bob with his own token
  const doneAt = ref - 60 * DAY;
  const signedCert = cert(earlier, bob, 2, ref - 90 * DAY, iso(ref - 50 * DAY));
  const bobActor = { id: bob.id, name: bob.name, type: 'IDENTITY' as const };
  for (const it of signedCert.items) {
    it.decision = 'APPROVE';
    it.decisionMaker = bobActor;
    it.decided = iso(doneAt - DAY);
  }
  signedCert.phase = 'SIGNED';
  signedCert.signed = iso(doneAt);
  signedCert.signer = bobActor;
  signedCert.modified = iso(doneAt);
  certifications.push(signedCert);
  const events: AuditEvent[] = [
    {
      id: hex(f),
      name: 'Sign Off Certification Passed',
      created: iso(doneAt),
      synced: iso(doneAt),
      action: 'CERTIFICATION_SIGNOFF_PASSED',
      type: 'CERTIFICATION',
      actor: { name: bob.name },
      target: { name: signedCert.name },
      stack: 'certs',
      trackingNumber: hex(f),
      ipAddress: '127.0.0.1',
      details: hex(f),
      attributes: { certificationId: signedCert.id, certificationName: signedCert.name, campaignId: earlier.id, campaignName: earlier.name, actorId: bob.id, actorType: 'identity', reviewerId: bob.id, reviewerName: bob.name },
      objects: ['CERTIFICATION'],
      operation: 'SIGNOFF',
      status: 'PASSED',
      technicalName: 'CERTIFICATION_SIGNOFF_PASSED',
    },
  ];
  return { campaigns: [running, earlier], certifications, events };
}
