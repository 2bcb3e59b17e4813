// IDM objects that are not configuration (issue 15): internal roles (`/openidm/internal/role`), which frodo exports
// with the platform configuration. Connector-server tests and script evaluation have no state of their own.
import { z } from 'zod';
import { lazy } from '../../core/lazy.js';

export type JsonObject = Record<string, unknown>;

export interface IdmState {
  /** Internal roles by id (recording InternalRoleOps/readInternalRoles). */
  internalRoles: Record<string, JsonObject>;
}

const role = lazy(() =>
  z.object({
    name: z.string(),
    description: z.string().default(''),
    privileges: z.array(z.record(z.string(), z.unknown())).default([]),
    condition: z.string().nullable().default(null),
    temporalConstraints: z.array(z.record(z.string(), z.unknown())).default([]),
  }),
);

export const idmFixture = lazy(() =>
  z.object({
    /** Internal roles by id; default: the six every AIC tenant has (openidm-admin, openidm-authorized, …). */
    internalRoles: z.record(z.string(), role()).optional(),
  }),
);
export type IdmFixture = z.infer<ReturnType<typeof idmFixture>>;

const builtin = (name: string, description: string) => ({ name, description, privileges: [], condition: null, temporalConstraints: [] });

/** recording InternalRoleOps/readInternalRoles: the built-in roles. */
export const DEFAULT_INTERNAL_ROLES: Record<string, JsonObject> = {
  'openidm-admin': builtin('openidm-admin', 'Administrative access'),
  'openidm-authorized': builtin('openidm-authorized', 'Basic minimum user'),
  'openidm-cert': builtin('openidm-cert', 'Authenticated via certificate'),
  'openidm-reg': builtin('openidm-reg', 'Anonymous access'),
  'openidm-tasks-manager': builtin('openidm-tasks-manager', 'Allowed to reassign workflow tasks'),
  'platform-provisioning': builtin('platform-provisioning', 'Platform provisioning access'),
};
