import { BOT_USER_ID, BOT_USER_NAME, channelName, isUserId, TEAM_ID, userName } from './workspace.js';

/** A person of the workspace, as users.info tells of them. */
export interface UserProfile {
  id: string;
  /** The handle: 'alice'. */
  name: string;
  /** The full name: 'Alice Ops'. */
  realName: string;
  /** IANA zone, e.g. 'Europe/Berlin'. */
  tz: string;
  isBot?: boolean;
}

export interface ChannelProfile {
  id: string;
  /** Without '#'. */
  name: string;
  isPrivate?: boolean;
}

const BOT: UserProfile = {
  id: BOT_USER_ID,
  name: BOT_USER_NAME,
  realName: BOT_USER_NAME,
  tz: 'UTC',
  isBot: true,
};

/** Seconds east of UTC of `tz` at `at`, as Slack's tz_offset. */
function offsetSeconds(tz: string, at: Date): number {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(at);
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
    const local = Date.UTC(
      get('year'),
      get('month') - 1,
      get('day'),
      get('hour'),
      get('minute'),
      get('second'),
    );
    return Math.round((local - Math.floor(at.getTime() / 1000) * 1000) / 1000);
  } catch {
    return 0;
  }
}

/**
 * The people and channels a test or the playground registered. Without a directory every well-formed
 * user id is someone, named after the id ('U0ALICE' is alice), as the rest of the stand-in assumes.
 */
export class Directory {
  private readonly people = new Map<string, UserProfile>();
  private readonly rooms = new Map<string, ChannelProfile>();

  addUser(profile: UserProfile): void {
    this.people.set(profile.id, { ...profile });
  }

  addChannel(profile: ChannelProfile): void {
    this.rooms.set(profile.id, { ...profile });
  }

  /** Registered people, then the bot. */
  users(): UserProfile[] {
    return [...[...this.people.values()].map((p) => ({ ...p })), { ...BOT }];
  }

  channels(): ChannelProfile[] {
    return [...this.rooms.values()].map((c) => ({ ...c }));
  }

  user(id: string): UserProfile | undefined {
    if (id === BOT_USER_ID) return { ...BOT };
    const known = this.people.get(id);
    if (known !== undefined) return { ...known };
    if (!isUserId(id)) return undefined;
    const name = userName(id);
    return { id, name, realName: name, tz: 'UTC' };
  }

  channelName(id: string): string {
    return this.rooms.get(id)?.name ?? channelName(id);
  }

  clear(): void {
    this.people.clear();
    this.rooms.clear();
  }

  dump(): { users: UserProfile[]; channels: ChannelProfile[] } {
    return { users: [...this.people.values()].map((p) => ({ ...p })), channels: this.channels() };
  }

  load(dump: { users: readonly UserProfile[]; channels: readonly ChannelProfile[] }): void {
    this.clear();
    for (const user of dump.users) this.addUser(user);
    for (const channel of dump.channels) this.addChannel(channel);
  }
}

/** The user object of users.info and users.list. */
export function userObject(profile: UserProfile, now: Date = new Date()): Record<string, unknown> {
  return {
    id: profile.id,
    team_id: TEAM_ID,
    name: profile.name,
    deleted: false,
    real_name: profile.realName,
    tz: profile.tz,
    tz_label: profile.tz,
    tz_offset: offsetSeconds(profile.tz, now),
    profile: {
      real_name: profile.realName,
      real_name_normalized: profile.realName,
      display_name: profile.name,
      display_name_normalized: profile.name,
      team: TEAM_ID,
    },
    is_admin: false,
    is_owner: false,
    is_bot: profile.isBot ?? false,
    is_app_user: false,
  };
}
