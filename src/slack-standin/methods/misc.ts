import { stringArg } from '../args.js';
import {
  BOT_ID,
  BOT_USER_ID,
  BOT_USER_NAME,
  dmWith,
  isDm,
  isUserId,
  TEAM_DOMAIN,
  TEAM_ID,
  TEAM_NAME,
} from '../workspace.js';
import { fail, type MethodHandler } from './types.js';

export const authTest: MethodHandler = () => ({
  ok: true,
  url: `https://${TEAM_DOMAIN}.slack.com/`,
  team: TEAM_NAME,
  user: BOT_USER_NAME,
  team_id: TEAM_ID,
  user_id: BOT_USER_ID,
  bot_id: BOT_ID,
  is_enterprise_install: false,
});

export const usergroupUsers: MethodHandler = (args, workspace) => {
  const users = workspace.usergroups.get(stringArg(args, 'usergroup') ?? '');
  if (users === undefined) return fail('no_such_subteam');
  return { ok: true, users: [...users] };
};

export const conversationInfo: MethodHandler = (args, workspace) => {
  const channel = stringArg(args, 'channel');
  if (channel === undefined || (isDm(channel) && !workspace.botDms.has(channel)))
    return fail('channel_not_found');
  const dm = isDm(channel);
  return {
    ok: true,
    channel: {
      id: channel,
      ...(dm ? { user: `U${channel.slice(1)}` } : { name: workspace.directory.channelName(channel) }),
      is_channel: !dm && channel.startsWith('C'),
      is_group: false,
      is_im: dm,
      is_private: channel.startsWith('G'),
      is_archived: false,
      is_member: workspace.isMember(channel),
    },
  };
};

export const conversationOpen: MethodHandler = (args, workspace) => {
  const users = (stringArg(args, 'users') ?? '').split(',').filter((u) => u !== '');
  const [user, ...others] = users;
  if (user === undefined) return fail('users_list_not_supplied');
  // Group DMs are beyond what the bot needs; Slack's answer for a bad user list is the closest honest one.
  if (others.length > 0 || !isUserId(user)) return fail('user_not_found');
  const id = dmWith(user);
  workspace.botDms.add(id);
  return { ok: true, channel: { id } };
};
