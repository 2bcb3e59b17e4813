// Per-environment state on lowdb (DESIGN.md "Persistence is optional and safe"; docs/persistence.md): memory by
// default. With a data dir each environment has a snapshot `<env>.json` (written by lowdb's steno writer: temp file +
// rename, so a killed process never leaves a torn file) and a journal `<env>.journal` that each flush appends the
// changed paths to (core/tracking.ts records them), so a write costs the size of the change, not of the state.
// Group commit: flushes that arrive while a write is under way share the next one (one append for all of them).
import { Low, Memory } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { close, mkdirSync, open, statSync, write } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Tracker } from './tracking.js';
import { apply, batchLine, GENERATION_KEY, headerLine, loadFiles, type Entry } from './journal.js';

export type StateDoc = Record<string, unknown>;

/** A journal longer than this (or than the last snapshot, if larger) is folded into a new snapshot. */
export const COMPACT_MIN_BYTES = 4 * 1024 * 1024;

/** A journal descriptor is closed when its store is collected (tests make many emulators and never stop them). */
const journalCloser = new FinalizationRegistry<number>((fd) => close(fd, () => undefined));

const openAppend = (file: string): Promise<number> =>
  new Promise((resolve, reject) => open(file, 'a', (err, fd) => (err ? reject(err) : resolve(fd))));

/** Write all of `buf` at the end of the file (O_APPEND), looping over short writes. */
function appendAll(fd: number, buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (at: number) =>
      write(fd, buf, at, buf.length - at, null, (err, n) => {
        if (err) reject(err);
        else if (at + n < buf.length) step(at + n);
        else resolve();
      });
    step(0);
  });
}

interface Write {
  /** Settles when the request's changes are on disk (the journal append, or the snapshot). */
  acked: Promise<void>;
  /** Settles when everything this write started is done (a compaction after the append); never rejects. */
  done: Promise<void>;
}

export class EnvStore {
  private readonly db: Low<StateDoc>;
  readonly file: string | undefined;
  readonly journalFile: string | undefined;
  private dirty = false;
  /** Called right before each write (the environment records the emulator time there). */
  beforeWrite: (() => void) | undefined;
  /** The write under way and what it started (a compaction): settles when all of it is done, never rejects. */
  private writing: Promise<void> | undefined;
  /** The write under way: settles when its changes are on disk (rejects if they could not be written). */
  private acking: Promise<void> | undefined;
  /** The next write (group commit): starts when the one under way is done, with every change made until then. */
  private next: Promise<void> | undefined;
  /** The journal, open for appending (opened on the first append of a generation, closed when it is replaced). */
  private fd: number | undefined;
  /** Set only while someone watches the emulator (core/changes.ts): called on every touch and replace. */
  onChange: (() => void) | undefined;
  // persistent mode only
  private tracker: Tracker | undefined;
  private needSnapshot = false;
  private generation: string | undefined;
  private snapshotBytes = 0;
  private journalBytes = 0;
  /** EMULATOR_VERIFY_JOURNAL=1: the document as the files hold it, checked against memory after each flush. */
  private shadow: StateDoc | undefined;
  private readonly verify = process.env.EMULATOR_VERIFY_JOURNAL === '1';
  /** Compaction threshold (tests lower it). */
  compactMinBytes = COMPACT_MIN_BYTES;

