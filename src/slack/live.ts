import { webApi } from '@slack/bolt';
import { errorFields, type Logger } from '../log.js';
import type { Actor, TrackedChange } from '../records.js';
import type { ChangeEvents, StartedChange } from '../service/execute.js';
import type { TrackerEvents } from '../service/tracker.js';
import { isTransitional, type Server } from '../vps/schemas.js';
import { type ChangeState, changeCard, outcomeText, stuckText } from './blocks/change-card.js';
import type { SlackMessage } from './blocks/kit.js';
import { attributionText } from './blocks/plans.js';
import { pastTense } from './blocks/sentences.js';
import { type PostToResponseUrl, postToResponseUrl } from './response-url.js';

/** Where a change card lives, kept with the tracked change so it can be updated after a restart. */
export type CardRef = ({ channel: string; ts: string } | { replyUrl: string }) & { headline: string };

/** Slack's answers that mean "the bot cannot post here", where the response_url still can. */
const CANNOT_POST = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

function isCardRef(value: unknown): value is CardRef {
  if (typeof value !== 'object' || value === null) return false;
  const ref = value as Record<string, unknown>;
  return (
    typeof ref.headline === 'string' &&
    ((typeof ref.channel === 'string' && typeof ref.ts === 'string') || typeof ref.replyUrl === 'string')
  );
}

/**
 * Changes done in the open: a card in the channel that says who did what, updated in place as the
 * server settles, with the outcome in its thread. Falls back to the response_url where the bot
 * cannot post (a private channel it is not in, a DM).
 */
export class LiveCards implements ChangeEvents, TrackerEvents {
  readonly #client: webApi.WebClient;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #postToUrl: PostToResponseUrl;

  constructor(
    client: webApi.WebClient,
    logger: Logger,
    now: () => number = Date.now,
    post: PostToResponseUrl = postToResponseUrl,
  ) {
    this.#client = client;
    this.#logger = logger.child({ component: 'live-cards' });
    this.#now = now;
    this.#postToUrl = post;
  }

  async started(change: Omit<StartedChange, 'announced'>): Promise<CardRef | undefined> {
    const server = change.after;
    const serverName = change.before?.name ?? server?.name ?? 'the server';
    const headline = `${pastTense(change.request, serverName, change.actor.userId)}${attributionText(change.attribution)}`;
    const state: ChangeState =
      server && isTransitional(server.status)
        ? { kind: 'under_way', elapsedMs: server.status === 'provisioning' ? 0 : undefined }
        : { kind: 'done' };
    const message = changeCard({ headline, actorId: change.actor.userId, serverName, server, state });
    try {
      return await this.#post(change.actor, headline, message);
    } catch (error) {
      this.#logger.error(errorFields(error), 'could not announce a change');
      return undefined;
    }
  }

  async progress(change: TrackedChange, server: Server): Promise<void> {
    const elapsedMs = server.status === 'provisioning' ? this.#now() - change.startedAt : undefined;
    await this.#update(change, server, { kind: 'under_way', elapsedMs });
  }

  async settled(change: TrackedChange, server: Server | undefined): Promise<void> {
    const at = this.#now();
    await this.#update(change, server, { kind: 'settled', tookMs: at - change.startedAt });
    await this.#reply(change, outcomeText(change, server, at));
  }

  async stuck(change: TrackedChange, server: Server | undefined): Promise<void> {
    const at = this.#now();
    await this.#update(change, server, { kind: 'stuck', afterMs: at - change.startedAt });
    await this.#reply(change, stuckText(change, server, at));
  }

  async #post(actor: Actor, headline: string, message: SlackMessage): Promise<CardRef | undefined> {
    if (actor.channelId) {
      try {
        const posted = await this.#client.chat.postMessage({ channel: actor.channelId, ...message });
        if (posted.channel && posted.ts) return { channel: posted.channel, ts: posted.ts, headline };
      } catch (error) {
        if (
          !(error instanceof webApi.WebAPIPlatformError && CANNOT_POST.has(error.data.error)) ||
          !actor.replyUrl
        ) {
          throw error;
        }
        this.#logger.info(
          { channel: actor.channelId, reason: error.data.error },
          'posting through the response_url',
        );
      }
    }
    if (!actor.replyUrl) return undefined;
    await this.#postToUrl(actor.replyUrl, {
      response_type: 'in_channel',
      replace_original: false,
      ...message,
    });
    return { replyUrl: actor.replyUrl, headline };
  }

  async #update(change: TrackedChange, server: Server | undefined, state: ChangeState): Promise<void> {
    const card = change.card;
    if (!isCardRef(card)) return;
    const message = changeCard({
      headline: card.headline,
      actorId: change.actor.userId,
      serverName: server?.name ?? change.serverName,
      server,
      state,
    });
    try {
      if ('channel' in card)
        await this.#client.chat.update({ channel: card.channel, ts: card.ts, ...message });
      else
        await this.#postToUrl(card.replyUrl, {
          response_type: 'in_channel',
          replace_original: true,
          ...message,
        });
    } catch (error) {
      this.#logger.warn(
        { ...errorFields(error), server_id: change.serverId },
        'could not update a change card',
      );
    }
  }

  async #reply(change: TrackedChange, text: string): Promise<void> {
    const card = change.card;
    if (!isCardRef(card)) return;
    try {
      if ('channel' in card)
        await this.#client.chat.postMessage({ channel: card.channel, thread_ts: card.ts, text });
      else
        await this.#postToUrl(card.replyUrl, {
          response_type: 'in_channel',
          replace_original: false,
          text,
        });
    } catch (error) {
      this.#logger.warn(
        { ...errorFields(error), server_id: change.serverId },
        'could not post a change outcome',
      );
    }
  }
}
