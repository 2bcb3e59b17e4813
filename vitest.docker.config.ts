// `npm run test:docker`: the examples that need a Docker engine (never part of `npm test`).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['examples/**/*.docker.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
