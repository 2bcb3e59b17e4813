// Activity entries kept compact in the log store (core/audit.ts, issue #17): every entry reads back as the payload
// auditActivity built and kept whole before — the same keys in the same order, the same values, the same JSON — with
// the same transaction id (and found by a transaction query), whatever the source, principal, ids and clock; and the
// ESV PUT's `before` view, shared with the previous write's `after`, is always the variable as it was.
import { describe, expect, it } from 'vitest';
import { testEmulator } from './helpers.js';
import { auditActivity, payloadTransactionId, type ActivityEvent, type AuditContext } from '../src/core/audit.js';
import { transactionId } from '../src/core/ids.js';
import { queryLogs } from '../src/aic/logs/service.js';
import { raw } from '../src/core/tracking.js';
import * as esv from '../src/aic/esv/service.js';
import type { Environment } from '../src/environment.js';
import type { LogEntry } from '../src/core/logbook.js';

/** auditActivity's payload as it was built before the compact rows (copied from core/audit.ts at 189dfbc). */
function oldPayload(timestamp: string, _id: string, ctx: AuditContext, ev: ActivityEvent): Record<string, unknown> {
  const amUserDn = (id: string) => `id=${id},ou=user,ou=am-config`;
  const addBeforeAfter = (payload: Record<string, unknown>) => {
    if (ev.before !== undefined) payload.before = ev.before;
    if (ev.after !== undefined) payload.after = ev.after;
  };
  const source = ev.source ?? 'idm-activity';
  const principalId = ctx.principal?.id ?? 'anonymous';
  const transactionId = payloadTransactionId(ctx.txId, 1);
  let payload: Record<string, unknown>;
  if (source === 'am-config') {
    const userId = ctx.principal ? amUserDn(principalId) : principalId;
    payload = { _id, timestamp, transactionId, eventName: 'AM-CONFIG-CHANGE', level: 'INFO', objectId: ev.objectId, operation: ev.operation === 'UPDATE' || ev.operation === 'PATCH' ? 'MODIFY' : ev.operation, runAs: userId, source: 'audit', topic: 'config', trackingIds: [], userId, changedFields: ev.changedFields ?? [] };
    addBeforeAfter(payload);
  } else if (source === 'am-activity') {
    const userId = ctx.principal ? amUserDn(principalId) : principalId;
    payload = { _id, timestamp, transactionId, objectId: ev.objectId, level: 'INFO', eventName: (ev.details?.eventName as string | undefined) ?? 'AM-IDENTITY-CHANGE', component: (ev.details?.component as string | undefined) ?? 'ID Repo', source: 'audit', topic: 'activity', trackingIds: [], realm: '/', userId, runAs: userId, operation: ev.operation };
  } else if (source === 'idm-config') {
    payload = { _id, timestamp, transactionId, changedFields: ev.changedFields ?? [], eventName: 'CONFIG', objectId: ev.objectId, operation: ev.operation, revision: null, runAs: principalId, userId: principalId };
    addBeforeAfter(payload);
  } else {
    payload = { _id, timestamp, transactionId, message: ev.message ?? '', eventName: 'activity', userId: principalId, revision: null, operation: ev.operation, changedFields: ev.changedFields ?? [], runAs: principalId, passwordChanged: false, status: ev.status ?? 'SUCCESS', objectId: ev.objectId };
    addBeforeAfter(payload);
  }
  if (ev.details) payload.details = ev.details;
  return payload;
}

const principal = (id: string) => ({ type: 'serviceAccount' as const, id, scopes: [], authorities: [], tokenId: 'jti', claims: {} });
const SOURCES: ActivityEvent['source'][] = [undefined, 'idm-activity', 'idm-config', 'am-config', 'am-activity', 'idm-sync', 'am-core'];
const OPERATIONS: ActivityEvent['operation'][] = ['CREATE', 'READ', 'UPDATE', 'DELETE', 'PATCH', 'ACTION'];

/** The entry of `source` written last (not always the last row: a later time sorts after it). */
function lastEntry(env: Environment, source: string): LogEntry {
  const span = env.logbook.span(source);
  let best = span.start;
  for (let i = span.start; i < span.end; i++) if (span.seqAt(i) > span.seqAt(best)) best = i;
  return span.entry(best);
}

