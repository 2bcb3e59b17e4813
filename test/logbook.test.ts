import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { LogBook, PACKED_NUMBERS, PACKED_REFS, lowerBound, upperBound, type CompactKind, type LogEntry } from '../src/core/logbook.js';
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
    expect(span.seqAt(book.indexAfter('s', third.t, third.seq))).toBe(book.view('s')[4]!.seq);
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
    expect(span.seqAt(book.indexAfter('y', e.t, e.seq))).toBe(book.view('y')[11]!.seq);
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
  // a kind that keeps its record as columns: the shared part by reference, the numbers in the number columns, a
  // string in a reference column
  const packedKind: CompactKind<{ shared: { name: string }; n: number; tx: number | string; who?: string }> = {
    type: 'application/json',
    payload: (d, e) => ({ name: d.shared.name, n: d.n, at: e.t, transactionId: `${d.tx}/0`, ...(d.who ? { who: d.who } : {}) }),
    tx: (d) => String(d.tx),
    txKey: (d) => d.tx,
    pack(d, row) {
      row.num.fill(-1);
      row.num[0] = d.n;
      row.ref.fill(undefined);
      row.ref[PACKED_REFS - 1] = d.who;
      return d.shared;
    },
    unpack: (kept, cols, p, txKey) => ({ shared: kept as { name: string }, n: cols.num[0]![p]!, tx: txKey as number | string, who: cols.ref[PACKED_REFS - 1]![p] as string | undefined }),
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

describe('LogBook ring columns (issue 17)', () => {
  const ringKind: CompactKind<{ n: number; tx: number | string; who?: string; x: number }> = {
    type: 'application/json',
    payload: (d) => ({ n: d.n, x: d.x, transactionId: `${d.tx}/0`, ...(d.who ? { who: d.who } : {}) }),
    tx: (d) => String(d.tx),
    txKey: (d) => d.tx,
    pack(d, row) {
      row.num.fill(0);
      row.num[0] = d.n;
      row.num[PACKED_NUMBERS - 1] = d.x;
      row.ref.fill(undefined);
      row.ref[0] = d.who;
      return 'shared';
    },
    unpack: (_kept, cols, p, txKey) => ({ n: cols.num[0]![p]!, x: cols.num[PACKED_NUMBERS - 1]![p]!, tx: txKey as number | string, who: cols.ref[0]![p] as string | undefined }),
  };
  const plainKind: CompactKind<{ n: number }> = { type: 'text/plain', payload: (d) => `plain ${d.n}`, tx: () => undefined };

  // a naive store: every entry in one array sorted by (t, seq), the oldest dropped first
  type Row = { source: string; t: number; seq: number; json: string; txKey: string | number | undefined };
  function check(book: LogBook, model: Row[], sources: string[], probe: () => number) {
    expect(book.count()).toBe(model.length);
    for (const source of sources) {
      const want = model.filter((m) => m.source === source);
      const got = book.view(source);
      expect(got.map((e) => [e.t, e.seq, e.payloadJson, e.txKey])).toEqual(want.map((m) => [m.t, m.seq, m.json, m.txKey]));
      const span = book.span(source);
      expect(span.end - span.start).toBe(want.length);
      for (let k = 0; k < want.length; k++) {
        const i = span.start + k;
        expect([span.timeAt(i), span.seqAt(i), span.txKeyAt(i)]).toEqual([want[k]!.t, want[k]!.seq, want[k]!.txKey]);
      }
      for (let q = 0; q < 5; q++) {
        const t = probe();
        expect(lowerBound(span, t) - span.start).toBe(want.filter((m) => m.t < t).length);
        expect(upperBound(span, t) - span.start).toBe(want.filter((m) => m.t <= t).length);
        expect(book.range(source, t, t + 20).map((e) => e.seq)).toEqual(want.filter((m) => m.t >= t && m.t < t + 20).map((m) => m.seq));
      }
      if (want.length) {
        const m = want[Math.abs(probe()) % want.length]!;
        expect(book.indexAfter(source, m.t, m.seq) - span.start).toBe(want.indexOf(m) + 1);
      }
    }
  }

  for (const seed0 of [1, 2, 3, 4]) {
    it(`matches a naive store over random appends, clock jumps backwards, cap changes and prunes (seed ${seed0})`, () => {
      let seed = seed0 * 7919;
      const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
      let cap = 100 + rnd(300);
      const book = new LogBook(() => cap);
      const sources = ['a', 'b', 'c'];
      let model: Row[] = [];
      const seen: LogEntry[] = [];
      book.onAppend((e) => seen.push(e));
      let t = 10_000;
      for (let i = 1; i <= 8000; i++) {
        const r = rnd(100);
        if (r < 1) t -= rnd(400); // far back: rows go in near the start of a source
        else if (r < 11) t -= rnd(20); // a little back: near the end
        else t += rnd(8);
        // one source gets most rows for a while, so sources grow while their rows wrap around the columns
        const source = sources[(i >> 9) % 3 === 0 ? rnd(3) : rnd(10) < 8 ? (i >> 9) % 3 : rnd(3)]!;
        const kindOf = rnd(4);
        let json: string;
        let txKey: string | number | undefined;
        if (kindOf === 0) {
          book.append(source, { i, transactionId: `p${i}/1` }, t);
          json = JSON.stringify({ i, transactionId: `p${i}/1` });
          txKey = `p${i}/1`;
        } else if (kindOf === 1) {
          book.appendCompact(source, t, plainKind, { n: i });
          json = JSON.stringify(`plain ${i}`);
          txKey = undefined;
        } else {
          const d = { n: i, tx: i % 3 ? i : `s${i}`, who: i % 5 ? `w${i % 7}` : undefined, x: i % 11 === 0 ? 1.5 + i : -i };
          book.appendCompact(source, t, ringKind, d);
          json = JSON.stringify({ n: d.n, x: d.x, transactionId: `${d.tx}/0`, ...(d.who ? { who: d.who } : {}) });
          txKey = d.tx;
        }
        expect(seen.at(-1)!.seq).toBe(i);
        expect(seen.at(-1)!.payloadJson).toBe(json);
        model.push({ source, t, seq: i, json, txKey });
        model.sort((x, y) => x.t - y.t || x.seq - y.seq);
        while (model.length > cap) model.shift();
        // the cap moves (lowered: several rows dropped by the next append; raised: sources grow with rows wrapped)
        if (i < 5000 && rnd(600) === 0) cap = 5 + rnd(700);
        if (i === 5000) cap = 2500;
        if (i < 5000 && rnd(900) === 0) {
          const before = t - rnd(300);
          book.prune(before);
          model = model.filter((m) => m.t >= before);
        }
        if (i % 997 === 0) check(book, model, sources, () => t - rnd(600));
      }
      check(book, model, sources, () => t - rnd(600));
    });
  }

  it('grows, inserts backwards and drops with its rows wrapped around the end of the columns', () => {
    let cap = 200;
    const book = new LogBook(() => cap);
    const model: Row[] = [];
    const span = book.span.bind(book);
    const add = (t: number, n: number) => {
      book.appendCompact('s', t, ringKind, { n, tx: n, who: `w${n % 3}`, x: n / 4 });
      model.push({ source: 's', t, seq: n, json: JSON.stringify({ n, x: n / 4, transactionId: `${n}/0`, who: `w${n % 3}` }), txKey: n });
      model.sort((x, y) => x.t - y.t || x.seq - y.seq);
      while (model.length > cap) model.shift();
    };
    let n = 0;
    for (; n < 330; n++) add(n * 10, n + 1); // 256 columns, rows 130.. wrapped past the end
    const ring = span('s') as unknown as { cap: number; start: number; end: number };
    expect(ring.cap).toBe(256);
    expect(ring.end).toBeGreaterThan(ring.cap);
    add(1305, ++n); // near the start: the rows in front move
    add(3285, ++n); // near the end: the rows after move
    let q = 0;
    check(book, model, ['s'], () => 1300 + ((q += 37) % 2000));
    cap = 600; // room to grow while wrapped
    for (let k = 0; k < 400; k++) add(3300 + k * 10 - (k % 7 === 0 ? 25 : 0), ++n);
    expect(ring.cap).toBeGreaterThan(256);
    check(book, model, ['s'], () => 2000 + ((q += 37) % 5000));
    cap = 50; // lowered: many rows dropped at once
    add(8000, ++n);
    check(book, model, ['s'], () => 7000 + ((q += 37) % 1500));
  });

  it('a reference column first written after rows exist reads undefined for the earlier rows', () => {
    const book = new LogBook(300);
    for (let n = 1; n <= 400; n++) book.appendCompact('s', n, ringKind, { n, tx: n, x: n, who: n > 350 ? `w${n}` : undefined });
    book.append('s', { plain: true }, 401);
    book.appendCompact('s', 402, ringKind, { n: 402, tx: 402, x: 402, who: 'last' });
    const who = book.view('s').map((e) => (e.payload as { who?: string }).who);
    expect(who.length).toBe(300); // rows 103..402
    expect(who.slice(0, 248).every((w) => w === undefined)).toBe(true);
    expect(who.slice(248, 298)).toEqual(Array.from({ length: 50 }, (_, k) => `w${k + 351}`));
    expect(who.slice(298)).toEqual([undefined, 'last']);
  });

  it('a source at the cap keeps its blocks (no growth, rows written over dropped ones)', () => {
    const book = new LogBook(10_000);
    for (let i = 0; i < 50_000; i++) book.appendCompact('s', i, ringKind, { n: i, tx: i, x: i });
    const span = book.span('s') as unknown as { cap: number; blocks: unknown[] };
    const cap = span.cap;
    const blocks = [...span.blocks];
    for (let i = 50_000; i < 200_000; i++) book.appendCompact('s', i, ringKind, { n: i, tx: i, x: i });
    expect(span.cap).toBe(cap);
    expect(span.blocks).toEqual(blocks);
    span.blocks.forEach((b, k) => expect(b).toBe(blocks[k]));
    expect(book.view('s').map((e) => e.t)).toEqual(Array.from({ length: 10_000 }, (_, k) => 190_000 + k));
  });

  it('grows by a block past 4,096 rows, without copying them, also while they wrap (a block shared by the newest and the oldest rows is split)', () => {
    let cap = 9000;
    const book = new LogBook(() => cap);
    const span = book.span.bind(book);
    let n = 0;
    const add = (source: string) => {
      n++;
      book.appendCompact(source, n, ringKind, { n, tx: n, who: n % 3 ? `w${n % 5}` : undefined, x: n / 2 });
    };
    for (let k = 0; k < 8192; k++) add('s');
    const ring = span('s') as unknown as { cap: number; start: number; end: number; blocks: unknown[] };
    expect([ring.cap, ring.blocks.length]).toEqual([8192, 2]);
    const first = ring.blocks[0];
    add('s'); // a third block appended: the first two kept
    expect([ring.cap, ring.blocks.length, ring.blocks[0]]).toEqual([12_288, 3, first]);
    for (let k = 0; k < 3000; k++) add('s'); // 12,193 rows at cap 9,000: dropped from the front, the newest wrap
    expect(ring.start).toBeGreaterThan(0);
    // another source takes the oldest rows' share: 's' fills while wrapped, at a block boundary or inside one
    cap = 20_000;
    for (let k = 0; k < 200; k++) add('o');
    for (let k = 0; k < 9000; k++) add('s');
    expect(ring.cap).toBeGreaterThan(12_288);
    const live = book.view('s');
    expect(live.length).toBe(ring.end - ring.start);
    // every row in order, its packed values intact
    for (let k = 1; k < live.length; k++) expect(live[k]!.seq).toBeGreaterThan(live[k - 1]!.seq);
    for (const e of live) {
      const m = e.seq;
      expect(e.payloadJson).toBe(JSON.stringify({ n: m, x: m / 2, transactionId: `${m}/0`, ...(m % 3 ? { who: `w${m % 5}` } : {}) }));
    }
    expect(book.count()).toBe(9000 + 200 + 9000); // what the 9,000 cap kept of the first rows, then every later one
  });

  it('grows while wrapped with the oldest row at a block boundary (a block put in front of it)', () => {
    const book = new LogBook(100_000);
    const add = (n: number) => book.appendCompact('s', n, ringKind, { n, tx: n, who: `w${n % 7}`, x: n });
    for (let n = 1; n <= 12_288; n++) add(n); // three full blocks
    const ring = book.span('s') as unknown as { cap: number; start: number; blocks: unknown[] };
    book.prune(4097); // rows 1..4096 gone: the oldest row starts block 1
    for (let n = 12_289; n <= 16_384; n++) add(n); // block 0 refilled: every position holds a row again
    expect([ring.cap, ring.start]).toEqual([12_288, 4096]);
    const [b0, b1, b2] = ring.blocks;
    add(16_385);
    expect(ring.cap).toBe(16_384);
    expect(ring.blocks[0]).toBe(b0);
    expect(ring.blocks.slice(2)).toEqual([b1, b2]);
    expect(book.view('s').map((e) => (e.payload as { n: number; who: string }).n)).toEqual(Array.from({ length: 12_289 }, (_, k) => 4097 + k));
    expect(book.view('s').every((e) => (e.payload as { who: string }).who === `w${(e.payload as { n: number }).n % 7}`)).toBe(true);
  });

  // the naive model of the random test above, at block sizes: rows kept sorted, the oldest dropped by moving a head
  for (const seed0 of [5, 6]) {
    it(`matches a naive store past one block: growth while wrapped, backwards clock, cap changes, prunes (seed ${seed0})`, () => {
      let seed = seed0 * 104_729;
      const rnd = (m: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % m);
      let cap = 6000;
      const book = new LogBook(() => cap);
      const sources = ['a', 'b'];
      let rows: Row[] = [];
      let head = 0;
      const before = (x: Row, y: Row) => x.t < y.t || (x.t === y.t && x.seq < y.seq);
      let t = 1_000_000;
      for (let i = 1; i <= 60_000; i++) {
        const r = rnd(1000);
        if (r < 2) t -= rnd(300);
        else t += rnd(3);
        const source = sources[(i >> 12) % 2 === 0 ? (rnd(10) < 9 ? 0 : 1) : rnd(10) < 9 ? 1 : 0]!;
        const d = { n: i, tx: i, who: i % 4 ? `w${i % 9}` : undefined, x: -i };
        book.appendCompact(source, t, ringKind, d);
        const row: Row = { source, t, seq: i, json: JSON.stringify({ n: i, x: -i, transactionId: `${i}/0`, ...(d.who ? { who: d.who } : {}) }), txKey: i };
        let lo = head;
        let hi = rows.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (before(row, rows[mid]!)) hi = mid;
          else lo = mid + 1;
        }
        if (lo === rows.length) rows.push(row);
        else rows.splice(lo, 0, row);
        while (rows.length - head > cap) head++;
        if (rnd(4000) === 0) cap = 4500 + rnd(12_000);
        if (rnd(9000) === 0) {
          const cut = t - 2000;
          book.prune(cut);
          while (head < rows.length && rows[head]!.t < cut) head++;
        }
        if (head > 50_000) {
          rows = rows.slice(head);
          head = 0;
        }
        if (i % 7919 === 0) check(book, rows.slice(head), sources, () => t - rnd(3000));
      }
      check(book, rows.slice(head), sources, () => t - rnd(3000));
    });
  }
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
