// A value built on its first use, then the same object on every call. Module-level zod schemas are the bulk of the
// emulator's start-up work before its first health answer, and most are needed only when a product's routes
// register, a state is seeded or a fixture is validated: an area declares them with lazy() (issue #17: start-up).
let builds = 0;

/** How many lazy values have been built in this process (tests: start-up and a health check build none). */
export const lazyBuilds = (): number => builds;

export function lazy<T>(build: () => T): () => T {
  let value: T;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
      builds++;
    }
    return value;
  };
}
