import { boolArg, clone, isRecord, stringArg } from './args.js';
import { withBlockIds } from './blocks.js';
import type { Ids } from './ids.js';
import type { MessageStore } from './messages.js';
import type { ResponseMessage } from './types.js';
import { APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID } from './workspace.js';

export const RESPONSE_PATH = '/response/';

/** Where a response URL came from: the channel of the command or click, and the channel message clicked. */
export interface ResponseOrigin {
  channel?: string;
  ts?: string;
}

interface Hook extends ResponseOrigin {
  expired: boolean;
  message: ResponseMessage | undefined;
}

export interface HookReply {
  status: number;
  text: string;
}

/** Response URLs: what posting to each does to "its" message, and which of them have expired. */
export class ResponseUrlStore {
  private readonly hooks = new Map<string, Hook>();

  constructor(
    private readonly ids: Ids,
    private readonly messages: MessageStore,
  ) {}

  create(baseUrl: string, origin: ResponseOrigin = {}): string {
    const id = this.ids.responseId();
    this.hooks.set(id, { ...origin, expired: false, message: undefined });
    return `${baseUrl}${RESPONSE_PATH}${id}`;
  }

  expire(url: string): void {
    this.hookOf(url).expired = true;
  }

  /** The message the response URL currently shows when it is not a channel message; undefined once deleted. */
  message(url: string): ResponseMessage | undefined {
    const message = this.hookOf(url).message;
    return message === undefined ? undefined : clone(message);
  }

  post(id: string, body: Record<string, unknown>): HookReply {
    const hook = this.hooks.get(id);
    // Slack answers an expired or unknown response URL with 404, which Bolt's respond() turns into a throw.
    if (hook === undefined || hook.expired) return { status: 404, text: 'expired_url' };
    const original =
      hook.channel !== undefined && hook.ts !== undefined
        ? { channel: hook.channel, ts: hook.ts }
        : undefined;
    if (boolArg(body, 'delete_original')) {
      if (original !== undefined) this.messages.delete(original.channel, original.ts);
      else hook.message = undefined;
      return { status: 200, text: 'ok' };
    }
    const message = responseMessage(body);
    if (boolArg(body, 'replace_original')) {
      if (original !== undefined) {
        const { text, blocks } = message;
        this.messages.update(original.channel, original.ts, {
          text,
          ...(blocks === undefined ? {} : { blocks }),
        });
      } else {
        hook.message = message;
      }
      return { status: 200, text: 'ok' };
    }
    hook.message = message;
    if (message.response_type === 'in_channel' && hook.channel !== undefined) {
      this.messages.add({
        type: 'message',
        channel: hook.channel,
        ts: this.ids.messageTs(),
        ...(message.thread_ts === undefined ? {} : { thread_ts: message.thread_ts }),
        text: message.text,
        ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
        user: BOT_USER_ID,
        bot_id: BOT_ID,
        app_id: APP_ID,
        team: TEAM_ID,
      });
    }
    return { status: 200, text: 'ok' };
  }

  clear(): void {
    this.hooks.clear();
  }

  private hookOf(url: string): Hook {
    const id = url.slice(url.indexOf(RESPONSE_PATH) + RESPONSE_PATH.length);
    const hook = url.includes(RESPONSE_PATH) ? this.hooks.get(id) : undefined;
    if (hook === undefined) throw new Error(`SlackStandin: ${url} is not a response URL of this stand-in`);
    return hook;
  }
}

function responseMessage(body: Record<string, unknown>): ResponseMessage {
  const threadTs = stringArg(body, 'thread_ts');
  return {
    response_type: body.response_type === 'in_channel' ? 'in_channel' : 'ephemeral',
    text: typeof body.text === 'string' ? body.text : '',
    ...(Array.isArray(body.blocks) ? { blocks: withBlockIds(body.blocks.filter(isRecord)) } : {}),
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
  };
}
