// When a campaign template's schedule next fires (contract Schedule-2), evaluated in UTC on the emulator clock:
// hours (LIST with optional interval, RANGE), days (WEEKLY 1–7 with 1 = Sunday; MONTHLY 1–31, L, L-n; ANNUALLY
// "--MM-DD", or days of the month with `months`; CALENDAR "YYYY-MM-DD"), months (LIST/RANGE with interval), expiration.
import type { Schedule } from './model.js';

const HOUR = 3_600_000;
/** Look this far ahead for the next occurrence (an ANNUALLY schedule fires at least once a year). */
const HORIZON_HOURS = 24 * 366 * 4;

type Field = { type: 'LIST' | 'RANGE'; values: string[]; interval?: number | null } | null | undefined;

function numbersOf(field: Field, lo: number, hi: number, parse: (v: string) => number | undefined = (v) => (/^\d+$/.test(v) ? Number(v) : undefined)): Set<number> | undefined {
  if (!field) return undefined;
  const vals = field.values.map(parse).filter((n): n is number => n !== undefined && n >= lo && n <= hi);
  const out = new Set<number>();
  const step = Math.max(1, field.interval ?? 1);
  if (field.type === 'RANGE' && vals.length >= 2) {
    const [a, b] = [vals[0]!, vals[1]!];
    // a range may wrap ("9", "5": nine to five across midnight)
    for (let n = a, i = 0; i <= hi - lo + 1; n = n === hi ? lo : n + 1, i++) {
      if (i % step === 0) out.add(n);
      if (n === b) break;
    }
  } else {
    for (const v of vals) for (let n = v; n <= hi; n += field.interval ? step : hi + 1) out.add(n);
  }
  return out;
}

function dayMatches(s: Schedule, d: Date): boolean {
  const day = d.getUTCDate();
  const month = d.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), month, 0)).getUTCDate();
  const values = s.days?.values ?? [];
  const monthDay = (v: string): number | undefined => {
    if (v === 'L') return lastDay;
    const m = /^L-(\d+)$/.exec(v);
    if (m) return lastDay - Number(m[1]);
    return /^\d+$/.test(v) ? Number(v) : undefined;
  };
  switch (s.type) {
    case 'WEEKLY':
      return numbersOf(s.days, 1, 7)?.has(d.getUTCDay() + 1) ?? false;
    case 'MONTHLY':
      return numbersOf(s.days, 1, 31, monthDay)?.has(day) ?? false;
    case 'ANNUALLY': {
      if (s.months) return (numbersOf(s.months, 1, 12)?.has(month) ?? false) && (numbersOf(s.days, 1, 31, monthDay)?.has(day) ?? false);
      const md = `--${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      return values.includes(md);
    }
    case 'CALENDAR':
      return values.includes(d.toISOString().slice(0, 10));
  }
}

/**
 * The first value the schedule's type cannot read, as a 400's reason (contract Schedule-2: hours 0–23, months 1–12,
 * days per type as at the top of this file), or undefined when every value is one. Checked before the next
 * occurrence, so a misspelt day (`MON` where WEEKLY counts 1–7) is named as such, not as a schedule that never fires.
 */
export function scheduleProblem(s: Schedule): string | undefined {
  const int = (lo: number, hi: number) => (v: string) => /^\d+$/.test(v) && Number(v) >= lo && Number(v) <= hi;
  const monthDay = (v: string) => int(1, 31)(v) || v === 'L' || /^L-([1-9]|[12]\d|30)$/.test(v);
  const calendar = (v: string) => {
    const t = /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : NaN;
    return !Number.isNaN(t) && new Date(t).toISOString().startsWith(v);
  };
  const annual = (v: string) => /^--\d{2}-\d{2}$/.test(v) && calendar(`2024${v.slice(1)}`);
  const dayRule: Record<Schedule['type'], [(v: string) => boolean, string]> = {
    WEEKLY: [int(1, 7), 'a day of the week (1–7, 1 = Sunday)'],
    MONTHLY: [monthDay, 'a day of the month (1–31, L or L-n)'],
    ANNUALLY: s.months ? [monthDay, 'a day of the month (1–31, L or L-n)'] : [annual, 'a day of the year (--MM-DD)'],
    CALENDAR: [calendar, 'a date (YYYY-MM-DD)'],
  };
  const fields: Array<[string, Field, (v: string) => boolean, string]> = [
    ['hours', s.hours, int(0, 23), 'an hour (0–23)'],
    ['months', s.months, int(1, 12), 'a month (1–12)'],
    ['days', s.days, ...dayRule[s.type]],
  ];
  for (const [name, field, ok, what] of fields) {
    const bad = field?.values.find((v) => !ok(v));
    if (bad !== undefined) return `${name}.values: ${bad} is not ${what} for a ${s.type} schedule`;
  }
  return undefined;
}

/** The first whole hour strictly after `now` on which the schedule fires, or undefined (never / expired). */
export function nextOccurrence(s: Schedule, now: number): number | undefined {
  const hours = numbersOf(s.hours, 0, 23) ?? new Set([0]);
  const expires = s.expiration ? Date.parse(s.expiration) : Infinity;
  if (!s.days?.values.length) return undefined;
  let t = Math.floor(now / HOUR) * HOUR + HOUR;
  for (let i = 0; i < HORIZON_HOURS; i++, t += HOUR) {
    if (t > expires) return undefined;
    const d = new Date(t);
    if (hours.has(d.getUTCHours()) && dayMatches(s, d)) return t;
  }
  return undefined;
}
