import type { Logger } from '../log.js';
import type { Approval, Attribution, Schedule, ScheduledAction } from '../pending-records.js';
import type {
  Actor,
  AuditAction,
  AuditEntry,
  ChangeRequest,
  ChangeSpec,
  Confirmation,
  RedeemOutcome,
  TrackedChange,
} from '../records.js';
import type { StateStore } from '../store/store.js';
import type { ListFilter, VpsClient } from '../vps/client.js';
import { VpsError } from '../vps/errors.js';
import {
  type CreateServerInput,
  checkInput,
  createServerInputSchema,
  hostnameSchema,
  parseId,
  serverNameSchema,
  updateServerInputSchema,
} from '../vps/inputs.js';
import type { Server } from '../vps/schemas.js';
import type { AccessPolicy } from './access.js';
import type { ApprovalEvents, Approvals } from './approvals.js';
import type { AuditTrail } from './audit.js';
import { type Catalogue, catalogueOf } from './catalogue.js';
import type { ChangeClaims } from './claims.js';
import type { Confirmations } from './confirmations.js';
import { type ChangeEvents, ChangeExecutor, type StartedChange } from './execute.js';
import { type Lookup, lookupServer } from './lookup.js';
import {
  type CancelScheduleOutcome,
  type DecisionOutcome,
  PlannedChanges,
  type ScheduleEvents,
} from './planned.js';
import { changesSince, needsConfirmation, obstacle, paramsOf, serverIdOf } from './rules.js';
import type { ScheduleHandlers } from './scheduler.js';
import type { TimeZones } from './time-zones.js';
import type { Tracker } from './tracker.js';
import type { FleetWatch } from './watch.js';
import type { When } from './when.js';

export type RequestOutcome =
  | { kind: 'forbidden' }
  | Exclude<Lookup, { kind: 'found' }>
  | { kind: 'nothing_to_do'; server: Server; reason: string }
  | { kind: 'busy'; server: Server; change: TrackedChange }
  | { kind: 'confirm'; confirmation: Confirmation; server: Server | undefined }
  | { kind: 'done'; change: StartedChange }
  | { kind: 'approval'; approval: Approval; posted: boolean }
  | { kind: 'scheduled'; schedule: Schedule; change?: StartedChange | undefined }
  | { kind: 'bad_time'; problem: string };

export type ConfirmOutcome =
  | RequestOutcome
  | { kind: 'unknown' }
  | { kind: 'used' | 'expired' | 'wrong_user' | 'gone' | 'name_mismatch'; confirmation: Confirmation }
  | { kind: 'changed'; confirmation: Confirmation; server: Server; changes: string[] };

export type HistoryOutcome =
  | { kind: 'found'; serverId: number; name: string; entries: AuditEntry[] }
  | Exclude<Lookup, { kind: 'found' }>;

export type CancelOutcome =
  | { kind: 'cancelled'; confirmation: Confirmation }
  | Exclude<RedeemOutcome, { kind: 'ok' }>;

export interface ServiceDeps {
  vps: VpsClient;
  access: AccessPolicy;
  audit: AuditTrail;
  confirmations: Confirmations;
  /** One change at a time per server, across replicas. */
  claims: ChangeClaims;
  tracker: Pick<Tracker, 'follow'>;
  events: ChangeEvents;
  /** The fleet watch, told of the bot's own changes so it does not announce them a second time. */
  watch?: Pick<FleetWatch, 'noteOwnChange'>;
  /** Two-person approval: which changes need it, and where its requests are posted. */
  approvals: Approvals;
  approvalEvents: ApprovalEvents;
  /** Scheduled changes: where they are kept, what is said when they do nothing, people's zones. */
  store: StateStore;
  scheduleEvents: ScheduleEvents;
  zones: TimeZones;
  logger: Logger;
  now?: () => number;
}

/**
 * The small API the bot is built on, free of Slack: look servers up, decide which changes need a
 * confirmation, redeem confirmations once, make changes, follow them and audit every attempt.
 */
export class ServerService {
  readonly #deps: ServiceDeps;
  readonly #now: () => number;
  readonly #executor: ChangeExecutor;
  readonly #planned: PlannedChanges;

