// Seeding: the fixture's request types, forms, assignments, workflows and requests as given; when `accessRequests`
// is absent, a few pending self-service requests generated from the governance data, awaiting the requester's
// manager (the default seed's maria.manager decides oscar.owner's requests).
import type { SeedContext } from '../../../core/types.js';
import type { GovernanceState, User } from '../../governance/model.js';
import { indexes } from '../../governance/service.js';
import { ACCESS_TYPES, builtinType, ootbWorkflow } from './builtins.js';
import type { AccessRequest, JsonObject, RequestsFixture, RequestsState } from './model.js';
import { appView, entView, openPhase, owners, planFor, roleView, userRef, type Target } from './service.js';
import { clone } from '../../../core/clone.js';


export function seedRequests(section: RequestsFixture, ctx: SeedContext): RequestsState {
  const state: RequestsState = {
    requestTypes: clone((section.requestTypes ?? []) as RequestsState['requestTypes']),
    requestForms: clone((section.requestForms ?? []) as RequestsState['requestForms']),
    requestFormAssignments: clone(section.requestFormAssignments ?? []),
    workflows: clone((section.igaWorkflows ?? []) as RequestsState['workflows']),
    requests: clone((section.accessRequests ?? []) as AccessRequest[]),
    delegates: clone(section.approvalDelegates ?? []),
  };
  state.requests.forEach((r) => normalizeRequest(r, ctx.referenceTime));
  const gov = ctx.state.governance as GovernanceState | undefined;
  if (section.accessRequests === undefined && gov && ctx.product === 'aic') state.requests = generateRequests(gov, ctx);
  return state;
}

export function snapshotRequests(state: RequestsState): RequestsFixture {
  return {
    requestTypes: clone(state.requestTypes),
    requestForms: clone(state.requestForms),
    requestFormAssignments: clone(state.requestFormAssignments),
    igaWorkflows: clone(state.workflows),
    approvalDelegates: clone(state.delegates ?? []),
    accessRequests: clone(state.requests),
  };
}

function generateRequests(gov: GovernanceState, ctx: SeedContext): AccessRequest[] {
  const ix = indexes(gov);
  const requesters: User[] = [];
  const named = ix.usersByName.get('oscar.owner');
  if (named?.manager) requesters.push(named, named);
  for (const u of gov.users) if (requesters.length < 4 && u.manager && u !== named && !u.roles.length) requesters.push(u);
  const out: AccessRequest[] = [];
  const kinds: Array<'entitlementGrant' | 'applicationGrant' | 'roleGrant'> = ['entitlementGrant', 'applicationGrant', 'roleGrant', 'entitlementGrant'];
  requesters.forEach((user, i) => {
    const typeId = kinds[i % kinds.length]!;
    const access = ACCESS_TYPES[typeId]!;
    const held = new Set((ix.grantsByUser.get(user._id) ?? []).map((g) => `${g.type}:${g.assignmentId}`));
    const taken = new Set(out.filter((r) => r.user?.id === user._id).map((r) => String(r.request.common[access.key])));
    const t: Target = { user };
    let itemId: string | undefined;
    if (access.kind === 'entitlement') {
      const e = gov.entitlements.find((x) => x.requestable && !held.has(`entitlement:${x.id}`) && !taken.has(x.id));
      if (e) ((t.entitlement = e), (t.application = ix.applications.get(e.applicationId)), (itemId = e.id));
    } else if (access.kind === 'application') {
      const a = gov.applications.find((x) => !held.has(`account:${x.id}`) && !taken.has(x.id));
      if (a) ((t.application = a), (itemId = a.id));
    } else {
      const r = gov.roles.find((x) => x.requestable && !held.has(`role:${x.id}`));
      if (r) ((t.role = r), (itemId = r.id));
    }
    if (!itemId) return;
    const created = ctx.referenceTime - (3 - i) * 86_400_000 - ctx.faker.number.int({ min: 0, max: 3_600_000 });
    const ts = new Date(created).toISOString();
    const justification = ctx.faker.helpers.arrayElement(['Needed for the quarterly close', 'Joining the project team', 'Covering for a colleague on leave', 'New responsibilities in my role']);
    const type = builtinType(typeId)!;
    const wf = ootbWorkflow(String((type.workflow as JsonObject | undefined)?.id ?? ''));
    const r: AccessRequest = {
      id: ctx.faker.string.uuid(),
      requester: userRef(user),
      requestType: typeId,
      request: { common: { userId: user._id, [access.key]: itemId, justification, priority: 'low', isDraft: false } },
      user: userRef(user),
      ...(t.application ? { application: appView(t.application), applicationOwner: owners(gov, t.application.ownerIds) } : {}),
      ...(t.entitlement ? { entitlement: entView(t.entitlement), entitlementOwner: owners(gov, t.entitlement.ownerIds) } : {}),
      ...(t.role ? { role: roleView(t.role), roleOwner: owners(gov, t.role.ownerIds) } : {}),
      decision: { status: 'in-progress', decision: null, outcome: null, startDate: ts, completionDate: null, comments: [{ user: userRef(user), comment: justification, action: 'request', timeStamp: ts }], actors: { active: [], inactive: [] }, phases: [] },
      metadata: { createdDate: ts, modifiedDate: ts },
      _emulator: { workflowId: wf ? wf.id : null, planned: [], current: -1, requesterType: 'user' },
    };
    // generated requests do not expire: their phases keep no expiration/escalation dates
    r._emulator.planned = planFor(gov, wf, false, t).map((p) => ({ ...p, expirationMs: null, escalationMs: null }));
    const phase = openPhase(gov, r, 0, created, String(100 + i));
    if (phase) {
      const exp = phase.events.expiration as JsonObject | undefined;
      if (exp) delete exp.date;
      const esc = phase.events.escalation as JsonObject | undefined;
      if (esc) delete esc.date;
    }
    out.push(r);
  });
  return out;
}

/** Fill what a hand-written fixture request may leave out, so every request has the shape the rules expect. */
function normalizeRequest(r: AccessRequest, ref: number): void {
  const ts = new Date(ref).toISOString();
  r.requester ??= { id: 'unknown' };
  r.requestType ??= 'entitlementGrant';
  r.request ??= { common: {} };
  r.request.common ??= {};
  r.metadata ??= { createdDate: ts, modifiedDate: ts };
  const d = (r.decision ??= {} as AccessRequest['decision']);
  d.status ??= 'in-progress';
  d.decision ??= null;
  d.outcome ??= null;
  d.startDate ??= r.metadata.createdDate;
  d.completionDate ??= null;
  d.comments ??= [];
  d.actors ??= { active: [], inactive: [] };
  d.actors.active ??= [];
  d.actors.inactive ??= [];
  d.phases ??= [];
  // without a plan, approving the phase in progress completes the approvals
  r._emulator ??= { workflowId: null, planned: [], current: Math.max(0, d.phases.length - 1), requesterType: 'user' };
}
