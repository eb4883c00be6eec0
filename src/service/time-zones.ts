import { errorFields, type Logger } from '../log.js';

/** A person's time zone: the only thing schedules need from the chat platform (Slack: users.info). */
export interface ZoneDirectory {
  zoneOf(userId: string): Promise<string | undefined>;
}

export interface TimeZoneOptions {
  directory: ZoneDirectory;
  logger: Logger;
  now?: () => number;
  /** How long a person's zone is trusted before it is looked up again. */
  ttlMs?: number;
}

/** People's time zones, looked up once an hour at most; a failed lookup is not cached. */
export class TimeZones {
  readonly #directory: ZoneDirectory;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #ttlMs: number;
  readonly #cache = new Map<string, { at: number; zone: string | undefined }>();

  constructor(options: TimeZoneOptions) {
    this.#directory = options.directory;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#ttlMs = options.ttlMs ?? 60 * 60_000;
  }

  /** The person's zone (an IANA name as the platform gives it), or undefined when it cannot be read. */
  async zoneOf(userId: string): Promise<string | undefined> {
    const cached = this.#cache.get(userId);
    if (cached && this.#now() - cached.at < this.#ttlMs) return cached.zone;
    try {
      const zone = await this.#directory.zoneOf(userId);
      this.#cache.set(userId, { at: this.#now(), zone });
      return zone;
    } catch (error) {
      this.#logger.warn({ user: userId, ...errorFields(error) }, 'could not look up a time zone');
      return undefined;
    }
  }
}