  constructor(deps: ServiceDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#executor = new ChangeExecutor({ ...deps, now: this.#now });
    this.#planned = new PlannedChanges({
      ...deps,
      now: this.#now,
      gate: {
        execute: (actor, request, server, attribution) => this.#execute(actor, request, server, attribution),
        authorize: (actor, action, ref, params) => this.authorize(actor, action, ref, params),
        mayChange: (userId) => this.mayChange(userId),
        lookup: (ref) => this.lookup(ref),
        blocked: (actor, request, server) => this.#blocked(actor, request, server),
        changeUnderWay: (serverId) => this.changeUnderWay(serverId),
      },
    });
  }

  /** What the scheduler does with a schedule whose time came (or passed, or was interrupted). */
  get scheduleHandlers(): ScheduleHandlers {
    return this.#planned;
  }

  /** `/vps stop <server> at 18:00` and the other scheduled forms. */
  async requestScheduled(
    actor: Actor,
    action: ScheduledAction,
    ref: string,
    when: When,
  ): Promise<RequestOutcome> {
    this.#deps.claims.ensureAvailable();
    return this.#planned.requestScheduled(actor, action, ref, when);
  }

  /** Another operator approves or rejects an approval request. */
  async decideApproval(actor: Actor, id: string, verdict: 'approved' | 'rejected'): Promise<DecisionOutcome> {
    this.#deps.claims.ensureAvailable();
    return this.#planned.decide(actor, id, verdict);
  }

  async cancelSchedule(actor: Actor, id: string): Promise<CancelScheduleOutcome> {
    this.#deps.claims.ensureAvailable();
    return this.#planned.cancelSchedule(actor, id);
  }

  /** What is scheduled and not yet done, soonest first. */
  pendingSchedules(): Promise<Schedule[]> {
    return this.#planned.pendingSchedules();
  }

  /** Approval requests waiting for a second operator. */
  openApprovals(): Promise<Approval[]> {
    return this.#planned.openApprovals();
  }

  approval(id: string): Promise<Approval | undefined> {
    return this.#planned.approval(id);
  }

  /** Every change followed through a transition now. */
  inTransition(): Promise<TrackedChange[]> {
    return this.#deps.store.trackedChanges();
  }

  /** The newest audit entries about any server. */
  recentChanges(limit: number): Promise<AuditEntry[]> {
    return this.#deps.audit.recent(limit);
  }

  lookup(ref: string): Promise<Lookup> {
    return lookupServer(this.#deps.vps, ref);
  }

  list(filter: ListFilter = {}): Promise<Server[]> {
    return this.#deps.vps.list(filter);
  }

  get(id: number): Promise<Server> {
    return this.#deps.vps.get(id);
  }

  async catalogue(): Promise<Catalogue> {
    return catalogueOf(await this.#deps.vps.list());
  }

  mayChange(userId: string): Promise<boolean> {
    return this.#deps.access.mayChange(userId);
  }

  get everyoneMayChange(): boolean {
    return this.#deps.access.open;
  }

  /** The last changes to a server from the audit trail; a deleted server by its ID. */
  async history(ref: string, limit = 20): Promise<HistoryOutcome> {
    const found = await this.lookup(ref);
    if (found.kind === 'found') {
      const { id, name } = found.server;
      return {
        kind: 'found',
        serverId: id,
        name,
        entries: await this.#deps.audit.history({ id, name }, limit),
      };
    }
    const id = parseId(ref);
    if (id !== undefined) {
      const entries = await this.#deps.audit.history({ id }, limit);
      if (entries.length > 0) {
        return { kind: 'found', serverId: id, name: entries[0]?.serverName ?? ref, entries };
      }
    }
    return found;
  }

  /** The change under way on a server, if any, on any replica: in flight to VPS.org or followed to its end. */
  changeUnderWay(serverId: number): Promise<TrackedChange | undefined> {
    return this.#deps.claims.underWay(serverId);
  }

  /** Someone asks for a change to the server `ref` names (an ID, a name or a hostname). */
  async requestChange(actor: Actor, spec: ChangeSpec, ref: string): Promise<RequestOutcome> {
    this.#deps.claims.ensureAvailable();
    if (!(await this.authorize(actor, spec.action, ref, paramsOf(spec)))) return { kind: 'forbidden' };
    const found = await this.lookup(ref);
    if (found.kind !== 'found') return found;
    return this.#request(actor, { ...spec, serverId: found.server.id } as ChangeRequest, found.server);
  }

  /** Someone asks for a new server. */
  async requestCreate(actor: Actor, input: CreateServerInput): Promise<RequestOutcome> {
    this.#deps.claims.ensureAvailable();
    if (!(await this.authorize(actor, 'create', input.name, paramsOf({ action: 'create', input })))) {
      return { kind: 'forbidden' };
    }
    return this.#request(actor, { action: 'create', input }, undefined);
  }

  /**
   * May this person make this change? A refusal is audited and nothing reaches VPS.org. Forms call
   * it before they open.
   */
  async authorize(actor: Actor, action: AuditAction, ref: string, params: Record<string, unknown> = {}) {
    if (await this.mayChange(actor.userId)) return true;
    const id = parseId(ref);
    const subject = id === undefined ? { id: undefined, name: ref } : { id, name: undefined };
    await this.#deps.audit.record(actor, action, subject, params, 'forbidden');
    return false;
  }

  async #request(actor: Actor, request: ChangeRequest, server: Server | undefined): Promise<RequestOutcome> {
    const subject = server ? { id: server.id, name: server.name } : undefined;
    const checked = checkRequest(request);
    const current = server && (await this.#detailFor(checked, server));
    if (current) {
      const blocked = await this.#blocked(actor, checked, current);
      if (blocked) return blocked;
    }
    if (needsConfirmation(checked)) {
      const confirmation = await this.#deps.confirmations.issue(actor, checked, current);
      await this.#deps.audit.record(
        actor,
        checked.action,
        subject,
        paramsOf(checked),
        'confirmation_requested',
      );
      return { kind: 'confirm', confirmation, server: current };
    }
    return this.#planned.proceed(actor, checked, current);
  }

  /**
   * The person clicks Confirm (or submits the form): the change happens once, if still wanted.
   * A delete also needs the server's name typed exactly; a wrong name uses nothing up.
   */
  async confirm(actor: Actor, confirmationId: string, typedName?: string): Promise<ConfirmOutcome> {
    this.#deps.claims.ensureAvailable();
    const pending = await this.#deps.confirmations.get(confirmationId);
    if (pending?.request.action === 'delete' && typedName?.trim() !== pending.server?.name) {
      return { kind: 'name_mismatch', confirmation: pending };
    }
    const redeemed = await this.#deps.confirmations.redeem(confirmationId, actor.userId);
    if (redeemed.kind !== 'ok') {
      if (redeemed.kind !== 'unknown') {
        const { request, server } = redeemed.confirmation;
        const outcome = redeemed.kind === 'used' ? 'already_used' : redeemed.kind;
        await this.#deps.audit.record(actor, request.action, server, paramsOf(request), outcome);
      }
      return redeemed;
    }
    const { confirmation } = redeemed;
    const { request } = confirmation;
    const params = paramsOf(request);
    if (!(await this.mayChange(actor.userId))) {
      await this.#deps.audit.record(actor, request.action, confirmation.server, params, 'forbidden');
      return { kind: 'forbidden' };
    }
    // Act in the channel the change was asked in, whatever surface the confirmation came from.
    const origin: Actor = { ...confirmation.actor, ...definedOnly(actor) };
    let server: Server | undefined;
    if (confirmation.server) {
      try {
        server = await this.#deps.vps.get(confirmation.server.id);
      } catch (error) {
        if (error instanceof VpsError && error.kind === 'not_found') {
          await this.#deps.audit.record(origin, request.action, confirmation.server, params, 'gone');
          return { kind: 'gone', confirmation };
        }
        throw error;
      }
      const changes = changesSince(confirmation.server, server);
      if (changes.length > 0) {
        await this.#deps.audit.record(
          origin,
          request.action,
          confirmation.server,
          params,
          'changed_meanwhile',
        );
        return { kind: 'changed', confirmation, server, changes };
      }
      // A change at a later time is checked at that time, not now.
      if (confirmation.timing?.kind !== 'at') {
        const blocked = await this.#blocked(origin, request, server);
        if (blocked) return blocked;
      }
    }
    return this.#planned.proceed(origin, request, server, confirmation.timing);
  }

  /** The person says no: the confirmation can no longer be used. */
  async cancel(actor: Actor, confirmationId: string): Promise<CancelOutcome> {
    this.#deps.claims.ensureAvailable();
    const redeemed = await this.#deps.confirmations.redeem(confirmationId, actor.userId);
    if (redeemed.kind !== 'ok') return redeemed;
    const { request, server } = redeemed.confirmation;
    await this.#deps.audit.record(actor, request.action, server, paramsOf(request), 'cancelled');
    return { kind: 'cancelled', confirmation: redeemed.confirmation };
  }

  confirmation(id: string): Promise<Confirmation | undefined> {
    return this.#deps.confirmations.get(id);
  }

  /**
   * Sends a change once its server is claimed: of two changes to one server at once, on any
   * replicas, the second is refused as busy before it reaches VPS.org. A delete goes ahead anyway.
   */
  async #execute(
    actor: Actor,
    request: ChangeRequest,
    server: Server | undefined,
    attribution: Attribution = {},
  ): Promise<RequestOutcome> {
    const serverId = serverIdOf(request);
    if (serverId === undefined || !server) {
      return { kind: 'done', change: await this.#executor.execute(actor, request, server, attribution) };
    }
    const claim = await this.#deps.claims.claim({
      serverId,
      serverName: server.name,
      action: request.action,
      actor,
      startedAt: this.#now(),
      status: server.status,
    });
    if (claim.kind === 'busy' && request.action !== 'delete')
      return this.#busy(actor, request, server, claim.change, attribution);
    try {
      return { kind: 'done', change: await this.#executor.execute(actor, request, server, attribution) };
    } finally {
      if (claim.kind === 'claimed') await this.#deps.claims.release(serverId, claim.token);
    }
  }

  async #busy(
    actor: Actor,
    request: ChangeRequest,
    server: Server,
    change: TrackedChange,
    attribution: Attribution = {},
  ): Promise<RequestOutcome> {
    const subject = { id: server.id, name: server.name };
    await this.#deps.audit.record(actor, request.action, subject, paramsOf(request), 'busy', attribution);
    return { kind: 'busy', server, change };
  }

  async #blocked(actor: Actor, request: ChangeRequest, server: Server): Promise<RequestOutcome | undefined> {
    const subject = { id: server.id, name: server.name };
    const underWay = request.action === 'delete' ? undefined : await this.changeUnderWay(server.id);
    if (underWay) return this.#busy(actor, request, server, underWay);
    const reason = obstacle(request, server);
    if (reason) {
      await this.#deps.audit.record(actor, request.action, subject, paramsOf(request), 'nothing_to_do');
      return { kind: 'nothing_to_do', server, reason };
    }
    return undefined;
  }

  /** Backups and edit compare with fields only the detailed view has. */
  async #detailFor(request: ChangeRequest, server: Server): Promise<Server> {
    const needsDetail = request.action === 'backups' || request.action === 'edit';
    return needsDetail && server.backups_enabled === undefined ? this.#deps.vps.get(server.id) : server;
  }
}

/** Checks the values a person typed before anything is asked of VPS.org. */
function checkRequest(request: ChangeRequest): ChangeRequest {
  switch (request.action) {
    case 'rename':
      return { ...request, name: checkInput(serverNameSchema, request.name, 'name') };
    case 'hostname':
      return { ...request, hostname: checkInput(hostnameSchema, request.hostname, 'hostname') };
    case 'edit':
      return { ...request, values: checkInput(updateServerInputSchema, request.values) };
    case 'create':
      return { ...request, input: checkInput(createServerInputSchema, request.input) };
    default:
      return request;
  }
}

function definedOnly(actor: Actor): Partial<Actor> {
  return Object.fromEntries(Object.entries(actor).filter(([, value]) => value !== undefined));
}
