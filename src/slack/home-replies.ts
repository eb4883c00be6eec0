import type { webApi } from '@slack/bolt';
import { errorFields, type Logger } from '../log.js';
import type { SlackMessage } from './blocks/kit.js';
import type { Reply } from './handlers/context.js';

/**
 * A click on the Home tab comes with no response_url. Its answers (prompts, lookups, refusals) go as
 * ephemeral messages in the place the change would be announced: VPS_NOTIFY_CHANNEL when set, else
 * the person's DM with the bot (the app's Messages tab, beside Home). An ephemeral the channel
 * refuses (the person is not in it) goes to the DM instead.
 */
export class HomeReplies {
  readonly #client: webApi.WebClient;
  readonly #logger: Logger;
  readonly #notifyChannel: string | undefined;
  readonly #dms = new Map<string, string>();

  constructor(client: webApi.WebClient, logger: Logger, notifyChannel: string | undefined) {
    this.#client = client;
    this.#logger = logger;
    this.#notifyChannel = notifyChannel;
  }

  /** Where a change asked from the Home tab is done in the open. */
  async channelFor(userId: string): Promise<string | undefined> {
    return this.#notifyChannel ?? (await this.#dm(userId));
  }

  replyFor(userId: string, channel: string | undefined): Reply {
    const ephemeral = (message: SlackMessage) => this.#ephemeral(userId, channel, message);
    return {
      ephemeral,
      // Nothing on the Home tab can be replaced by a reply: the tab itself refreshes.
      replace: ephemeral,
      inChannel: async (message) => {
        if (!channel) return ephemeral(message);
        try {
          await this.#client.chat.postMessage({ channel, ...message });
        } catch (error) {
          this.#logger.warn({ ...errorFields(error), user: userId }, 'could not post for a Home tab click');
        }
      },
    };
  }

  async #ephemeral(userId: string, channel: string | undefined, message: SlackMessage): Promise<void> {
    const places = [channel, await this.#dm(userId)].filter(
      (place, index, all): place is string => place !== undefined && all.indexOf(place) === index,
    );
    for (const place of places) {
      try {
        await this.#client.chat.postEphemeral({ channel: place, user: userId, ...message });
        return;
      } catch (error) {
        this.#logger.warn(
          { ...errorFields(error), channel: place, user: userId },
          'could not answer a Home tab click here',
        );
      }
    }
  }

  async #dm(userId: string): Promise<string | undefined> {
    const known = this.#dms.get(userId);
    if (known) return known;
    try {
      const opened = await this.#client.conversations.open({ users: userId });
      const id = opened.channel?.id;
      if (id) this.#dms.set(userId, id);
      return id;
    } catch (error) {
      this.#logger.warn({ ...errorFields(error), user: userId }, 'could not open a DM with a person');
      return undefined;
    }
  }
}
