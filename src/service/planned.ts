import { randomBytes } from 'node:crypto';
import { errorFields, type Logger } from '../log.js';
import type { Approval, Attribution, Schedule, ScheduledAction, Timing } from '../pending-records.js';
import type { Actor, ChangeRequest, TrackedChange } from '../records.js';
import type { StateStore } from '../store/store.js';
import type { VpsClient } from '../vps/client.js';
import { VpsError } from '../vps/errors.js';
import type { Server } from '../vps/schemas.js';
import type { ApprovalEvents, Approvals } from './approvals.js';
import type { AuditTrail } from './audit.js';
import type { Confirmations } from './confirmations.js';
import type { Lookup } from './lookup.js';
import { changesSince, needsConfirmation, obstacle, paramsOf } from './rules.js';
import type { ScheduleHandlers } from './scheduler.js';
import type { RequestOutcome } from './service.js';
import type { TimeZones } from './time-zones.js';
import { resolveWhen, timeInWords, timingParams, type When } from './when.js';

/** Why a schedule did nothing at its time. */
export type SkipReason =
  | { kind: 'gone' }
  | { kind: 'nothing_to_do'; server: Server; reason: string }
  | { kind: 'busy'; server: Server; change: TrackedChange }
  | { kind: 'failed'; error: unknown };

/** The presenter's part in schedules: say in the channel what happened, when no card says it. */
export interface ScheduleEvents {
  skipped(schedule: Schedule, why: SkipReason): Promise<void>;
  missed(schedule: Schedule, lateMs: number): Promise<void>;
  interrupted(schedule: Schedule): Promise<void>;
  cancelled(schedule: Schedule, by: string): Promise<void>;
}

/** What carrying out an approved change came to. */
export type ApprovedResult =
  | RequestOutcome
  | { kind: 'gone' }
  | { kind: 'changed'; server: Server; changes: string[] }
  | { kind: 'too_late' };

export type DecisionOutcome =
  | { kind: 'unknown' }
  | { kind: 'forbidden' | 'own' | 'decided' | 'expired' | 'rejected'; approval: Approval }
  | { kind: 'approved'; approval: Approval; result: ApprovedResult };

export type CancelScheduleOutcome =
  | { kind: 'unknown' }
  | { kind: 'cancelled' | 'taken' | 'forbidden'; schedule: Schedule };

/** What the planned changes need of the service around them. */
export interface Gate {
  authorize(
    actor: Actor,
    action: ChangeRequest['action'],
    ref: string,
    params: Record<string, unknown>,
  ): Promise<boolean>;
  mayChange(userId: string): Promise<boolean>;
  lookup(ref: string): Promise<Lookup>;
  /** Busy or nothing to do, audited; undefined when the change can go ahead. */
  blocked(actor: Actor, request: ChangeRequest, server: Server): Promise<RequestOutcome | undefined>;
  /** The change under way on a server, on any replica. */
  changeUnderWay(serverId: number): Promise<TrackedChange | undefined>;
  /** Claims the server and sends the change: `done`, or `busy` (audited) when another change has it. */
  execute(
    actor: Actor,
    request: ChangeRequest,
    server: Server | undefined,
    attribution: Attribution,
  ): Promise<RequestOutcome>;
}

export interface PlannedDeps {
  vps: Pick<VpsClient, 'get'>;
  audit: AuditTrail;
  confirmations: Confirmations;
  approvals: Approvals;
  approvalEvents: ApprovalEvents;
  scheduleEvents: ScheduleEvents;
  zones: TimeZones;
  store: StateStore;
  gate: Gate;
  logger: Logger;
  now: () => number;
}

/**
 * Changes that do not simply happen now: those a second operator approves first, and those that
 * happen at a set time. Free of Slack like the service it serves.
 */
export class PlannedChanges implements ScheduleHandlers {
  readonly #d: PlannedDeps;

  constructor(deps: PlannedDeps) {
    this.#d = deps;
  }

