// jose, loaded on first use (a separate chunk of the bundle): start-up to the first 200 never signs or verifies a JWT.
import type * as Jose from 'jose';

let loading: Promise<typeof Jose> | undefined;

export const jose = (): Promise<typeof Jose> => (loading ??= import('jose'));
