import { clone, stringArg } from '../args.js';
import { actionTs } from '../ids.js';
import type { Workspace } from '../state.js';
import type { StoredMessage } from '../types.js';
import { APP_ID, BOT_ID, BOT_USER_ID, dmWith, isDm, isUserId, TEAM_ID } from '../workspace.js';
import { isEmpty, messageContent } from './content.js';
import { type ApiResult, fail, type MethodHandler } from './types.js';

function withoutChannel(message: StoredMessage): Record<string, unknown> {
  return Object.fromEntries(Object.entries(clone(message)).filter(([key]) => key !== 'channel'));
}

/** Slack's answer when the bot may not write to the channel, or undefined when it may. */
function accessError(workspace: Workspace, channel: string | undefined): string | undefined {
  if (channel === undefined) return 'channel_not_found';
  // A bot cannot see other people's DMs at all; its own DMs are the ones it opened.
  if (isDm(channel) && !workspace.botDms.has(channel)) return 'channel_not_found';
  if (!workspace.isMember(channel)) return 'not_in_channel';
  return undefined;
}

export const postMessage: MethodHandler = (args, workspace) => {
  let channel = stringArg(args, 'channel');
  // Posting to a user id posts into the bot's DM with that user, as Slack does.
  if (channel !== undefined && isUserId(channel)) {
    channel = dmWith(channel);
    workspace.botDms.add(channel);
  }
  const denied = accessError(workspace, channel);
  if (denied !== undefined || channel === undefined) return fail(denied ?? 'channel_not_found');
  const content = messageContent(args);
  if ('error' in content) return fail(content.error);
  if (isEmpty(content)) return fail('no_text');
  const threadTs = stringArg(args, 'thread_ts');
  const message: StoredMessage = {
    type: 'message',
    channel,
    ts: workspace.ids.messageTs(),
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    ...content,
    text: content.text ?? '',
    user: BOT_USER_ID,
    bot_id: BOT_ID,
    app_id: APP_ID,
    team: TEAM_ID,
  };
  workspace.messages.add(message);
  return { ok: true, channel, ts: message.ts, message: withoutChannel(message) };
};

export const update: MethodHandler = (args, workspace) => {
  const channel = stringArg(args, 'channel');
  const denied = accessError(workspace, channel);
  if (denied !== undefined || channel === undefined) return fail(denied ?? 'channel_not_found');
  const ts = stringArg(args, 'ts');
  if (ts === undefined || workspace.messages.find(channel, ts) === undefined)
    return fail('message_not_found');
  const content = messageContent(args);
  if ('error' in content) return fail(content.error);
  if (isEmpty(content)) return fail('no_text');
  const updated = workspace.messages.update(channel, ts, {
    ...content,
    edited: { user: BOT_USER_ID, ts: actionTs() },
  });
  if (updated === undefined) return fail('message_not_found');
  const message = withoutChannel(updated);
  return { ok: true, channel, ts, text: updated.text, message };
};

export const postEphemeral: MethodHandler = (args, workspace) => {
  const channel = stringArg(args, 'channel');
  const denied = accessError(workspace, channel);
  if (denied !== undefined || channel === undefined) return fail(denied ?? 'channel_not_found');
  const user = stringArg(args, 'user');
  if (user === undefined) return fail('user_not_in_channel');
  const content = messageContent(args);
  if ('error' in content) return fail(content.error);
  if (isEmpty(content)) return fail('no_text');
  const ts = workspace.ids.messageTs();
  const threadTs = stringArg(args, 'thread_ts');
  workspace.messages.addEphemeral({
    channel,
    user,
    ts,
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    text: content.text ?? '',
    ...(content.blocks === undefined ? {} : { blocks: content.blocks }),
  });
  return { ok: true, message_ts: ts };
};

export const deleteMessage: MethodHandler = (args, workspace): ApiResult => {
  const channel = stringArg(args, 'channel');
  const denied = accessError(workspace, channel);
  if (denied !== undefined || channel === undefined) return fail(denied ?? 'channel_not_found');
  const ts = stringArg(args, 'ts');
  if (ts === undefined || !workspace.messages.delete(channel, ts)) return fail('message_not_found');
  return { ok: true, channel, ts };
};
