// Per-environment state on lowdb (DESIGN.md "Persistence is optional and safe"; docs/persistence.md): memory by
// default. With a data dir each environment has a snapshot `<env>.json` (written by lowdb's steno writer: temp file +
// rename, so a killed process never leaves a torn file) and a journal `<env>.journal` that each flush appends the
// changed paths to (core/tracking.ts records them), so a write costs the size of the change, not of the state.
// Group commit: every flush of one turn of the event loop shares one append, made at the end of the turn (and after a
// snapshot under way).
import { Low, Memory } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { close, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
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

/**
 * Write all of `buf` at the end of the file (O_APPEND), looping over short writes. Synchronous: one `write(2)` into the
 * page cache costs a few µs on the main thread, much less than handing it to the thread pool and back (issue #17).
 */
function appendAllSync(fd: number, buf: Buffer): void {
  for (let at = 0; at < buf.length; ) at += writeSync(fd, buf, at, buf.length - at);
}

export class EnvStore {
  private readonly db: Low<StateDoc>;
  readonly file: string | undefined;
  readonly journalFile: string | undefined;
  private dirty = false;
  /** Called right before each write (the environment records the emulator time there). */
  beforeWrite: (() => void) | undefined;
  /**
   * The snapshot under way (a full write, or a compaction after an append): settles when it is done, never rejects.
   * Journal appends are synchronous, so nothing else is ever "under way".
   */
  private writing: Promise<void> | undefined;
  /** The full snapshot under way: settles when the changes it took are on disk (rejects if they could not be written). */
  private acking: Promise<void> | undefined;
  /**
   * The next write (group commit): scheduled for the end of the current turn of the event loop (and after a snapshot
   * under way), it takes every change made until it starts; every flush until then shares it.
   */
  private next: Promise<void> | undefined;
  /** The journal, open for appending (opened on the first append of a generation, closed when it is replaced). */
  private fd: number | undefined;
  /** Set only while someone watches the emulator (core/changes.ts): called on every touch and replace. */
  onChange: (() => void) | undefined;
  /**
   * Counts every touch and replace (every write of the state notes itself through them: env.changed(), jobs, reset,
   * seed, restore): what was read from the state while it holds the same value still holds (core/viewCache.ts).
   */
  version = 0;
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
    this.version++;
    this.dirty = true;
    if (this.file) {
      this.tracker = new Tracker(data);
      this.needSnapshot = true;
    }
    this.onChange?.();
  }

  /** Note that state changed; flush() writes it. */
  touch(): void {
    this.version++;
    this.dirty = true;
    this.onChange?.();
  }

  /**
   * Write the state if it changed (no-op in memory); resolves when every change made before the call is on disk.
   * Group commit: the callers of one turn of the event loop (every request whose handler finished in it) share one
   * write, made at the end of the turn — or, while a snapshot is under way, when it is done.
   */
  flush(): Promise<void> {
    if (!this.file) {
      this.dirty = false;
      return Promise.resolve();
    }
    if (this.next) return this.next;
    // nothing left to take: a snapshot under way may carry this caller's changes (taken by another caller's flush)
    if (!(this.dirty || this.needSnapshot || this.tracker!.changed)) return this.acking ?? Promise.resolve();
    const next = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.whenIdle());
    this.next = next;
    return next;
  }

  /** Start the scheduled write once no snapshot is under way; resolves when its changes are on disk. */
  private whenIdle(): Promise<void> {
    if (this.writing) return this.writing.then(() => this.whenIdle());
    // from here on a flush with new changes schedules the write after this one
    this.next = undefined;
    return this.commit();
  }

  /** One write of everything changed so far: an append (synchronous), or a full snapshot; resolves when it is on disk. */
  private commit(): Promise<void> {
    this.dirty = false;
    this.beforeWrite?.();
    const paths = this.tracker!.take();
    if (this.needSnapshot) {
      this.needSnapshot = false;
      return this.startSnapshot();
    }
    const line = batchLine(this.db.data, paths);
    const buf = Buffer.from(line);
    try {
      if (this.fd === undefined) {
        this.fd = openSync(this.journalFile!, 'a');
        journalCloser.register(this, this.fd, this);
      }
      appendAllSync(this.fd, buf);
    } catch (err) {
      // a failed append may have left a partial line: the next write starts over from a snapshot
      this.needSnapshot = true;
      return Promise.reject(err);
    }
    this.journalBytes += buf.length;
    // checked after the append, like a write that reached the disk (EMULATOR_VERIFY_JOURNAL=1)
    const problem = this.verify ? this.verifyBatch(line) : undefined;
    if (problem) return Promise.reject(problem);
    // compaction: after the callers of this append are answered (later writes wait for it)
    if (this.journalBytes > Math.max(this.compactMinBytes, this.snapshotBytes)) {
      this.track(
        new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.snapshot()),
        (err) => console.error('[emulator] journal compaction failed:', err),
      );
    }
    return Promise.resolve();
  }

  /** A full snapshot of the document (after replace(), or after a failed append). */
  private startSnapshot(): Promise<void> {
    const acked = this.snapshot().finally(() => {
      if (this.acking === acked) this.acking = undefined;
    });
    this.acking = acked;
    this.track(acked, () => undefined);
    return acked;
  }

  /** Make later writes wait for a snapshot under way; a failed one makes the next write a full snapshot. */
  private track(snapshot: Promise<void>, onError: (err: unknown) => void): void {
    const writing: Promise<void> = snapshot
      .catch((err: unknown) => {
        onError(err);
        this.needSnapshot = true;
      })
      .finally(() => {
        if (this.writing === writing) this.writing = undefined;
      });
    this.writing = writing;
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
