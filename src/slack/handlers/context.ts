import type { webApi } from '@slack/bolt';
import { errorFields, type Logger } from '../../log.js';
import type { Actor } from '../../records.js';
import type { ServerService } from '../../service/service.js';
import type { SlackMessage } from '../blocks/kit.js';
import type { RequestAbout } from '../receiver/about.js';
import type { PostToResponseUrl, ResponseUrlMessage } from '../response-url.js';

/** What every handler needs: the service, Slack's Web API client, a logger and the clock. */
export interface HandlerDeps {
  service: ServerService;
  client: webApi.WebClient;
  logger: Logger;
  now: () => number;
}

/** How a handler answers the person who asked. */
export interface Reply {
  /** A new message only the person sees. */
  ephemeral(message: SlackMessage): Promise<void>;
  /** Replaces the message the click came from (a prompt, a lookup card, a list page). */
  replace(message: SlackMessage): Promise<void>;
  /** A new message the whole channel sees. */
  inChannel(message: SlackMessage): Promise<void>;
}

/** One request from Slack, reduced to what handlers use. */
export interface Interaction {
  actor: Actor;
  reply: Reply;
  triggerId: string | undefined;
  /** The request, for the context of a log line about it. */
  about?: RequestAbout;
}

/**
 * Replies through the request's response_url, with the bot's retrying poster rather than Bolt's
 * respond(): a 5xx or a network failure is tried again, and a reply given up is one log line.
 */
export function replyThrough(url: string | undefined, post: PostToResponseUrl, logger: Logger): Reply {
  const safely = async (message: ResponseUrlMessage) => {
    try {
      if (url === undefined) throw new Error('the request came with no response_url');
      await post(url, message);
    } catch (error) {
      // An expired or used-up response_url must not turn into a second error message.
      logger.warn(errorFields(error), 'could not reply');
    }
  };
  return {
    ephemeral: (message) => safely({ response_type: 'ephemeral', replace_original: false, ...message }),
    replace: (message) => safely({ replace_original: true, ...message }),
    inChannel: (message) => safely({ response_type: 'in_channel', replace_original: false, ...message }),
  };
}
