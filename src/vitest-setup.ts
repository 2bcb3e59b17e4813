// `tenant-emulator/vitest-setup`: a vitest globalSetup that starts one emulator for the whole run, exposes its URLs
// and credentials through process.env (TENANT_EMULATOR_DEV_URL, …, TENANT_EMULATOR_CREDENTIALS as JSON) and through
// `inject('tenantEmulator')`, and closes it when the run ends.
//   // vitest.config.ts
//   export default defineConfig({ test: { globalSetup: ['tenant-emulator/vitest-setup'] } });
// Options come from the environment: TENANT_EMULATOR_SEED (fixture file), TENANT_EMULATOR_FAKER_SEED.
import { startTenantEmulator, urlVariable } from './testing.js';
import type { Credentials } from './admin/credentialsEnv.js';

/** What `inject('tenantEmulator')` returns inside the tests. */
export interface ProvidedTenantEmulator {
  urls: Record<string, string>;
  credentials: Credentials;
}

declare module 'vitest' {
  export interface ProvidedContext {
    tenantEmulator: ProvidedTenantEmulator;
  }
}

/** The part of vitest's TestProject this setup uses (kept structural: no runtime import of vitest). */
interface SetupContext {
  provide?: (key: 'tenantEmulator', value: ProvidedTenantEmulator) => void;
}

export default async function setup(project?: SetupContext): Promise<() => Promise<void>> {
  const fakerSeed = process.env.TENANT_EMULATOR_FAKER_SEED;
  const emu = await startTenantEmulator({
    seed: process.env.TENANT_EMULATOR_SEED || undefined,
    fakerSeed: fakerSeed ? Number(fakerSeed) : undefined,
  });
  for (const [name, url] of Object.entries(emu.urls)) process.env[urlVariable(name)] = url;
  process.env.TENANT_EMULATOR_CREDENTIALS = JSON.stringify(emu.credentials);
  project?.provide?.('tenantEmulator', { urls: emu.urls, credentials: emu.credentials });
  return () => emu.close();
}
