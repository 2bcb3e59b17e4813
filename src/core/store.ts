// Per-environment state on lowdb (DESIGN.md "Persistence is optional and safe"): memory by default;
// with a data dir each environment has its own JSON file, written by lowdb's steno writer
// (temp file + rename), so a killed process never leaves a torn file.
import { Low, Memory } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { mkdirSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type StateDoc = Record<string, unknown>;

export class EnvStore {
  private readonly db: Low<StateDoc>;
  readonly file: string | undefined;
  private dirty = false;
  /** Called right before each write (the environment records the emulator time there). */
  beforeWrite: (() => void) | undefined;
  private writing: Promise<void> | undefined;
  /** Set only while someone watches the emulator (core/changes.ts): called on every touch and replace. */
  onChange: (() => void) | undefined;

  constructor(envName: string, dataDir?: string) {
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      this.file = join(dataDir, `${envName}.json`);
      this.db = new Low<StateDoc>(new JSONFile<StateDoc>(this.file), {});
    } else {
      this.db = new Low<StateDoc>(new Memory<StateDoc>(), {});
    }
  }

  get persistent(): boolean {
    return this.file !== undefined;
  }

  /** The saved state document, if a data dir holds one (read synchronously so start-up stays simple). */
  loadSaved(): StateDoc | undefined {
    if (!this.file || !existsSync(this.file)) return undefined;
    return JSON.parse(readFileSync(this.file, 'utf8')) as StateDoc;
  }

  get data(): StateDoc {
    return this.db.data;
  }

  replace(data: StateDoc): void {
    this.db.data = data;
    this.dirty = true;
    this.onChange?.();
  }

  /** Note that state changed; flush() writes it. */
  touch(): void {
    this.dirty = true;
    this.onChange?.();
  }

  /** Write the state if it changed (no-op in memory). Concurrent calls share one write. */
  async flush(): Promise<void> {
    if (!this.file) {
      this.dirty = false;
      return;
    }
    while (this.dirty) {
      if (this.writing) {
        await this.writing;
        continue;
      }
      this.dirty = false;
      this.beforeWrite?.();
      this.writing = this.db.write().finally(() => {
        this.writing = undefined;
      });
      await this.writing;
    }
    if (this.writing) await this.writing;
  }
}
