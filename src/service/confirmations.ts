import { randomBytes } from 'node:crypto';
import type { Timing } from '../pending-records.js';
import type { Actor, ChangeRequest, Confirmation, RedeemOutcome } from '../records.js';
import type { StateStore } from '../store/store.js';
import type { Server } from '../vps/schemas.js';

export const CONFIRMATION_TTL_MS = 10 * 60_000;

/** Issues and redeems confirmations: one user, one server, one action, ten minutes, once. */
export class Confirmations {
  readonly #store: StateStore;
  readonly #now: () => number;
  readonly #ttlMs: number;

  constructor(store: StateStore, now: () => number = Date.now, ttlMs = CONFIRMATION_TTL_MS) {
    this.#store = store;
    this.#now = now;
    this.#ttlMs = ttlMs;
  }

  async issue(
    actor: Actor,
    request: ChangeRequest,
    server: Server | undefined,
    timing?: Timing,
  ): Promise<Confirmation> {
    const now = this.#now();
    const confirmation: Confirmation = {
      id: randomBytes(12).toString('base64url'),
      userId: actor.userId,
      request,
      server: server && {
        id: server.id,
        name: server.name,
        status: server.status,
        updatedAt: server.updated_at,
      },
      actor,
      createdAt: now,
      expiresAt: now + this.#ttlMs,
      ...(timing ? { timing } : {}),
    };
    await this.#store.saveConfirmation(confirmation);
    return confirmation;
  }

  redeem(id: string, userId: string): Promise<RedeemOutcome> {
    return this.#store.redeemConfirmation(id, userId, this.#now());
  }

  get(id: string): Promise<Confirmation | undefined> {
    return this.#store.getConfirmation(id);
  }
}