describe('compact activity entries', () => {
  it('read back as the payload built whole before, key for key, over sources, principals, ids, fields and clock lag', () => {
    const emu = testEmulator();
    const env = emu.env('dev')!;
    const sharedFields = ['description'];
    const sharedDetails = { eventName: 'AM-SESSION-CREATED', component: 'Session', action: 'x' };
    let i = 0;
    let previousN = 0;
    for (const source of SOURCES) {
      for (const operation of OPERATIONS) {
        for (let variant = 0; variant < 8; variant++, i++) {
          const txId = variant % 3 === 0 ? transactionId() : variant % 3 === 1 ? `caller-"${i}"` : `hop-${i}/4`;
          const ctx: AuditContext = { txId, principal: variant % 4 === 3 ? undefined : principal(variant % 2 ? 'svc-a' : `user "ü" ${i % 3}`) };
          const ev: ActivityEvent = {
            ...(source ? { source } : {}),
            objectId: variant % 2 ? 'environment/variables/esv-x' : `managed/alpha_user/${i}`,
            operation,
            ...(variant % 5 === 1 ? { message: `m ${i}` } : {}),
            ...(variant % 5 === 2 ? { status: 'FAILURE' as const } : {}),
            ...(variant % 3 === 1 ? { changedFields: sharedFields } : variant % 3 === 2 ? { changedFields: [] } : {}),
            ...(variant % 4 === 1 ? { details: sharedDetails } : variant % 4 === 2 ? { details: { n: i } } : {}),
            ...(variant % 2 ? { before: { v: i, nested: { a: [1] } } } : {}),
            ...(variant % 3 ? { after: { v: i + 1 } } : {}),
          };
          // the clock read for the payload's timestamp, then for the entry's time (moved in between for some)
          const t0 = env.clock.now();
          const lag = variant === 5 ? 7 : 0;
          if (lag) {
            const now = env.clock.now.bind(env.clock);
            let calls = 0;
            env.clock.now = () => now() + (calls++ === 0 ? 0 : lag);
          }
          auditActivity(env, ctx, ev);
          if (lag) delete (env.clock as { now?: unknown }).now;
          const e = lastEntry(env, source ?? 'idm-activity');
          const payload = e.payload as Record<string, unknown>;
          // _id: a random UUID and the next sequence number
          const m = /^([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})-(\d+)$/.exec(payload._id as string);
          expect(m, String(payload._id)).not.toBeNull();
          expect(Number(m![2])).toBeGreaterThan(previousN);
          previousN = Number(m![2]);
          const expected = oldPayload(new Date(t0).toISOString(), payload._id as string, ctx, ev);
          expect(JSON.stringify(payload)).toBe(JSON.stringify(expected));
          expect(payload).toEqual(expected);
          expect(e.payloadJson).toBe(JSON.stringify(expected));
          expect(e.t).toBe(t0 + lag);
          expect(e.tx).toBe(expected.transactionId);
          expect(e.type).toBe('application/json');
          // the caller's objects are the entry's (as when the payload held them)
          if (ev.before !== undefined && source !== 'am-activity') expect(payload.before).toBe(ev.before);
          if (ev.details) expect(payload.details).toBe(ev.details);
          // a transaction query finds it
          const found = queryLogs(env, { sources: [source ?? 'idm-activity'], begin: 0, end: Number.MAX_SAFE_INTEGER, transactionId: txId, pageSize: 1000 }).entries;
          expect(found.map((f) => f.seq)).toContain(e.seq);
        }
      }
    }
  });

  it('the ESV PUT’s before is the variable as it was, after every kind of change in between', () => {
    const emu = testEmulator();
    const env = emu.env('dev')!;
    const actor = { txId: 'tx-esv', principal: principal('svc-a') };
    const name = 'esv-compact-audit';
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const viewNow = () => {
      const v = esv.esvState(env).variables.find((x) => x._id === name);
      return v ? JSON.stringify(esv.variableView(raw(v))) : undefined;
    };
    const steps: Array<() => void> = [
      () => esv.putVariable(env, actor, name, { valueBase64: b64('a'), expressionType: 'string' }),
      () => esv.putVariable(env, actor, name, { valueBase64: b64('a') }),
      () => esv.putVariable(env, actor, name, { valueBase64: b64('a') }),
      () => esv.setVariableDescription(env, actor, name, 'described'),
      () => esv.putVariable(env, actor, name, { valueBase64: b64('b') }),
      () => {
        // loaded by a restart (no write of the stamp)
        const v = esv.esvState(env).variables.find((x) => x._id === name)!;
        v.loaded = true;
        env.changed();
      },
      () => esv.putVariable(env, actor, name, { valueBase64: b64('b'), description: 'again' }),
      () => esv.putVariable(env, { txId: 'tx-2', principal: principal('other') }, name, { valueBase64: b64('b'), description: 'again' }),
      () => esv.deleteVariable(env, actor, name),
      () => esv.putVariable(env, actor, name, { valueBase64: b64('c'), expressionType: 'string' }),
      () => esv.putVariable(env, actor, name, { valueBase64: b64('c') }),
    ];
    let puts = 0;
    for (const step of steps) {
      const before = viewNow();
      const seq = env.logbook.lastSeq;
      step();
      const e = lastEntry(env, 'idm-activity');
      if (e.seq === seq || !(e.payload as { objectId: string }).objectId.endsWith(name)) continue;
      const p = e.payload as { operation: string; before?: unknown; after?: unknown };
      if (p.operation === 'UPDATE' && (p.after as { _id?: string } | undefined)?._id === name && 'before' in p && step.toString().includes('putVariable')) {
        expect(JSON.stringify(p.before)).toBe(before);
        expect(JSON.stringify(p.after)).toBe(viewNow());
        puts++;
      }
    }
    expect(puts).toBeGreaterThanOrEqual(6);
  });
});
