import { randomBytes } from 'node:crypto';
import type { Approval, DecideOutcome, Timing } from '../pending-records.js';
import type { Actor, ChangeAction, ChangeRequest, MessageRef } from '../records.js';
import type { StateStore } from '../store/store.js';
import type { Server } from '../vps/schemas.js';

export const APPROVAL_TTL_MS = 30 * 60_000;

/** The presenter's part: post an approval request where the change was asked for. */
export interface ApprovalEvents {
  /** Resolves with where the request was posted, or undefined when it could not be. */
  requested(approval: Approval): Promise<MessageRef | undefined>;
}

export interface ApprovalOptions {
  store: StateStore;
  /** The actions that need a second operator (VPS_APPROVAL_REQUIRED). */
  required: readonly ChangeAction[];
  ttlMs?: number;
  now?: () => number;
}

/** Two-person approval: which changes need it, and approval requests decided once by another person. */
export class Approvals {
  readonly #store: StateStore;
  readonly #required: ReadonlySet<ChangeAction>;
  readonly #now: () => number;
  readonly ttlMs: number;

  constructor(options: ApprovalOptions) {
    this.#store = options.store;
    this.#required = new Set(options.required);
    this.#now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? APPROVAL_TTL_MS;
  }

  /** Whether a change needs a second operator; `stop … for` also starts the server again later. */
  needed(request: ChangeRequest, timing?: Timing): boolean {
    if (this.#required.has(request.action)) return true;
    return timing?.kind === 'for' && this.#required.has('start');
  }

  async ask(requester: Actor, request: ChangeRequest, server: Server | undefined, timing?: Timing) {
    const now = this.#now();
    const approval: Approval = {
      id: randomBytes(12).toString('base64url'),
      request,
      requester,
      server: server && {
        id: server.id,
        name: server.name,
        status: server.status,
        updatedAt: server.updated_at,
      },
      ...(timing ? { timing } : {}),
      createdAt: now,
      expiresAt: now + this.ttlMs,
    };
    await this.#store.saveApproval(approval);
    return approval;
  }

  get(id: string): Promise<Approval | undefined> {
    return this.#store.getApproval(id);
  }

  decide(id: string, by: string, verdict: 'approved' | 'rejected'): Promise<DecideOutcome> {
    return this.#store.decideApproval(id, { verdict, by, at: this.#now() });
  }

  noteMessage(id: string, message: MessageRef): Promise<void> {
    return this.#store.noteApprovalMessage(id, message);
  }

  /** Requests still waiting for someone. */
  open(): Promise<Approval[]> {
    return this.#store.openApprovals(this.#now());
  }
}
