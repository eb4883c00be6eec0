import { BOT_USER_ID, BOT_USER_NAME, type SlackStandin } from '../slack-standin/index.js';
import { PEOPLE, ROOMS } from './identity.js';
import type { ChannelView, ClientState, MessageView, VpsPanelState } from './protocol.js';

export interface CommandInfo {
  name: string;
  description: string;
  usageHint: string;
}

/** The bot's DM with a person, as the stand-in names it. */
export function dmOf(userId: string): string {
  return `D${userId.slice(1)}`;
}

export function channelsOf(me: string): ChannelView[] {
  return [
    ...ROOMS.map(
      (room): ChannelView => ({ id: room.id, name: room.name, kind: 'channel', topic: room.topic }),
    ),
    { id: dmOf(me), name: BOT_USER_NAME, kind: 'dm', topic: 'Your direct messages with vps-bot' },
  ];
}

function byTs(a: MessageView, b: MessageView): number {
  return a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0;
}

/** What `me` would see in a channel: its messages, and the ephemeral ones shown to `me` alone. */
function channelMessages(slack: SlackStandin, channel: string, me: string): MessageView[] {
  const shared = slack.messages(channel).map(
    (m): MessageView => ({
      ts: m.ts,
      ...(m.thread_ts === undefined ? {} : { threadTs: m.thread_ts }),
      user: m.user,
      text: m.text,
      ...(m.blocks === undefined ? {} : { blocks: m.blocks }),
      ephemeral: false,
      edited: m.edited !== undefined,
    }),
  );
  const mine = slack
    .ephemeralMessages(channel)
    .filter((m) => m.user === me)
    .map(
      (m): MessageView => ({
        ts: m.ts,
        ...(m.thread_ts === undefined ? {} : { threadTs: m.thread_ts }),
        user: BOT_USER_ID,
        text: m.text,
        ...(m.blocks === undefined ? {} : { blocks: m.blocks }),
        ephemeral: true,
        edited: false,
      }),
    );
  return [...shared, ...mine].sort(byTs);
}

export function clientState(
  slack: SlackStandin,
  me: string,
  vps: VpsPanelState,
  command: CommandInfo,
): ClientState {
  const channels = channelsOf(me);
  return {
    me,
    people: PEOPLE.map(({ id, name, realName, initials, about, tz }) => ({
      id,
      name,
      realName,
      initials,
      about,
      tz,
    })),
    bot: { id: BOT_USER_ID, name: BOT_USER_NAME },
    channels,
    messages: Object.fromEntries(channels.map((c) => [c.id, channelMessages(slack, c.id, me)])),
    modals: slack.modals(me),
    home: slack.homeView(me) ?? null,
    vps,
    command,
  };
}
