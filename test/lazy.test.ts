// core/lazy.ts: a value built on first use, once (issue #17: module-level zod schemas built when first needed).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lazy, lazyBuilds } from '../src/core/lazy.js';
import { aicEnvironmentSchema, fixtureJsonSchema, fixtureSchemaOf, iscTenantSchema } from '../src/fixtures/schema.js';
import { aicAreas } from '../src/aic/index.js';
import { iscAreas } from '../src/isc/index.js';

describe('lazy()', () => {
  it('builds nothing until called, then returns the same value on every call', () => {
    let builds = 0;
    const get = lazy(() => ({ n: ++builds }));
    expect(builds).toBe(0);
    const first = get();
    expect(get()).toBe(first);
    expect(builds).toBe(1);
    const before = lazyBuilds();
    lazy(() => 1)();
    expect(lazyBuilds()).toBe(before + 1);
  });

  it('keeps a falsy or undefined value without building again', () => {
    let builds = 0;
    const get = lazy(() => {
      builds++;
      return undefined;
    });
    expect(get()).toBeUndefined();
    expect(get()).toBeUndefined();
    expect(builds).toBe(1);
  });

  it('lets a failed build be retried (nothing half-built is kept)', () => {
    let calls = 0;
    const get = lazy(() => {
      if (++calls === 1) throw new Error('first');
      return calls;
    });
    expect(() => get()).toThrow('first');
    expect(get()).toBe(2);
    expect(get()).toBe(2);
  });
});

describe('lazily built fixture schemas', () => {
  it('are the same objects on every call, and the document schema holds every area key once', () => {
    expect(fixtureSchemaOf()).toBe(fixtureSchemaOf());
    for (const area of [...aicAreas, ...iscAreas]) if (area.fixture) expect(area.fixture()).toBe(area.fixture());
    const aicKeys = Object.keys(aicEnvironmentSchema().shape);
    for (const area of aicAreas) for (const k of Object.keys(area.fixture?.().shape ?? {})) expect(aicKeys).toContain(k);
    const iscKeys = Object.keys(iscTenantSchema().shape);
    for (const area of iscAreas) for (const k of Object.keys(area.fixture?.().shape ?? {})) expect(iscKeys).toContain(k);
  });

  it('give the same fixture JSON Schema as the committed seeds/schema.json (tenant-emulator schema)', () => {
    const committed = JSON.parse(readFileSync(new URL('../seeds/schema.json', import.meta.url), 'utf8'));
    expect(fixtureJsonSchema()).toEqual(committed);
  });
});
