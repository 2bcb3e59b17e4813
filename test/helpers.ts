// Shared test helpers: an in-process emulator with a frozen clock, tokens from the control plane, JSON requests.
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator, type EmulatorOptions, type Emulator } from '../src/emulator.js';

/**
 * Debug switch (docs/persistence.md): EMULATOR_TEST_DATA_DIR=1 gives every test emulator its own data dir, so the
 * whole suite runs on the journal; with EMULATOR_VERIFY_JOURNAL=1 each flush also checks the files equal memory.
 */
const forcedDataDir = process.env.EMULATOR_TEST_DATA_DIR === '1';

export function testEmulator(opts: EmulatorOptions = {}): Emulator {
  const dataDir = forcedDataDir && !('dataDir' in opts) ? { dataDir: mkdtempSync(join(tmpdir(), 'emu-forced-')) } : {};
  return createEmulator({ clock: { frozen: true, startAt: Date.parse('2026-11-23T12:00:00.000Z') }, ...dataDir, ...opts });
}

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function call<T = any>(emu: Emulator, envName: string, method: string, path: string, opts: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string } = {}): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  const res = await emu.request(envName, path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** An AIC access token minted through the control plane (service account subject by default). */
export async function aicToken(emu: Emulator, env: string, scopes: string[], subject = 'test-service-account', type: 'serviceAccount' | 'oauthClient' | 'user' = 'serviceAccount', expiresIn?: number): Promise<string> {
  const res = await call(emu, env, 'POST', '/__emulator/token', { body: { env, subject, scopes, type, expiresIn } });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${res.text}`);
  return res.body.access_token as string;
}

/** An ISC access token for an identity, minted through the control plane. */
export async function iscToken(emu: Emulator, identityId: string, expiresIn?: number): Promise<string> {
  const res = await call(emu, emu.isc.name, 'POST', '/__emulator/token', { body: { env: emu.isc.name, identityId, expiresIn } });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${res.text}`);
  return res.body.access_token as string;
}

export async function advance(emu: Emulator, ms: number): Promise<void> {
  await call(emu, emu.environments[0]!.name, 'POST', '/__emulator/clock', { body: { advanceMs: ms } });
}

/** Send `text` as is to a listener on `port` and resolve with everything it answers until it closes the connection
 *  (header lines byte for byte: the request should say `Connection: close`). */
export function rawHttp(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(text));
    let out = '';
    s.on('data', (d) => (out += d));
    s.on('error', reject);
    s.on('close', () => resolve(out));
  });
}
