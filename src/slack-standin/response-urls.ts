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
  /** The person who typed the command or clicked: ephemeral replies are shown to them. */
  user?: string;
  /** The ts of the ephemeral message clicked, which replace_original and delete_original act on. */
  ephemeral?: string;
}

interface Hook extends ResponseOrigin {
  expired: boolean;
  message: ResponseMessage | undefined;
  /** The ephemeral or in-channel message this URL posted last, when it has no original of its own. */
  posted?: { kind: 'ephemeral' | 'channel'; ts: string };
}

/** A response URL as a snapshot keeps it. */
export type HookDump = Omit<Hook, 'message'> & { id: string; message?: ResponseMessage | undefined };

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
    const original = originalOf(hook);
    if (boolArg(body, 'delete_original')) {
      if (original?.kind === 'channel') this.messages.delete(original.channel, original.ts);
      if (original?.kind === 'ephemeral') this.messages.deleteEphemeral(original.ts);
      if (hook.ts === undefined) hook.message = undefined;
      return { status: 200, text: 'ok' };
    }
    const message = responseMessage(body);
    if (boolArg(body, 'replace_original')) {
      const { text, blocks } = message;
      if (original?.kind === 'channel') {
        this.messages.update(original.channel, original.ts, {
          text,
          ...(blocks === undefined ? {} : { blocks }),
        });
        if (hook.ts === undefined) hook.message = message;
        return { status: 200, text: 'ok' };
      }
      hook.message = message;
      if (original?.kind === 'ephemeral' && this.messages.updateEphemeral(original.ts, { text, blocks })) {
        return { status: 200, text: 'ok' };
      }
    } else {
      hook.message = message;
    }
    if (message.response_type === 'in_channel' && hook.channel !== undefined) {
      const ts = this.ids.messageTs();
      this.messages.add({
        type: 'message',
        channel: hook.channel,
        ts,
        ...(message.thread_ts === undefined ? {} : { thread_ts: message.thread_ts }),
        text: message.text,
        ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
        user: BOT_USER_ID,
        bot_id: BOT_ID,
        app_id: APP_ID,
        team: TEAM_ID,
      });
      hook.posted = { kind: 'channel', ts };
    } else if (hook.user !== undefined && hook.channel !== undefined) {
      const ts = this.ids.messageTs();
      this.messages.addEphemeral({
        channel: hook.channel,
        user: hook.user,
        ts,
        ...(message.thread_ts === undefined ? {} : { thread_ts: message.thread_ts }),
        text: message.text,
        ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
      });
      hook.posted = { kind: 'ephemeral', ts };
    }
    return { status: 200, text: 'ok' };
  }

  clear(): void {
    this.hooks.clear();
  }

  dump(): HookDump[] {
    return clone([...this.hooks].map(([id, hook]) => ({ ...hook, id })));
  }

  load(hooks: readonly HookDump[]): void {
    this.hooks.clear();
    for (const { id, ...hook } of clone(hooks)) this.hooks.set(id, { ...hook, message: hook.message });
  }

  private hookOf(url: string): Hook {
    const id = url.slice(url.indexOf(RESPONSE_PATH) + RESPONSE_PATH.length);
    const hook = url.includes(RESPONSE_PATH) ? this.hooks.get(id) : undefined;
    if (hook === undefined) throw new Error(`SlackStandin: ${url} is not a response URL of this stand-in`);
    return hook;
  }
}

type Original = { kind: 'channel'; channel: string; ts: string } | { kind: 'ephemeral'; ts: string };

/**
 * The message replace_original and delete_original act on: the message clicked, or else the last one
 * this URL posted (a command's URL has no message of its own).
 */
function originalOf(hook: Hook): Original | undefined {
  if (hook.channel !== undefined && hook.ts !== undefined)
    return { kind: 'channel', channel: hook.channel, ts: hook.ts };
  if (hook.ephemeral !== undefined) return { kind: 'ephemeral', ts: hook.ephemeral };
  if (hook.posted?.kind === 'channel' && hook.channel !== undefined)
    return { kind: 'channel', channel: hook.channel, ts: hook.posted.ts };
  if (hook.posted?.kind === 'ephemeral') return { kind: 'ephemeral', ts: hook.posted.ts };
  return undefined;
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
