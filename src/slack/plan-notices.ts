import { webApi } from '@slack/bolt';
import { errorFields, type Logger } from '../log.js';
import type { Approval, Schedule } from '../pending-records.js';
import type { MessageRef } from '../records.js';
import type { ApprovalEvents } from '../service/approvals.js';
import type { ScheduleEvents, SkipReason } from '../service/planned.js';
import type { SlackMessage } from './blocks/kit.js';
import { approvalMessage, cancelledText, interruptedText, missedText, skippedText } from './blocks/plans.js';
import { notice } from './blocks/prompts.js';
import { postToResponseUrl } from './response-url.js';

/** Slack's answers that mean "the bot cannot post here", where the response_url still can. */
const CANNOT_POST = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/**
 * Approval requests and schedule reports, in the channel the change was asked in: done in the open,
 * like change cards.
 */
export class PlanNotices implements ApprovalEvents, ScheduleEvents {
  readonly #client: webApi.WebClient;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #graceMs: number;

  constructor(client: webApi.WebClient, logger: Logger, now: () => number, graceMs: number) {
    this.#client = client;
    this.#logger = logger.child({ component: 'plan-notices' });
    this.#now = now;
    this.#graceMs = graceMs;
  }

  async requested(approval: Approval): Promise<MessageRef | undefined> {
    const message = approvalMessage(approval, this.#now());
    const { channelId, replyUrl } = approval.requester;
    if (channelId) {
      try {
        const posted = await this.#client.chat.postMessage({ channel: channelId, ...message });
        if (posted.channel && posted.ts) return { channel: posted.channel, ts: posted.ts };
      } catch (error) {
        const cannot = error instanceof webApi.WebAPIPlatformError && CANNOT_POST.has(error.data.error);
        if (!cannot || !replyUrl) throw error;
      }
    }
    if (!replyUrl) return undefined;
    // Posted through the command's response URL: it cannot be updated in place later, but it is seen.
    await postToResponseUrl(replyUrl, { response_type: 'in_channel', replace_original: false, ...message });
    return undefined;
  }

  /** Shows a request's decision (or its expiry) where it was posted. */
  async refresh(approval: Approval): Promise<void> {
    if (!approval.message) return;
    try {
      await this.#client.chat.update({
        channel: approval.message.channel,
        ts: approval.message.ts,
        ...approvalMessage(approval, this.#now()),
      });
    } catch (error) {
      this.#logger.warn(
        { ...errorFields(error), approval: approval.id },
        'could not update an approval request',
      );
    }
  }

  skipped(schedule: Schedule, why: SkipReason): Promise<void> {
    return this.#tell(schedule, notice(skippedText(schedule, why)));
  }

  missed(schedule: Schedule, lateMs: number): Promise<void> {
    return this.#tell(schedule, notice(missedText(schedule, lateMs, this.#graceMs)));
  }

  interrupted(schedule: Schedule): Promise<void> {
    return this.#tell(schedule, notice(interruptedText(schedule)));
  }

  cancelled(schedule: Schedule, by: string): Promise<void> {
    return this.#tell(schedule, notice(cancelledText(schedule, by)));
  }

  async #tell(schedule: Schedule, message: SlackMessage): Promise<void> {
    const channel = schedule.by.channelId;
    if (!channel) {
      this.#logger.warn({ schedule: schedule.id }, 'a schedule has no channel to report to');
      return;
    }
    await this.#client.chat.postMessage({ channel, ...message });
  }
}
