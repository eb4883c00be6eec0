import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { errorFields, type Logger } from '../log.js';

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * One JSON file written atomically: a temporary file is written and flushed, then renamed over the
 * old one, so a crash at any moment leaves either the old file or the new one, never a torn one.
 * Writes are serialised and coalesced: a burst of changes costs one or two writes.
 */
export class JsonFile<T> {
  readonly #path: string;
  readonly #schema: z.ZodType<T>;
  readonly #logger: Logger;
  #writing: Promise<void> | undefined;
  #next: Deferred | undefined;
  #current: () => T = () => {
    throw new Error('JsonFile: nothing to write yet');
  };

  constructor(path: string, schema: z.ZodType<T>, logger: Logger) {
    this.#path = path;
    this.#schema = schema;
    this.#logger = logger;
  }

  /**
   * The file's value; `fallback` when there is none. A file that cannot be read or parsed is moved
   * aside for inspection and the bot starts fresh.
   */
  async load(fallback: () => T, now: number): Promise<T> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback();
      return this.#setAside(
        `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        fallback,
        now,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.#setAside('it is not valid JSON', fallback, now);
    }
    const parsed = this.#schema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join('.') || 'top level';
      return this.#setAside(`it does not have the expected shape (at ${where})`, fallback, now);
    }
    return parsed.data;
  }

  /** Tells the file where its current value comes from; called before the first `save`. */
  track(current: () => T): void {
    this.#current = current;
  }

  /** Resolves once a write that includes every change made before this call is on disk. */
  save(): Promise<void> {
    const waiting = this.#next ?? this.#deferred();
    if (!this.#writing) this.#kick();
    return waiting.promise;
  }

  #deferred(): Deferred {
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#next = { promise, resolve, reject };
    return this.#next;
  }

  /** Waits for writes under way. */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing.catch(() => undefined);
  }

  #kick(): void {
    const waiting = this.#next;
    if (!waiting) return;
    this.#next = undefined;
    let text: string;
    try {
      text = `${JSON.stringify(this.#current())}\n`;
    } catch (error) {
      // Nothing is written, and everyone waiting for this write hears why instead of waiting forever.
      waiting.reject(error);
      return;
    }
    this.#writing = this.#write(text)
      .then(waiting.resolve, waiting.reject)
      .finally(() => {
        this.#writing = undefined;
        this.#kick();
      });
  }

  async #write(text: string): Promise<void> {
    const temporary = `${this.#path}.${process.pid}.tmp`;
    const file = await open(temporary, 'w');
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.#path);
    // The rename itself is durable only once the directory is flushed.
    const directory = await open(dirname(this.#path), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }

  async #setAside(reason: string, fallback: () => T, now: number): Promise<T> {
    const aside = `${this.#path}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
    try {
      await rename(this.#path, aside);
      this.#logger.error(
        { file: this.#path, kept_as: aside },
        `state file set aside: ${reason}; starting fresh`,
      );
    } catch (error) {
      this.#logger.error(
        { file: this.#path, ...errorFields(error) },
        `state file unusable (${reason}) and could not be moved aside; starting fresh`,
      );
    }
    return fallback();
  }
}
