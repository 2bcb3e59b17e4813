// A campaign template schedule's values are read per its type (contract Schedule-2: WEEKLY days 1–7, MONTHLY 1–31, L,
// L-n, ANNUALLY --MM-DD, CALENDAR YYYY-MM-DD, hours 0–23, months 1–12): a value the type cannot read is a 400 naming
// it, before the emulator looks for the next occurrence (src/isc/campaigns/schedule.ts scheduleProblem).
import { describe, expect, it } from 'vitest';
import { scheduleProblem } from '../src/isc/campaigns/schedule.js';
import type { Schedule } from '../src/isc/campaigns/model.js';
import { call, iscToken, testEmulator } from './helpers.js';
import { OLIVIA } from './isc-cert-helpers.js';

const list = (...values: string[]) => ({ type: 'LIST' as const, values });

describe('schedule values', () => {
  it('names the first value its type cannot read', () => {
    const cases: Array<[Partial<Schedule>, string | undefined]> = [
      [{ type: 'WEEKLY', days: list('MON') }, 'days.values: MON is not a day of the week (1–7, 1 = Sunday) for a WEEKLY schedule'],
      [{ type: 'WEEKLY', days: list('2', '8') }, 'days.values: 8 is not a day of the week (1–7, 1 = Sunday) for a WEEKLY schedule'],
      [{ type: 'WEEKLY', days: list('2', '7') }, undefined],
      [{ type: 'MONTHLY', days: list('1', 'L', 'L-3') }, undefined],
      [{ type: 'MONTHLY', days: list('32') }, 'days.values: 32 is not a day of the month (1–31, L or L-n) for a MONTHLY schedule'],
      [{ type: 'ANNUALLY', days: list('--02-29', '--12-31') }, undefined],
      [{ type: 'ANNUALLY', days: list('--02-30') }, 'days.values: --02-30 is not a day of the year (--MM-DD) for a ANNUALLY schedule'],
      [{ type: 'ANNUALLY', months: list('6'), days: list('15') }, undefined],
      [{ type: 'CALENDAR', days: list('2027-01-15') }, undefined],
      [{ type: 'CALENDAR', days: list('2027-13-01') }, 'days.values: 2027-13-01 is not a date (YYYY-MM-DD) for a CALENDAR schedule'],
      [{ type: 'MONTHLY', hours: list('24'), days: list('1') }, 'hours.values: 24 is not an hour (0–23) for a MONTHLY schedule'],
      [{ type: 'ANNUALLY', months: list('0'), days: list('1') }, 'months.values: 0 is not a month (1–12) for a ANNUALLY schedule'],
    ];
    for (const [s, want] of cases) expect(scheduleProblem(s as Schedule), JSON.stringify(s)).toBe(want);
  });

  it('PUT /v3/campaign-templates/{id}/schedule answers the 400 with it and keeps no schedule', async () => {
    const emu = testEmulator();
    const token = await iscToken(emu, OLIVIA);
    const api = (method: string, path: string, body?: unknown) => call(emu, emu.isc.name, method, path, { token, body });
    const tpl = await api('POST', '/v3/campaign-templates', { name: 'Weekly', description: 'd', campaign: { name: 'Weekly', description: 'd', type: 'MANAGER' } });
    const res = await api('PUT', `/v3/campaign-templates/${tpl.body.id}/schedule`, { type: 'WEEKLY', hours: list('9'), days: list('MON') });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('MON is not a day of the week');
    expect((await api('GET', `/v3/campaign-templates/${tpl.body.id}/schedule`)).status).toBe(404);
    expect((await api('PUT', `/v3/campaign-templates/${tpl.body.id}/schedule`, { type: 'WEEKLY', hours: list('9'), days: list('2') })).status).toBe(204);
  });
});
