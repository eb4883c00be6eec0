import { errorFields, type Logger } from '../log.js';

/** Who belongs to a user group: the only thing access needs from the chat platform. */
export interface GroupDirectory {
  members(groupId: string): Promise<readonly string[]>;
}

export interface AccessOptions {
  /** User IDs (U…, W…) and user-group IDs (S…); undefined lets everyone change servers. */
  operators: readonly string[] | undefined;
  groups: GroupDirectory;
  logger: Logger;
  now?: () => number;
  /** How long a group's members are trusted before they are looked up again. */
  groupTtlMs?: number;
}

/** Decides who may change servers. Anyone may look. */
export class AccessPolicy {
  readonly #users: ReadonlySet<string>;
  readonly #groups: readonly string[];
  readonly #directory: GroupDirectory;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #ttlMs: number;
  readonly #cache = new Map<string, { at: number; members: Promise<ReadonlySet<string>> }>();
  readonly open: boolean;

  constructor(options: AccessOptions) {
    this.open = options.operators === undefined;
    const ids = options.operators ?? [];
    this.#users = new Set(ids.filter((id) => !id.startsWith('S')));
    this.#groups = ids.filter((id) => id.startsWith('S'));
    this.#directory = options.groups;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#ttlMs = options.groupTtlMs ?? 5 * 60_000;
  }

  async mayChange(userId: string): Promise<boolean> {
    if (this.open || this.#users.has(userId)) return true;
    for (const group of this.#groups) {
      if ((await this.#members(group)).has(userId)) return true;
    }
    return false;
  }

  #members(groupId: string): Promise<ReadonlySet<string>> {
    const cached = this.#cache.get(groupId);
    if (cached && this.#now() - cached.at < this.#ttlMs) return cached.members;
    const members = this.#directory
      .members(groupId)
      // A malformed answer fails like an unreachable directory: never a rejection cached for the TTL.
      .then((ids) => new Set(ids))
      .catch((error: unknown) => {
        // Not cached: the next check asks again instead of locking operators out for the whole TTL.
        this.#cache.delete(groupId);
        this.#logger.warn({ group: groupId, ...errorFields(error) }, 'could not look up user-group members');
        return new Set<string>();
      });
    this.#cache.set(groupId, { at: this.#now(), members });
    return members;
  }
}
