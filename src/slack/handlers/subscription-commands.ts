import type { Subscriptions } from '../../service/subscriptions.js';
import { ambiguousText, missingText } from '../blocks/outcomes.js';
import { notice } from '../blocks/prompts.js';
import { FORBIDDEN } from '../blocks/sentences.js';
import { subscriptionsText, subscriptionText } from '../blocks/subscriptions.js';
import type { Interaction } from './context.js';

/** subscribe, unsubscribe, subscriptions: per channel. A change is said in the channel. */
export class SubscriptionCommands {
  readonly #subscriptions: Subscriptions;

  constructor(subscriptions: Subscriptions) {
    this.#subscriptions = subscriptions;
  }

  async change(ix: Interaction, verb: 'subscribe' | 'unsubscribe', target: string): Promise<void> {
    const outcome =
      verb === 'subscribe'
        ? await this.#subscriptions.subscribe(ix.actor, target)
        : await this.#subscriptions.unsubscribe(ix.actor, target);
    switch (outcome.kind) {
      case 'forbidden':
        return ix.reply.ephemeral(notice(FORBIDDEN));
      case 'no_channel':
        return ix.reply.ephemeral(notice('Run this in the channel that should get the notifications.'));
      case 'ambiguous':
        return ix.reply.ephemeral(notice(ambiguousText(outcome.ref, outcome.matches)));
      case 'missing':
        return ix.reply.ephemeral(notice(missingText(outcome.ref, outcome.suggestions)));
      case 'subscribed':
      case 'unsubscribed':
        return ix.reply.inChannel(notice(subscriptionText(outcome.kind, outcome.target, ix.actor.userId)));
      default:
        return ix.reply.ephemeral(notice(subscriptionText(outcome.kind, outcome.target, ix.actor.userId)));
    }
  }

  async list(ix: Interaction): Promise<void> {
    const { subscriptions, notifyChannel } = await this.#subscriptions.of(ix.actor.channelId);
    await ix.reply.ephemeral(notice(subscriptionsText(subscriptions, notifyChannel)));
  }
}
