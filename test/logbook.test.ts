import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { LogBook, PACKED_COLUMNS, type CompactKind } from '../src/core/logbook.js';
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
    const span = book.span('s');
    expect(span.entry(book.indexAfter('s', third.t, third.seq))).toEqual(book.view('s')[4]);
    expect(span.seq[book.indexAfter('s', third.t, third.seq)]).toBe(book.view('s')[4]!.seq);
    expect(span.start).toBe(0);
    book.prune(100);
    expect(book.view('s').map((e) => (e.payload as { i: unknown }).i)).toEqual([0, 1, 2, 3, 4]);
    expect(book.count()).toBe(5);
  });

  it('materializes compact entries on read, a fresh payload each time', () => {
    const book = new LogBook(100);
    book.appendCompact('s', 200, kind, { n: 7, tx: 'abc' });
    const e = book.view('s')[0]!;
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
    const span = book.span('y');
    expect(span.end - span.start).toBe(book.view('y').length);
    const e = book.view('y')[10]!;
    expect(span.entry(book.indexAfter('y', e.t, e.seq))).toEqual(book.view('y')[11]);
    expect(span.seq[book.indexAfter('y', e.t, e.seq)]).toBe(book.view('y')[11]!.seq);
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

describe('LogBook columns (issue 17)', () => {
  // a kind that keeps its record as columns: the shared part by reference, the numbers in the value columns
  const packedKind: CompactKind<{ shared: { name: string }; n: number; tx: number | string }> = {
    type: 'application/json',
    payload: (d, e) => ({ name: d.shared.name, n: d.n, at: e.t, transactionId: `${d.tx}/0` }),
    tx: (d) => String(d.tx),
    txKey: (d) => d.tx,
    pack(d, out) {
      out[0] = d.n;
      for (let c = 1; c < PACKED_COLUMNS; c++) out[c] = undefined;
      return d.shared;
    },
    unpack: (kept, cols, i, txKey) => ({ shared: kept as { name: string }, n: cols[0]![i] as number, tx: txKey as number | string }),
  };

  it('matches a plain model over mixed kinds, clock jumps backwards, the cap, compaction and retention', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const cap = 700;
    const book = new LogBook(cap);
    const model: Array<{ source: string; t: number; seq: number; json: string }> = [];
    const shared = [{ name: 'a' }, { name: 'b' }];
    let t = 1000;
    for (let i = 1; i <= 6000; i++) {
      t += rnd(10) === 0 ? -rnd(50) : rnd(3);
      const source = ['x', 'y', 'z'][rnd(3)]!;
      const r = rnd(3);
      if (r === 0) book.append(source, { i, transactionId: `p${i}/1` }, t);
      else if (r === 1) book.appendCompact(source, t, packedKind, { shared: shared[i % 2]!, n: i, tx: i % 4 ? i : `s${i}` });
      else book.appendCompact(source, t, kind, { n: i, tx: `c${i}` });
      model.push({ source, t, seq: i, json: '' });
      model.sort((a, b) => a.t - b.t || a.seq - b.seq);
      if (model.length > cap) model.shift();
      if (i % 1500 === 0) {
        book.prune(t - 100);
        while (model.length && model[0]!.t < t - 100) model.shift();
      }
    }
    expect(book.count()).toBe(model.length);
    for (const source of ['x', 'y', 'z']) {
      const got = book.view(source);
      const want = model.filter((m) => m.source === source);
      expect(got.map((e) => [e.t, e.seq])).toEqual(want.map((m) => [m.t, m.seq]));
      const span = book.span(source);
      expect(span.end - span.start).toBe(want.length);
      for (const e of got) {
        const p = e.payload as { n?: number; i?: number; transactionId: string };
        // every row renders the record it was written with
        expect(p.n ?? p.i).toBe(e.seq);
        expect(e.payloadJson).toBe(JSON.stringify(p));
        expect(e.tx?.split('/')[0]).toBe(p.transactionId.split('/')[0]);
        expect(span.entry(book.indexAfter(source, e.t, e.seq - 1)).seq).toBe(e.seq);
      }
    }
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
