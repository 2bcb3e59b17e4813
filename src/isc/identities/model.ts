// ISC identities (S0/S1): people and service identities, active or inactive, with authorities.
import { z } from 'zod';
import { lazy } from '../../core/lazy.js';

export const iscIdentitySchema = lazy(() =>
  z.object({
    /** 32 hex chars, as ISC ids are. */
    id: z.string().min(1),
    /** Username (ISC `name`/alias). */
    name: z.string().min(1),
    displayName: z.string().optional(),
    email: z.string().default(''),
    active: z.boolean().default(true),
    /** ORG_ADMIN, CERT_ADMIN, … (empty: a plain user). */
    authorities: z.array(z.string()).default([]),
    managerId: z.string().nullable().default(null),
    /** A non-human identity that owns API clients. */
    service: z.boolean().default(false),
    created: z.string().optional(),
    /** Cloud lifecycle state (contract Identity.lifecycleState.stateName: active, inactive, prehire, leaver…). */
    lifecycleState: z.string().default('active'),
    /** Identity attributes from the authoritative source (department, title, location, firstname, lastname, …). */
    attributes: z.record(z.string(), z.string()).default({}),
  }),
);
export type IscIdentity = z.infer<ReturnType<typeof iscIdentitySchema>>;

export const iscIdentitiesFixture = lazy(() =>
  z.object({
    identities: z.array(iscIdentitySchema()).optional(),
    /** Extra faker-generated plain identities with a manager hierarchy (default when `identities` is absent: 50). */
    generateIdentities: z.number().int().min(0).max(100000).optional(),
  }),
);
export type IscIdentitiesFixture = z.infer<ReturnType<typeof iscIdentitiesFixture>>;

export interface IscIdentitiesState {
  identities: IscIdentity[];
}
