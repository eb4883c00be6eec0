import { errorFields, type Logger } from '../log.js';
import type { Actor, AuditAction, AuditEntry, AuditOutcome } from '../records.js';
import type { StateStore } from '../store/store.js';

export interface AuditSubject {
  id: number | undefined;
  name: string | undefined;
}

/** Every change attempt, allowed or refused: one JSON log line and one entry in the trail. */
export class AuditTrail {
  readonly #store: StateStore;
  readonly #logger: Logger;
  readonly #now: () => number;

  constructor(store: StateStore, logger: Logger, now: () => number = Date.now) {
    this.#store = store;
    this.#logger = logger.child({ event: 'audit' });
    this.#now = now;
  }

  async record(
    actor: Actor,
    action: AuditAction,
    server: AuditSubject | undefined,
    params: Record<string, unknown>,
    outcome: AuditOutcome,
  ): Promise<AuditEntry> {
    const entry: AuditEntry = {
      time: new Date(this.#now()).toISOString(),
      user: actor.userId,
      team: actor.teamId,
      channel: actor.channelId,
      action,
      serverId: server?.id,
      serverName: server?.name,
      params,
      outcome,
    };
    this.#logger.info(
      {
        at: entry.time,
        user: entry.user,
        team: entry.team,
        channel: entry.channel,
        action: entry.action,
        server_id: entry.serverId,
        server_name: entry.serverName,
        params: entry.params,
        outcome: entry.outcome,
      },
      'change attempt',
    );
    try {
      await this.#store.appendAudit(entry);
    } catch (error) {
      this.#logger.error(errorFields(error), 'could not store an audit entry');
    }
    return entry;
  }

  history(server: { id: number; name?: string | undefined }, limit = 20): Promise<AuditEntry[]> {
    return this.#store.auditTrail(server, limit);
  }
}
