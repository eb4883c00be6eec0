import { errorFields, type Logger } from '../log.js';
import type { Attribution } from '../pending-records.js';
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

  readonly #onRecorded: (entry: AuditEntry) => void;

  constructor(
    store: StateStore,
    logger: Logger,
    now: () => number = Date.now,
    /** Told of every entry once stored (the App Home shows the last ones). */
    onRecorded: (entry: AuditEntry) => void = () => undefined,
  ) {
    this.#store = store;
    this.#logger = logger.child({ event: 'audit' });
    this.#now = now;
    this.#onRecorded = onRecorded;
  }

  async record(
    actor: Actor,
    action: AuditAction,
    server: AuditSubject | undefined,
    params: Record<string, unknown>,
    outcome: AuditOutcome,
    attribution: Attribution = {},
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
      ...(attribution.approvedBy === undefined ? {} : { approvedBy: attribution.approvedBy }),
      ...(attribution.scheduledFor === undefined
        ? {}
        : { scheduledFor: new Date(attribution.scheduledFor).toISOString() }),
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
        approved_by: entry.approvedBy,
        scheduled_for: entry.scheduledFor,
      },
      'change attempt',
    );
    try {
      await this.#store.appendAudit(entry);
    } catch (error) {
      this.#logger.error(errorFields(error), 'could not store an audit entry');
    }
    this.#onRecorded(entry);
    return entry;
  }

  history(server: { id: number; name?: string | undefined }, limit = 20): Promise<AuditEntry[]> {
    return this.#store.auditTrail(server, limit);
  }

  /** The newest entries about any server, newest first. */
  recent(limit: number): Promise<AuditEntry[]> {
    return this.#store.recentAudit(limit);
  }
}
