// Identifiers. Runtime ids are random; ids made while seeding come from the seeded faker instead (fixtures/).
import { randomUUID } from 'node:crypto';

export const uuid = (): string => randomUUID();

// AIC transaction id: the form real tenants send in x-forgerock-transactionid (S4 L6100–6150), a UUID and a number.
// Made on every request without one, so it is a per-process random prefix and a counter, not fresh randomness.
const TX_PREFIX = randomUUID().slice(0, 24);
let txCounter = 0;
export const transactionId = (): string => {
  const n = ++txCounter;
  return `${TX_PREFIX}${n.toString(16).padStart(12, '0')}-${n % 1_000_000}`;
};

/** 32 hex chars, the form ISC uses for object ids and tracking ids. */
export const hexId = (): string => randomUUID().replace(/-/g, '');
