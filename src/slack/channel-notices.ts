import { webApi } from '@slack/bolt';
import type { FleetNotice, MessageRef } from '../records.js';
import { ChannelUnavailable } from '../service/undeliverable.js';
import type { NoticeSink } from '../service/watch.js';
import { noticeMessage } from './blocks/fleet-notice.js';

/** Slack's answers that mean the channel will never take a message again. */
const GONE = new Set(['channel_not_found', 'is_archived']);
/** Slack's answer that means the bot must be invited first. */
const NOT_A_MEMBER = 'not_in_channel';

/** Status notifications, posted in a channel or updated where they were posted. */
export class ChannelNotices implements NoticeSink {
  readonly #client: webApi.WebClient;

  constructor(client: webApi.WebClient) {
    this.#client = client;
  }

  async post(channel: string, notice: FleetNotice): Promise<MessageRef | undefined> {
    const posted = await unavailableAs(
      channel,
      this.#client.chat.postMessage({ channel, ...noticeMessage(notice) }),
    );
    return posted.channel && posted.ts ? { channel: posted.channel, ts: posted.ts } : undefined;
  }

  async update(ref: MessageRef, notice: FleetNotice): Promise<void> {
    await unavailableAs(
      ref.channel,
      this.#client.chat.update({ channel: ref.channel, ts: ref.ts, ...noticeMessage(notice) }),
    );
  }
}

/** A channel that cannot take the message is told to the watch as such; other errors as they are. */
async function unavailableAs<T>(channel: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof webApi.WebAPIPlatformError) {
      const code = error.data.error;
      if (GONE.has(code) || code === NOT_A_MEMBER)
        throw new ChannelUnavailable(channel, code, GONE.has(code));
    }
    throw error;
  }
}
