import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { LogBook, type CompactKind } from '../src/core/logbook.js';
import { testEmulator, call, aicToken } from './helpers.js';

const kind: CompactKind<{ n: number; tx: string }> = {
  type: 'application/json',
  payload: (d, e) => ({ n: d.n, at: e.timestamp, transactionId: `${d.tx}/0` }),
  tx: (d) => d.tx,
};

describe('LogBook', () => {
  it('keeps entries in (t, seq) order and seeks after a position', () => {
    const book = new LogBook(100);
    for (let i = 0; i < 5; i++) book.append('s', { i }, 100);
    book.append('s', { i: 'back' }, 50);
    expect(book.view('s').map((e) => e.t)).toEqual([50, 100, 100, 100, 100, 100]);
    const third = book.view('s')[3]!;
    const { list, start } = book.span('s');
    expect(list[book.indexAfter('s', third.t, third.seq)]).toBe(book.view('s')[4]);
    expect(start).toBe(0);
    book.prune(100);
    expect(book.view('s').map((e) => (e.payload as { i: unknown }).i)).toEqual([0, 1, 2, 3, 4]);
    expect(book.count()).toBe(5);
  });

  it('materializes compact entries on read, a fresh payload each time', () => {
    const book = new LogBook(100);
    const e = book.appendCompact('s', 200, kind, { n: 7, tx: 'abc' });
    expect(e.payload).toEqual({ n: 7, at: new Date(200).toISOString(), transactionId: 'abc/0' });
    expect(e.payload).not.toBe(e.payload);
    expect(e.tx).toBe('abc');
    expect(e.type).toBe('application/json');
    expect(e.timestamp).toBe('1970-01-01T00:00:00.200Z');
  });

  it('caps the environment at maxEntries, dropping the oldest entry of any source first', () => {
    const book = new LogBook(5);
    book.append('a', 'a1', 10);
    book.append('b', 'b1', 5); // older than a1 although written later
    book.append('a', 'a2', 20);
    book.append('b', 'b2', 30);
    book.append('a', 'a3', 30);
    expect(book.count()).toBe(5);
    book.append('c', 'c1', 40);
    expect(book.count()).toBe(5);
    expect(book.view('b').map((e) => e.payload)).toEqual(['b2']); // b1 (t=5) went first
    book.append('c', 'c2', 41);
    expect(book.view('a').map((e) => e.payload)).toEqual(['a2', 'a3']); // then a1 (t=10)
    book.append('c', 'c3', 42);
    expect(book.view('a').map((e) => e.payload)).toEqual(['a3']);
    // b2 and a3 share t=30: the lower sequence number (written first) goes first
    book.append('c', 'c4', 43);
    expect(book.view('b')).toEqual([]);
    expect(book.view('a').map((e) => e.payload)).toEqual(['a3']);
    book.append('c', 'c5', 44);
    expect(book.view('a')).toEqual([]);
    expect(book.view('c').map((e) => e.payload)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
  });

  it('stays at the cap over many appends and keeps the newest in order (compaction keeps seeks right)', () => {
    const book = new LogBook(3000);
    for (let i = 0; i < 20_000; i++) book.appendCompact(i % 3 === 0 ? 'x' : 'y', i, kind, { n: i, tx: `t${i}` });
    expect(book.count()).toBe(3000);
    const all = [...book.view('x'), ...book.view('y')].map((e) => e.t).sort((a, b) => a - b);
    expect(all[0]).toBe(17_000);
    expect(all.at(-1)).toBe(19_999);
    const { list, start } = book.span('y');
    expect(list.length - start).toBe(book.view('y').length);
    const e = book.view('y')[10]!;
    expect(list[book.indexAfter('y', e.t, e.seq)]).toBe(book.view('y')[11]);
    expect(book.range('x', 18_000, 18_010).map((x) => x.t)).toEqual([18_000, 18_003, 18_006, 18_009]);
  });

  it('reads a lowered bound on the next append', () => {
    let max = 10;
    const book = new LogBook(() => max);
    for (let i = 0; i < 10; i++) book.append('s', i, i);
    max = 4;
    book.append('s', 10, 10);
    expect(book.view('s').map((e) => e.payload)).toEqual([7, 8, 9, 10]);
  });
});

describe('the log cap through the emulator', () => {
  it('the fixture logs.maxEntries bounds what /monitoring/logs serves, oldest dropped first', async () => {
    const fixture = JSON.parse(readFileSync(new URL('../seeds/default.json', import.meta.url), 'utf8'));
    fixture.aic.environments[0].logs.maxEntries = 4;
    const emu = testEmulator({ fixture, logMaxEntries: 50 });
    const dev = emu.env('dev')!;
    expect(dev.logbook.maxEntries()).toBe(4);
    expect(emu.env('staging')!.logbook.maxEntries()).toBe(50);
    const token = await aicToken(emu, 'dev', ['fr:idc:esv:read']);
    for (let i = 0; i < 6; i++) await call(emu, 'dev', 'GET', '/environment/variables', { token, headers: { 'x-forgerock-transactionid': `cap-${i}` } });
    const k = dev.slice<{ logApiKeys: Array<{ id: string; secret: string }> }>('credentials').logApiKeys[0]!;
    const res = await call(emu, 'dev', 'GET', '/monitoring/logs?source=idm-access,idm-activity,am-access,am-authentication', { headers: { 'x-api-key': k.id, 'x-api-secret': k.secret } });
    expect(res.status).toBe(200);
    expect(dev.logbook.count()).toBe(4);
    expect(res.body.result.map((e: { payload: { transactionId: string } }) => e.payload.transactionId)).toEqual(['cap-2/0', 'cap-3/0', 'cap-4/0', 'cap-5/0']);
  });

  it('--log-max-entries applies where the fixture sets none', () => {
    const emu = testEmulator({ logMaxEntries: 7 });
    expect(emu.env('staging')!.logbook.maxEntries()).toBe(7);
    expect(testEmulator().env('dev')!.logbook.maxEntries()).toBe(1_000_000);
  });
});
