// Library entry: `import { createEmulator } from 'tenant-emulator'` runs the same emulator inside a test process.
// Each environment's Hono app answers `app.request()` without listening; call `listen()` for real ports.
export { createEmulator, Emulator, type EmulatorOptions } from './emulator.js';
export { Environment } from './environment.js';
export { Clock } from './core/clock.js';
export { listen, dispatcher, routeByHost } from './server.js';
export { fixtureSchema, fixtureJsonSchema, type Fixture, type FixtureInput } from './fixtures/schema.js';
export { parseFixture, readFixtureFile, FixtureError } from './fixtures/load.js';