  /** `/vps stop <server> at 18:00`, `in 30m`, `for 2h`: the same confirmation (and approval) as now. */
  async requestScheduled(
    actor: Actor,
    action: ScheduledAction,
    ref: string,
    when: When,
  ): Promise<RequestOutcome> {
    const { gate, zones, confirmations, audit, now } = this.#d;
    if (!(await gate.authorize(actor, action, ref, {}))) return { kind: 'forbidden' };
    const resolved = resolveWhen(when, await zones.zoneOf(actor.userId), now());
    if (!resolved.ok) return { kind: 'bad_time', problem: resolved.problem };
    const { timing } = resolved;
    const found = await gate.lookup(ref);
    if (found.kind !== 'found') return found;
    const { server } = found;
    const request: ChangeRequest = { action, serverId: server.id };
    // `for` stops now: it is checked now. A change at a later time is checked at that time.
    if (timing.kind === 'for') {
      const blocked = await gate.blocked(actor, request, server);
      if (blocked) return blocked;
    }
    if (needsConfirmation(request)) {
      const confirmation = await confirmations.issue(actor, request, server, timing);
      await audit.record(actor, action, subjectOf(server), timingParams(timing), 'confirmation_requested');
      return { kind: 'confirm', confirmation, server };
    }
    return this.proceed(actor, request, server, timing);
  }

  /** The requester has said yes (or needed not): ask for approval where the policy says so, else do it. */
  async proceed(
    actor: Actor,
    request: ChangeRequest,
    server: Server | undefined,
    timing?: Timing,
  ): Promise<RequestOutcome> {
    const { approvals, approvalEvents, audit, logger, now } = this.#d;
    // A confirmation lasts 10 minutes: `in 1m` confirmed 5 minutes later names a time already past.
    if (timing?.kind === 'at' && timing.at <= now()) {
      const params = { ...paramsOf(request), ...timingParams(timing) };
      await audit.record(actor, request.action, subjectOf(server), params, 'confirmed_too_late');
      return {
        kind: 'bad_time',
        problem: `The time it was asked for (${timeInWords(timing.at, timing.zone)}) is already past. Ask again with a later time.`,
      };
    }
    if (!approvals.needed(request, timing)) return this.#carryOut(actor, request, server, timing, {});
    const approval = await approvals.ask(actor, request, server, timing);
    const params = { ...paramsOf(request), ...timingParams(timing) };
    await audit.record(actor, request.action, subjectOf(server), params, 'approval_requested');
    let posted = false;
    try {
      const message = await approvalEvents.requested(approval);
      if (message) {
        posted = true;
        await approvals.noteMessage(approval.id, message);
        approval.message = message;
      }
    } catch (error) {
      logger.error({ ...errorFields(error), approval: approval.id }, 'could not post an approval request');
    }
    return { kind: 'approval', approval, posted };
  }

