// ISC certifications: the area's state, its indexes, job payloads that keep the acting principal, and audit events.
import { indexBy } from '../../core/indexes.js';
import type { RequestActor } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { recordEvent as record, type EventInput, type RequestContext } from '../search/events.js';
import type { Campaign, Certification, IscCertificationsState, ReviewItem } from './model.js';

/** A certification audit event (objects CERTIFICATION, e.g. CERTIFICATION_SIGNOFF_PASSED). */
export function recordEvent(env: Environment, ctx: RequestContext | undefined, ev: Omit<EventInput, 'type' | 'objects'>) {
  return record(env, ctx, { type: 'CERTIFICATION', objects: ['CERTIFICATION'], ...ev });
}

export const AREA = 'iscCertifications';
/** reassign-async completes this long after submission (emulator clock). */
export const REASSIGN_TASK_DELAY_MS = 5_000;
export const JOB_REASSIGN = 'isc-cert-reassign';


/** The acting principal as a job payload keeps it, so clock-driven work is attributed to who started it (seeds 000/001). */
export interface JobPrincipal {
  id: string;
  type: Principal['type'];
  authorities: string[];
  name: string | null;
  clientId: string | null;
}

export function jobPrincipal(p: Principal): JobPrincipal {
  return { id: p.id, type: p.type, authorities: p.authorities, name: p.name ?? null, clientId: p.clientId ?? null };
}

/** The request context a job acts in: the principal and transaction id its payload recorded. */
export function ctxFromJob(payload: Record<string, unknown>, fallbackTx: string): RequestActor {
  const pp = payload.principal as JobPrincipal;
  const principal: Principal = { id: pp.id, type: pp.type, authorities: pp.authorities, name: pp.name ?? undefined, clientId: pp.clientId ?? undefined, scopes: [], tokenId: '', claims: {} };
  return { txId: String(payload.txId ?? fallbackTx), principal };
}

export function certState(env: Environment): IscCertificationsState {
  return env.slice<IscCertificationsState>(AREA);
}

// ---- indexes (in-memory, rebuilt when the arrays change) ----
const byId = (x: { id: string }) => x.id;

export function findCertification(env: Environment, id: string): Certification | undefined {
  return indexBy(certState(env).certifications, byId).get(id);
}

export function findItem(cert: Certification, id: string): ReviewItem | undefined {
  return indexBy(cert.items, byId).get(id);
}

export function findCampaign(env: Environment, id: string): Campaign | undefined {
  return indexBy(certState(env).campaigns, byId).get(id);
}