  constructor(envName: string, dataDir?: string) {
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      this.file = join(dataDir, `${envName}.json`);
      this.journalFile = join(dataDir, `${envName}.journal`);
      this.db = new Low<StateDoc>(new JSONFile<StateDoc>(this.file), {});
      this.tracker = new Tracker(this.db.data);
    } else {
      this.db = new Low<StateDoc>(new Memory<StateDoc>(), {});
    }
  }

  get persistent(): boolean {
    return this.file !== undefined;
  }

  /** The saved state document (snapshot + its journal), if a data dir holds one (read synchronously at start-up). */
  loadSaved(): StateDoc | undefined {
    if (!this.file || !this.journalFile) return undefined;
    return loadFiles(this.file, this.journalFile)?.doc;
  }

  /** The state document; with a data dir, a proxy that records what each write changes (core/tracking.ts). */
  get data(): StateDoc {
    if (this.pending !== undefined) this.build();
    return this.tracker ? (this.tracker.proxy as StateDoc) : this.db.data;
  }

  /** In memory, the seeded document made on first use (Emulator: start-up seeds lazily; issue #17). */
  private pending: (() => StateDoc) | undefined;

  /** In memory only: `build` makes the document when it is first read (no change notification: it is the seed). */
  defer(build: () => StateDoc): void {
    if (this.file) throw new Error('a persistent store is seeded eagerly');
    this.pending = build;
  }

  /** Whether the document is still to be made by the deferred builder (nothing has read it yet). */
  get deferred(): boolean {
    return this.pending !== undefined;
  }

  private build(): void {
    const build = this.pending!;
    this.pending = undefined;
    this.db.data = build();
  }

  /** Replace the whole document (reset, seed, restore, start-up load): the next flush writes a full snapshot. */
  replace(data: StateDoc): void {
    this.pending = undefined;
    this.db.data = data;
    this.dirty = true;
    if (this.file) {
      this.tracker = new Tracker(data);
      this.needSnapshot = true;
    }
    this.onChange?.();
  }

  /** Note that state changed; flush() writes it. */
  touch(): void {
    this.dirty = true;
    this.onChange?.();
  }

  /**
   * Write the state if it changed (no-op in memory); resolves when every change made before the call is on disk.
   * Group commit: while a write is under way, callers with changes share the next write, started when it is done.
   */
  async flush(): Promise<void> {
    if (!this.file) {
      this.dirty = false;
      return;
    }
    if (this.next) return this.next;
    // nothing left to take: a write under way may carry this caller's changes (taken by another caller's flush)
    if (!(this.dirty || this.needSnapshot || this.tracker!.changed)) return this.acking;
    if (!this.writing) return this.commit();
    const next = this.writing.then(() => {
      this.next = undefined;
      return this.commit();
    });
    this.next = next;
    return next;
  }

  /** Start one write of everything changed so far; resolves when it is on disk. */
  private commit(): Promise<void> {
    this.dirty = false;
    this.beforeWrite?.();
    const w = this.startWrite();
    const acked = w.acked.finally(() => {
      if (this.acking === acked) this.acking = undefined;
    });
    this.acking = acked;
    const writing = w.done.finally(() => {
      if (this.writing === writing) this.writing = undefined;
    });
    this.writing = writing;
    return acked;
  }

  private startWrite(): Write {
    const paths = this.tracker!.take();
    if (this.needSnapshot) {
      this.needSnapshot = false;
      const acked = this.snapshot();
      return { acked, done: acked.catch(() => undefined) };
    }
    const line = batchLine(this.db.data, paths);
    const buf = Buffer.from(line);
    this.journalBytes += buf.length;
    let acked = this.append(buf);
    // checked after the append started, like a write that reached the disk (EMULATOR_VERIFY_JOURNAL=1)
    const problem = this.verify ? this.verifyBatch(line) : undefined;
    if (problem) {
      acked = acked.then(() => {
        throw problem;
      });
    }
    const done = acked.then(
      () => (this.journalBytes > Math.max(this.compactMinBytes, this.snapshotBytes) ? this.snapshot() : undefined),
      () => undefined,
    );
    // a failed append may have left a partial line: the next write starts over from a snapshot
    return {
      acked: acked.catch((err: unknown) => {
        this.needSnapshot = true;
        throw err;
      }),
      done: done.catch((err: unknown) => {
        console.error('[emulator] journal compaction failed:', err);
        this.needSnapshot = true;
      }),
    };
  }

  /** One journal line at the end of the journal, through the descriptor kept open for it (one write, no open/close). */
  private async append(buf: Buffer): Promise<void> {
    if (this.fd === undefined) {
      this.fd = await openAppend(this.journalFile!);
      journalCloser.register(this, this.fd, this);
    }
    await appendAll(this.fd, buf);
  }

  /** Close the journal descriptor (the journal file was replaced; the next append opens the new one). */
  private closeJournal(): void {
    if (this.fd === undefined) return;
    journalCloser.unregister(this);
    close(this.fd, () => undefined);
    this.fd = undefined;
  }

  /** The whole document as a new snapshot starting a new journal generation (temp file + rename, both). */
  private async snapshot(): Promise<void> {
    const generation = randomUUID();
    const doc = this.db.data;
    if (this.verify) this.shadow = JSON.parse(JSON.stringify(doc)) as StateDoc;
    // stringified now, synchronously: later changes are journaled in the new generation
    await new JSONFile<StateDoc>(this.file!).write({ ...doc, [GENERATION_KEY]: generation });
    // a kill here leaves the old journal, whose generation no longer matches the snapshot: it is ignored on load
    const tmp = `${this.journalFile!}.tmp`;
    const header = headerLine(generation);
    await writeFile(tmp, header);
    await rename(tmp, this.journalFile!);
    // appends go to the new journal from now on (writes are serialized: none is under way on the old descriptor)
    this.closeJournal();
    this.generation = generation;
    this.snapshotBytes = statSync(this.file!).size;
    this.journalBytes = Buffer.byteLength(header);
  }

  /** EMULATOR_VERIFY_JOURNAL=1: the files' document (shadow + this line) must equal memory, or the flush fails. */
  private verifyBatch(line: string): Error | undefined {
    if (!this.shadow) return undefined;
    for (const e of JSON.parse(line) as Entry[]) apply(this.shadow, e);
    // both as JSON reads them back (a property on an array, like a stray `list[-1]`, is in neither)
    this.shadow = JSON.parse(JSON.stringify(this.shadow)) as StateDoc;
    const mem = JSON.parse(JSON.stringify(this.db.data)) as StateDoc;
    if (!isDeepStrictEqual(this.shadow, mem)) {
      const where = firstDifference(this.shadow, mem);
      this.shadow = mem;
      return new Error(`journal verification: the files differ from memory at ${where} (a mutation escaped tracking)`);
    }
    return undefined;
  }

  /** The journal generation the files are on (tests). */
  get journalGeneration(): string | undefined {
    return this.generation;
  }
}

function firstDifference(a: unknown, b: unknown, path = '$'): string {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return path;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const x = (a as Record<string, unknown>)[k];
    const y = (b as Record<string, unknown>)[k];
    if (!isDeepStrictEqual(x, y)) return firstDifference(x, y, `${path}.${k}`);
  }
  return path;
}
