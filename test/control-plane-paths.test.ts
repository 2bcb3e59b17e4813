// The control plane's entry answers with and without the trailing slash (issue 12/18: `/__emulator/` was a 404).
import { describe, expect, it } from 'vitest';
import { testEmulator } from './helpers.js';

describe('control plane entry', () => {
  it('/__emulator and /__emulator/ both open the inspector', async () => {
    const emu = testEmulator();
    for (const path of ['/__emulator', '/__emulator/']) {
      const res = await emu.request('dev', path, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/__emulator/ui');
    }
  });
});