  /** Another operator approves or rejects; an approved change is carried out once, if still wanted. */
  async decide(actor: Actor, id: string, verdict: 'approved' | 'rejected'): Promise<DecisionOutcome> {
    const { approvals, audit, gate } = this.#d;
    const pending = await approvals.get(id);
    if (!pending) return { kind: 'unknown' };
    const subject = pending.server;
    const params = { ...paramsOf(pending.request), ...timingParams(pending.timing) };
    if (!(await gate.mayChange(actor.userId))) {
      await audit.record(actor, pending.request.action, subject, params, 'forbidden');
      return { kind: 'forbidden', approval: pending };
    }
    const decided = await approvals.decide(id, actor.userId, verdict);
    if (decided.kind === 'unknown') return decided;
    if (decided.kind !== 'ok') {
      const outcome = { own: 'own_request', decided: 'already_decided', expired: 'expired' }[decided.kind];
      await audit.record(actor, pending.request.action, subject, params, outcome);
      return { kind: decided.kind, approval: decided.approval };
    }
    const { approval } = decided;
    if (verdict === 'rejected') {
      await audit.record(actor, approval.request.action, subject, params, 'rejected');
      return { kind: 'rejected', approval };
    }
    return { kind: 'approved', approval, result: await this.#approved(approval, actor.userId) };
  }

  /** The same re-read as a confirmation: gone or changed since it was asked means nothing is sent. */
  async #approved(approval: Approval, approvedBy: string): Promise<ApprovedResult> {
    const { vps, audit, gate, now } = this.#d;
    const { request, requester, timing } = approval;
    const params = { ...paramsOf(request), ...timingParams(timing) };
    const attribution = { approvedBy };
    let server: Server | undefined;
    if (approval.server) {
      try {
        server = await vps.get(approval.server.id);
      } catch (error) {
        if (!(error instanceof VpsError && error.kind === 'not_found')) throw error;
        await audit.record(requester, request.action, approval.server, params, 'gone', attribution);
        return { kind: 'gone' };
      }
      const changes = changesSince(approval.server, server);
      if (changes.length > 0) {
        await audit.record(
          requester,
          request.action,
          approval.server,
          params,
          'changed_meanwhile',
          attribution,
        );
        return { kind: 'changed', server, changes };
      }
      if (timing?.kind !== 'at') {
        const blocked = await gate.blocked(requester, request, server);
        if (blocked) return blocked;
      }
    }
    if (timing?.kind === 'at' && timing.at <= now()) {
      await audit.record(requester, request.action, approval.server, params, 'too_late', attribution);
      return { kind: 'too_late' };
    }
    return this.#carryOut(requester, request, server, timing, attribution);
  }

