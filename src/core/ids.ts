// Identifiers. Runtime ids are random; ids made while seeding come from the seeded faker instead (fixtures/).
import { randomUUID } from 'node:crypto';

export const uuid = (): string => randomUUID();

/** AIC transaction id: the form real tenants send in x-forgerock-transactionid (S4 L6100–6150). */
export const transactionId = (): string => `${randomUUID()}-${Math.floor(Math.random() * 1e6)}`;

/** 32 hex chars, the form ISC uses for object ids and tracking ids. */
export const hexId = (): string => randomUUID().replace(/-/g, '');
