// ISC certifications: who may see and act on a certification (reviewers, CERT_ADMIN/ORG_ADMIN), and the actor of a decision.
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { findIdentity } from '../identities/service.js';
import { Forbidden, Invalid, NotFound } from '../../core/errors.js';
import type { Actor, Certification } from './model.js';
import { groupBy } from '../../core/indexes.js';
import { certState, findCertification } from './state.js';

// ---- authorization ----
export function isCertAdmin(p: Principal): boolean {
  // S2: "A token with ORG_ADMIN or CERT_ADMIN authority"
  return p.authorities.includes('ORG_ADMIN') || p.authorities.includes('CERT_ADMIN');
}

export function reviews(cert: Certification, identityId: string): boolean {
  return cert.reviewer.type === 'IDENTITY' ? cert.reviewer.id === identityId : cert.reviewer.members.includes(identityId);
}

/** The identities for which reviews(cert, id) holds: the index key of reviewedBy. */
export function reviewerIds(cert: Certification): readonly string[] {
  return cert.reviewer.type === 'IDENTITY' ? [cert.reviewer.id] : cert.reviewer.members;
}

/**
 * The certifications an identity reviews, in store order, from an index over the certifications list (issue 17:
 * a reviewer's list costs their certifications, not the store's). Campaign activation and reassignment append (followed
 * by the index), campaign delete replaces the list (a new index); whoever changes a reviewer in place calls dropIndex.
 */
export function reviewedBy(env: Environment, identityId: string): readonly Certification[] {
  return groupBy(certState(env).certifications, reviewerIds).get(identityId) ?? [];
}

/** The acting identity, recorded on decisions, reassignments and sign-off (seeds 000/001). */
export function actorOf(env: Environment, p: Principal): Actor {
  const identity = findIdentity(env, p.id);
  return { id: p.id, name: identity?.name ?? p.name ?? p.id, type: 'IDENTITY' };
}

/**
 * A certification the caller may act on: 404 when absent, 403 (S2 body) unless ORG_ADMIN/CERT_ADMIN or its reviewer,
 * 400 for governance-group certifications (S2/contract: "does not support requests for certifications assigned to Governance Groups").
 */
export function certificationFor(env: Environment, p: Principal, id: string): Certification {
  const cert = findCertification(env, id);
  if (!cert) throw new NotFound(`Certification ${id} not found`);
  if (!isCertAdmin(p) && !reviews(cert, p.id)) throw new Forbidden(`Identity ${p.id} may not act on certification ${id}`);
  if (cert.reviewer.type === 'GOVERNANCE_GROUP') throw new Invalid('This API does not support requests for certifications assigned to Governance Groups.');
  return cert;
}