  async #carryOut(
    actor: Actor,
    request: ChangeRequest,
    server: Server | undefined,
    timing: Timing | undefined,
    attribution: Attribution,
  ): Promise<RequestOutcome> {
    const { gate } = this.#d;
    if (!timing) return gate.execute(actor, request, server, attribution);
    const action = request.action;
    if (!server || (action !== 'start' && action !== 'stop' && action !== 'reboot')) {
      throw new Error(`only a power change to a server can be scheduled, not ${action}`);
    }
    if (timing.kind === 'at') {
      return {
        kind: 'scheduled',
        schedule: await this.#schedule(actor, action, server, timing.at, timing.zone, attribution),
      };
    }
    const now = await gate.execute(actor, request, server, attribution);
    if (now.kind !== 'done') return now;
    const change = now.change;
    const schedule = await this.#schedule(
      actor,
      'start',
      server,
      change.at + timing.durationMs,
      timing.zone,
      {
        ...attribution,
        restart: true,
      },
    );
    return { kind: 'scheduled', schedule, change };
  }

  async #schedule(
    actor: Actor,
    action: ScheduledAction,
    server: Server,
    at: number,
    zone: string,
    extra: Attribution & { restart?: boolean },
  ): Promise<Schedule> {
    const { store, audit, now } = this.#d;
    const { replyUrl: _stale, ...by } = actor;
    const schedule: Schedule = {
      id: randomBytes(9).toString('base64url'),
      action,
      serverId: server.id,
      serverName: server.name,
      at,
      zone,
      // A response URL lasts 30 minutes: the schedule reports through the channel.
      by,
      ...(extra.approvedBy ? { approvedBy: extra.approvedBy } : {}),
      ...(extra.restart ? { restart: true } : {}),
      createdAt: now(),
      state: 'pending',
    };
    await store.saveSchedule(schedule);
    await audit.record(actor, action, subjectOf(server), { at: new Date(at).toISOString() }, 'scheduled', {
      approvedBy: extra.approvedBy,
    });
    return schedule;
  }

  pendingSchedules(): Promise<Schedule[]> {
    return this.#d.store.schedulesIn(['pending']);
  }

  openApprovals(): Promise<Approval[]> {
    return this.#d.approvals.open();
  }

  approval(id: string): Promise<Approval | undefined> {
    return this.#d.approvals.get(id);
  }

  /** The one who scheduled it, or any operator, may cancel a pending schedule. */
  async cancelSchedule(actor: Actor, id: string): Promise<CancelScheduleOutcome> {
    const { store, audit, gate, now, scheduleEvents, logger } = this.#d;
    const schedule = await store.getSchedule(id);
    if (!schedule) return { kind: 'unknown' };
    if (schedule.state !== 'pending') return { kind: 'taken', schedule };
    const subject = { id: schedule.serverId, name: schedule.serverName };
    const params = { at: new Date(schedule.at).toISOString() };
    if (actor.userId !== schedule.by.userId && !(await gate.mayChange(actor.userId))) {
      await audit.record(actor, schedule.action, subject, params, 'forbidden');
      return { kind: 'forbidden', schedule };
    }
    const claim = await store.claimSchedule(id, 'cancelled', now(), actor.userId);
    if (claim.kind !== 'ok')
      return claim.kind === 'unknown' ? claim : { kind: 'taken', schedule: claim.schedule };
    await audit.record(actor, schedule.action, subject, params, 'schedule_cancelled');
    await scheduleEvents
      .cancelled(claim.schedule, actor.userId)
      .catch((error: unknown) =>
        logger.warn(errorFields(error), 'could not tell the channel of a cancelled schedule'),
      );
    return { kind: 'cancelled', schedule: claim.schedule };
  }

  // The scheduler's handlers: the time of a claimed schedule came, or passed, or it was interrupted.

  async run(schedule: Schedule): Promise<string> {
    const { vps, audit, gate, scheduleEvents } = this.#d;
    const actor: Actor = schedule.by;
    const request: ChangeRequest = { action: schedule.action, serverId: schedule.serverId };
    const subject = { id: schedule.serverId, name: schedule.serverName };
    const attribution: Attribution = { scheduledFor: schedule.at, approvedBy: schedule.approvedBy };
    const skip = async (why: SkipReason, outcome: string) => {
      await audit.record(actor, schedule.action, subject, {}, outcome, attribution);
      await scheduleEvents.skipped(schedule, why);
      return outcome;
    };
    let server: Server;
    try {
      server = await vps.get(schedule.serverId);
    } catch (error) {
      if (error instanceof VpsError && error.kind === 'not_found') return skip({ kind: 'gone' }, 'gone');
      return skip({ kind: 'failed', error }, error instanceof VpsError ? error.kind : 'error');
    }
    const underWay = await gate.changeUnderWay(server.id);
    if (underWay) return skip({ kind: 'busy', server, change: underWay }, 'busy');
    const reason = obstacle(request, server);
    if (reason) return skip({ kind: 'nothing_to_do', server, reason }, 'nothing_to_do');
    try {
      const outcome = await gate.execute(actor, request, server, attribution);
      if (outcome.kind === 'done') return 'ok';
      // Another change claimed the server since the look above; the claim audited it.
      if (outcome.kind === 'busy') await scheduleEvents.skipped(schedule, outcome);
      return outcome.kind;
    } catch (error) {
      // The executor audited the failure; the channel still hears of it.
      await scheduleEvents.skipped(schedule, { kind: 'failed', error });
      return error instanceof VpsError ? (error.outcomeUnknown ? 'outcome_unknown' : error.kind) : 'error';
    }
  }

  async missed(schedule: Schedule, lateMs: number): Promise<void> {
    const attribution = { scheduledFor: schedule.at, approvedBy: schedule.approvedBy };
    const subject = { id: schedule.serverId, name: schedule.serverName };
    await this.#d.audit.record(
      schedule.by,
      schedule.action,
      subject,
      { late_ms: lateMs },
      'missed',
      attribution,
    );
    await this.#d.scheduleEvents.missed(schedule, lateMs);
  }

  async interrupted(schedule: Schedule): Promise<void> {
    const attribution = { scheduledFor: schedule.at, approvedBy: schedule.approvedBy };
    const subject = { id: schedule.serverId, name: schedule.serverName };
    await this.#d.audit.record(schedule.by, schedule.action, subject, {}, 'interrupted', attribution);
    await this.#d.scheduleEvents.interrupted(schedule);
  }
}

function subjectOf(server: Pick<Server, 'id' | 'name'> | undefined) {
  return server && { id: server.id, name: server.name };
}
