// Helpers for the promotion suites: tokens, polling on the emulator clock, and giving an environment an ESV.
import { advance, aicToken, call, type JsonResponse } from './helpers.js';
import type { Emulator } from '../src/emulator.js';

export const PROMO = ['fr:idc:promotion:*'];

export async function promoToken(emu: Emulator, env = 'staging'): Promise<string> {
  return aicToken(emu, env, PROMO, `svc-promoter-${env}`);
}

/** Advance the clock in steps until `done(body)` or the step budget runs out; returns the last response. */
export async function pollUntil(emu: Emulator, env: string, token: string, path: string, done: (body: any) => boolean, stepMs = 1_000, maxSteps = 600): Promise<JsonResponse> {
  let res = await call(emu, env, 'GET', path, { token });
  for (let i = 0; i < maxSteps && !done(res.body); i++) {
    await advance(emu, stepMs);
    res = await call(emu, env, 'GET', path, { token });
  }
  return res;
}

/** Create an ESV variable through the ESV API (falls back to the ESV slice while that API is not there yet). */
export async function giveEsv(emu: Emulator, env: string, name: string, value = 'noreply@example.com'): Promise<void> {
  const token = await aicToken(emu, env, ['fr:idc:esv:*']);
  const res = await call(emu, env, 'PUT', `/environment/variables/${name}`, { token, body: { valueBase64: Buffer.from(value).toString('base64'), expressionType: 'string', description: 'test' } });
  if (res.status === 200 || res.status === 201) return;
  const e = emu.env(env)!;
  const slice = ((e.state as Record<string, any>).esv ??= { variables: [], secrets: [] });
  slice.variables ??= [];
  slice.variables.push({ _id: name, description: 'test', expressionType: 'string', valueBase64: Buffer.from(value).toString('base64'), loaded: false });
  e.changed();
}
