import type { webApi } from '@slack/bolt';
import type { FleetNotice, MessageRef } from '../records.js';
import type { NoticeSink } from '../service/watch.js';
import { noticeMessage } from './blocks/fleet-notice.js';

/** Status notifications, posted in a channel or updated where they were posted. */
export class ChannelNotices implements NoticeSink {
  readonly #client: webApi.WebClient;

  constructor(client: webApi.WebClient) {
    this.#client = client;
  }

  async post(channel: string, notice: FleetNotice): Promise<MessageRef | undefined> {
    const posted = await this.#client.chat.postMessage({ channel, ...noticeMessage(notice) });
    return posted.channel && posted.ts ? { channel: posted.channel, ts: posted.ts } : undefined;
  }

  async update(ref: MessageRef, notice: FleetNotice): Promise<void> {
    await this.#client.chat.update({ channel: ref.channel, ts: ref.ts, ...noticeMessage(notice) });
  }
}
