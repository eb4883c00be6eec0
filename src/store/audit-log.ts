import { createReadStream } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Logger } from '../log.js';
import type { AuditEntry } from '../records.js';
import { auditEntrySchema } from './schemas.js';

/**
 * The audit trail as an append-only JSON-lines file. Each entry is one write of one line; a line
 * that cannot be read back (a power cut mid-write) is skipped with a log line, never fatal.
 */
export class AuditLog {
  readonly #path: string;
  readonly #logger: Logger;
  #file: FileHandle | undefined;
  #appending: Promise<void> = Promise.resolve();

  constructor(path: string, logger: Logger) {
    this.#path = path;
    this.#logger = logger;
  }

  /** Reads every entry back, oldest first, and opens the file for appending. */
  async open(onEntry: (entry: AuditEntry) => void): Promise<void> {
    let skipped = 0;
    let endsWithNewline = true;
    try {
      const { size } = await stat(this.#path);
      if (size > 0) {
        const lines = createInterface({
          input: createReadStream(this.#path, 'utf8'),
          crlfDelay: Number.POSITIVE_INFINITY,
        });
        for await (const line of lines) {
          if (line.trim() === '') continue;
          try {
            const parsed = auditEntrySchema.safeParse(JSON.parse(line));
            if (parsed.success) onEntry(parsed.data);
            else skipped++;
          } catch {
            skipped++;
          }
        }
        const tail = await open(this.#path, 'r');
        try {
          const last = Buffer.alloc(1);
          await tail.read(last, 0, 1, size - 1);
          endsWithNewline = last.toString() === '\n';
        } finally {
          await tail.close();
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (skipped > 0) this.#logger.warn({ file: this.#path, skipped }, 'skipped unreadable audit lines');
    this.#file = await open(this.#path, 'a');
    // A torn last line must not swallow the next entry.
    if (!endsWithNewline) await this.#file.write('\n');
  }

  append(entry: AuditEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    this.#appending = this.#appending.then(async () => {
      if (!this.#file) throw new Error('AuditLog: not open');
      await this.#file.write(line);
    });
    return this.#appending;
  }

  async close(): Promise<void> {
    await this.#appending.catch(() => undefined);
    await this.#file?.close();
    this.#file = undefined;
  }
}
