// Timestamps clients send (deadlines, start and remove dates), read strictly: an ISO 8601 date or date-time whose
// calendar date exists as written (2027-02-30 is refused, not moved to March 2) and whose instant lies in
// 1970-01-01 … 9999-12-31, the range every timestamp the emulator writes back can say (four-digit years).

/** The last instant a four-digit-year ISO timestamp can say. */
export const MAX_TIMESTAMP_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch ms of `raw`, or undefined when it is not such a timestamp. */
export function strictTimestamp(raw: unknown): number | undefined {
  if (typeof raw !== 'string') return undefined;
  const m = ISO.exec(raw);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return undefined;
  const t = Date.parse(raw);
  return Number.isNaN(t) || t < 0 || t > MAX_TIMESTAMP_MS ? undefined : t;
}
