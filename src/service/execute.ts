import { errorFields, type Logger } from '../log.js';
import type { Attribution } from '../pending-records.js';
import type { Actor, ChangeRequest, TrackedChange } from '../records.js';
import type { VpsClient } from '../vps/client.js';
import { VpsError } from '../vps/errors.js';
import type { PatchServerInput } from '../vps/inputs.js';
import { isTransitional, type Server } from '../vps/schemas.js';
import type { AuditTrail } from './audit.js';
import { paramsOf, serverIdOf } from './rules.js';
import type { Tracker } from './tracker.js';
import type { FleetWatch } from './watch.js';

/** A change that reached VPS.org. */
export interface StartedChange {
  request: ChangeRequest;
  actor: Actor;
  before: Server | undefined;
  /** The server as VPS.org left it; undefined once deleted. */
  after: Server | undefined;
  message: string | undefined;
  at: number;
  /** Whether the channel card went out; if not, the person who asked must be told another way. */
  announced: boolean;
  /** Who approved it, and the time it was scheduled for, when it was not simply asked for now. */
  attribution?: Attribution | undefined;
}

/** The presenter's part in a change: announce it, and say how to update the announcement later. */
export interface ChangeEvents {
  /** Resolves with what the tracker needs to update the card, or undefined when none was posted. */
  started(change: Omit<StartedChange, 'announced'>): Promise<unknown>;
}

export interface ExecutorDeps {
  vps: VpsClient;
  audit: AuditTrail;
  tracker: Pick<Tracker, 'follow'>;
  events: ChangeEvents;
  watch?: Pick<FleetWatch, 'noteOwnChange'> | undefined;
  logger: Logger;
  now: () => number;
}

/**
 * Sends one change to VPS.org and does the bookkeeping around it. Only VPS.org's answer decides
 * whether the change happened: a failure in the bookkeeping after a successful call is logged, never
 * reported as a failed change, and never stops the rest of the bookkeeping.
 */
export class ChangeExecutor {
  readonly #deps: ExecutorDeps;

  constructor(deps: ExecutorDeps) {
    this.#deps = deps;
  }

  /** Sends the change; the caller holds the claim on its server (claims.ts) until this resolves. */
  async execute(
    actor: Actor,
    request: ChangeRequest,
    before: Server | undefined,
    attribution: Attribution = {},
  ): Promise<StartedChange> {
    const startedAt = this.#deps.now();
    const { after, message } = await this.#send(actor, request, before, attribution);
    return this.#afterwards({ request, actor, before, after, message, at: startedAt, attribution });
  }

  /** The call to VPS.org, and the audit entry of its failure. */
  async #send(
    actor: Actor,
    request: ChangeRequest,
    before: Server | undefined,
    attribution: Attribution,
  ): Promise<{ after: Server | undefined; message: string | undefined }> {
    const { vps, audit } = this.#deps;
    try {
      switch (request.action) {
        case 'start':
        case 'stop':
        case 'reboot': {
          const result = await vps.power(request.serverId, request.action);
          return { after: before && { ...before, status: result.server.status }, message: result.message };
        }
        case 'delete':
          await vps.delete(request.serverId);
          return { after: undefined, message: undefined };
        case 'rename':
          return {
            after: await this.#patched(request.serverId, { name: request.name }, before),
            message: undefined,
          };
        case 'hostname':
          return {
            after: await this.#patched(request.serverId, { hostname: request.hostname }, before),
            message: undefined,
          };
        case 'backups':
          return {
            after: await this.#patched(request.serverId, { backups_enabled: request.enabled }, before),
            message: undefined,
          };
        case 'edit':
          return {
            after:
              (await vps.update(request.serverId, request.values)) ??
              (await this.#reread(request.serverId, before)),
            message: undefined,
          };
        case 'create': {
          const created = await vps.create(request.input);
          return { after: created, message: created.message };
        }
      }
    } catch (error) {
      const outcome =
        error instanceof VpsError ? (error.outcomeUnknown ? 'outcome_unknown' : error.kind) : 'error';
      const subject = before && { id: before.id, name: before.name };
      await audit.record(actor, request.action, subject, paramsOf(request), outcome, attribution);
      throw error;
    }
  }

  /** The change happened: keep the watch quiet about it, audit it, announce it, follow it. */
  async #afterwards(change: Omit<StartedChange, 'announced'>): Promise<StartedChange> {
    const { audit, events, tracker, watch } = this.#deps;
    const { request, actor, before, after } = change;
    const subject = before
      ? { id: before.id, name: before.name }
      : after && { id: after.id, name: after.name };
    // Noted first: the fleet watch (on whichever replica holds the lease) may be looking right now.
    const changedId = serverIdOf(request) ?? after?.id;
    if (changedId !== undefined && watch) {
      await this.#bookkeeping('note own change', () => watch.noteOwnChange(changedId, after));
    }
    await this.#bookkeeping('audit', () =>
      audit.record(actor, request.action, subject, paramsOf(request), 'ok', change.attribution),
    );
    const card = await this.#bookkeeping('announce', () => events.started(change));
    if (after && isTransitional(after.status)) {
      const followed: TrackedChange = {
        serverId: after.id,
        serverName: after.name,
        action: request.action,
        actor,
        startedAt: change.at,
        status: after.status,
        card,
      };
      await this.#bookkeeping('follow', () => tracker.follow(followed));
    }
    return { ...change, announced: card !== undefined };
  }

  async #bookkeeping<T>(what: string, task: () => Promise<T>): Promise<T | undefined> {
    try {
      return await task();
    } catch (error) {
      this.#deps.logger.error({ ...errorFields(error), step: what }, 'bookkeeping after a change failed');
      return undefined;
    }
  }

  async #patched(
    id: number,
    patch: PatchServerInput,
    before: Server | undefined,
  ): Promise<Server | undefined> {
    const answer = await this.#deps.vps.patch(id, patch);
    return answer ?? (await this.#reread(id, before, patch));
  }

  /** VPS.org's PUT and PATCH answers are undocumented: read the server again, or assume the change. */
  async #reread(
    id: number,
    before: Server | undefined,
    patch: PatchServerInput = {},
  ): Promise<Server | undefined> {
    try {
      return await this.#deps.vps.get(id);
    } catch (error) {
      this.#deps.logger.warn(
        { ...errorFields(error), server_id: id },
        'could not read a server after changing it',
      );
      return before && { ...before, ...patch };
    }
  }
}
