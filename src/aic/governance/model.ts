// Governance data the reviews and requests are about (SPEC §5, §6): users with managers, applications with
// accounts, entitlements with grants, roles with members. One consistent graph per AIC environment.
import { z } from 'zod';
import { lazy } from '../../core/lazy.js';

export const userSchema = lazy(() =>
  z.object({
    _id: z.string(),
    userName: z.string(),
    givenName: z.string(),
    sn: z.string(),
    mail: z.string(),
    accountStatus: z.enum(['active', 'inactive']).default('active'),
    /** Manager's user _id, or null. */
    manager: z.string().nullable().default(null),
    telephoneNumber: z.string().optional(),
    city: z.string().optional(),
    country: z.string().optional(),
    /** Emulator-only: end-user password for login flows (never returned by product endpoints). */
    password: z.string().optional(),
    /** Admin users act as governance administrators on end-user endpoints. */
    roles: z.array(z.string()).default([]),
  }),
);
export type User = z.infer<ReturnType<typeof userSchema>>;

export const applicationSchema = lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    description: z.string().default(''),
    /** Connector template, as AIC shows it (`salesforce`, `google`, …). */
    templateName: z.string(),
    templateVersion: z.string().default('2.0'),
    icon: z.string().default(''),
    ownerIds: z.array(z.string()).default([]),
  }),
);
export type Application = z.infer<ReturnType<typeof applicationSchema>>;

export const entitlementSchema = lazy(() =>
  z.object({
    id: z.string(),
    applicationId: z.string(),
    name: z.string(),
    description: z.string().default(''),
    ownerIds: z.array(z.string()).default([]),
    requestable: z.boolean().default(true),
  }),
);
export type Entitlement = z.infer<ReturnType<typeof entitlementSchema>>;

export const roleSchema = lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    description: z.string().default(''),
    ownerIds: z.array(z.string()).default([]),
    /** Entitlements a member receives through the role (role-based grants). */
    entitlementIds: z.array(z.string()).default([]),
    requestable: z.boolean().default(true),
  }),
);
export type Role = z.infer<ReturnType<typeof roleSchema>>;

/** A user's access: an account in an application, an entitlement, or a role membership. */
export const grantSchema = lazy(() =>
  z.object({
    id: z.string(),
    userId: z.string(),
    type: z.enum(['account', 'entitlement', 'role']),
    /** applicationId, entitlementId or roleId by type. */
    assignmentId: z.string(),
    /** How the access came: reconciliation, an access request, or a role (S4 L16991–17017: role-based access). */
    grantType: z.enum(['recon', 'request', 'role', 'admin']).default('recon'),
    /** For grantType role: the role that grants it. */
    roleId: z.string().optional(),
    grantDate: z.string(),
  }),
);
export type Grant = z.infer<ReturnType<typeof grantSchema>>;

export const governanceFixture = lazy(() =>
  z.object({
    governance: z
      .object({
        users: z.array(userSchema()).default([]),
        applications: z.array(applicationSchema()).default([]),
        entitlements: z.array(entitlementSchema()).default([]),
        roles: z.array(roleSchema()).default([]),
        grants: z.array(grantSchema()).default([]),
        /** Generate this many more of each with faker (default when `governance` is absent: 60 users, 6 applications). */
        generate: z
          .object({
            users: z.number().int().min(0).max(100000).default(0),
            applications: z.number().int().min(0).max(1000).default(0),
            entitlementsPerApplication: z.number().int().min(0).max(100).default(4),
            roles: z.number().int().min(0).max(1000).default(0),
          })
          .optional(),
      })
      .optional(),
  }),
);
export type GovernanceFixture = z.infer<ReturnType<typeof governanceFixture>>;

export interface GovernanceState {
  users: User[];
  applications: Application[];
  entitlements: Entitlement[];
  roles: Role[];
  grants: Grant[];
}
