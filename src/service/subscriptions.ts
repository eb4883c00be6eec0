import type { Actor, Subscription } from '../records.js';
import type { StateStore } from '../store/store.js';
import type { AuditTrail } from './audit.js';
import type { Lookup } from './lookup.js';
import type { ServerService } from './service.js';
import type { FleetWatch } from './watch.js';

export type Target = { serverId: 'all' } | { serverId: number; name: string };

export type SubscriptionOutcome =
  | { kind: 'forbidden' }
  | { kind: 'no_channel' }
  | { kind: 'subscribed' | 'already' | 'unsubscribed' | 'not_subscribed'; target: Target }
  | Exclude<Lookup, { kind: 'found' }>;

export interface SubscriptionDeps {
  store: StateStore;
  service: ServerService;
  audit: AuditTrail;
  watch: Pick<FleetWatch, 'refresh'>;
  notifyChannel: string | undefined;
  now?: () => number;
}

/** Which channels get status notifications about which servers. Only operators change that. */
export class Subscriptions {
  readonly #deps: SubscriptionDeps;

  constructor(deps: SubscriptionDeps) {
    this.#deps = deps;
  }

  /** `ref` is `all` or a server (ID, name or hostname). */
  async subscribe(actor: Actor, ref: string): Promise<SubscriptionOutcome> {
    const checked = await this.#check(actor, 'subscribe', ref);
    if ('kind' in checked) return checked;
    const { channelId, target } = checked;
    const added = await this.#deps.store.addSubscription({
      channelId,
      serverId: target.serverId,
      serverName: 'name' in target ? target.name : undefined,
      by: actor.userId,
      at: new Date((this.#deps.now ?? Date.now)()).toISOString(),
    });
    await this.#audit(actor, 'subscribe', target, added ? 'ok' : 'nothing_to_do');
    if (added) await this.#deps.watch.refresh();
    return { kind: added ? 'subscribed' : 'already', target };
  }

  async unsubscribe(actor: Actor, ref: string): Promise<SubscriptionOutcome> {
    if (!(await this.#deps.service.authorize(actor, 'unsubscribe', ref))) return { kind: 'forbidden' };
    const channelId = actor.channelId;
    if (!channelId) return { kind: 'no_channel' };
    // A subscription to a server since deleted is still found by the name or ID it was made with.
    const existing = (await this.#deps.store.subscriptions()).find(
      (s) =>
        s.channelId === channelId &&
        s.serverId !== 'all' &&
        (s.serverName === ref || String(s.serverId) === ref),
    );
    let target: Target;
    if (ref === 'all') target = { serverId: 'all' };
    else if (existing && existing.serverId !== 'all')
      target = { serverId: existing.serverId, name: existing.serverName ?? ref };
    else {
      const found = await this.#deps.service.lookup(ref);
      if (found.kind !== 'found') return found;
      target = { serverId: found.server.id, name: found.server.name };
    }
    const removed = await this.#deps.store.removeSubscription(channelId, target.serverId);
    await this.#audit(actor, 'unsubscribe', target, removed ? 'ok' : 'nothing_to_do');
    if (removed) await this.#deps.watch.refresh();
    return { kind: removed ? 'unsubscribed' : 'not_subscribed', target };
  }

  async of(
    channelId: string | undefined,
  ): Promise<{ subscriptions: Subscription[]; notifyChannel: boolean }> {
    const all = await this.#deps.store.subscriptions();
    return {
      subscriptions: all.filter((s) => s.channelId === channelId),
      notifyChannel: channelId !== undefined && channelId === this.#deps.notifyChannel,
    };
  }

  async #check(
    actor: Actor,
    action: 'subscribe',
    ref: string,
  ): Promise<{ channelId: string; target: Target } | SubscriptionOutcome> {
    if (!(await this.#deps.service.authorize(actor, action, ref))) return { kind: 'forbidden' };
    const channelId = actor.channelId;
    if (!channelId) return { kind: 'no_channel' };
    if (ref === 'all') return { channelId, target: { serverId: 'all' } };
    const found = await this.#deps.service.lookup(ref);
    if (found.kind !== 'found') return found;
    return { channelId, target: { serverId: found.server.id, name: found.server.name } };
  }

  #audit(actor: Actor, action: 'subscribe' | 'unsubscribe', target: Target, outcome: string) {
    const subject = target.serverId === 'all' ? undefined : { id: target.serverId, name: target.name };
    return this.#deps.audit.record(actor, action, subject, { target: target.serverId }, outcome);
  }
}
