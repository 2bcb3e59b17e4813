// Library entry: `import { createEmulator } from 'tenant-emulator'` runs the same emulator inside a test process.
// Each environment's Hono app answers `app.request()` without listening; call `listen()` for real ports.
export { createEmulator, Emulator, type EmulatorOptions } from './emulator.js';
export { Environment } from './environment.js';
export { Clock } from './core/clock.js';
export { listen, dispatcher, routeByHost } from './server.js';
import { fixtureSchemaOf } from './fixtures/schema.js';
export { fixtureJsonSchema, type Fixture, type FixtureInput } from './fixtures/schema.js';
/** The fixture document's zod schema (the emulator itself builds it on first use: fixtures/schema.ts). */
export const fixtureSchema = fixtureSchemaOf();
export { parseFixture, readFixtureFile, FixtureError } from './fixtures/load.js';
