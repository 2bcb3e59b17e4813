// Shared by the AIC IGA request suites: a fresh emulator with a governance admin token, its governance state, and
// end-user tokens for seeded users.
import type { Emulator } from '../src/emulator.js';
import type { GovernanceState, User } from '../src/aic/governance/model.js';
import { aicToken, testEmulator } from './helpers.js';

/** The governance slice of an AIC environment (users, roles, entitlements, grants). */
export function governanceOf(emu: Emulator, env = 'dev'): GovernanceState {
  return emu.env(env)!.slice<GovernanceState>('governance');
}

/** A seeded user by userName. */
export function userNamed(gov: GovernanceState, userName: string): User {
  return gov.users.find((u) => u.userName === userName)!;
}

/** The token of an end user (a user principal, `fr:idm:*` unless other scopes are given). */
export function userToken(emu: Emulator, env: string, user: User, scopes = ['fr:idm:*']): Promise<string> {
  return aicToken(emu, env, scopes, user._id, 'user');
}

/** A fresh emulator, an `fr:iga:*` admin token and the governance state of `env`. */
export async function igaSetup(env = 'dev'): Promise<{ emu: Emulator; admin: string; gov: GovernanceState }> {
  const emu = testEmulator();
  return { emu, admin: await aicToken(emu, env, ['fr:iga:*']), gov: governanceOf(emu, env) };
}
