import { DateTime, IANAZone } from 'luxon';
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

/** Someone a test registers: only what it cares about; the rest follows from the id. */
export interface Person {
  id: string;
  /** The handle; default from the id ('U0ALICE' is alice). */
  name?: string;
  /** Default: the handle. */
  realName?: string;
  /** An IANA zone such as 'Europe/Berlin'; default 'UTC'. Any string is kept, as Slack may add zones. */
  tz?: string;
  isBot?: boolean;
}

export function profileOf(person: Person): UserProfile {
  const name = person.name ?? userName(person.id);
  return {
    id: person.id,
    name,
    realName: person.realName ?? name,
    tz: person.tz ?? 'UTC',
    ...(person.isBot === undefined ? {} : { isBot: person.isBot }),
  };
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

/** The user object of users.info and users.list, in Slack's shape: tz, tz_label, tz_offset (seconds east of UTC). */
export function userObject(profile: UserProfile, now: Date = new Date()): Record<string, unknown> {
  // Slack's own zones are all IANA ones; an unknown one is told as it is, at offset 0.
  const local = IANAZone.isValidZone(profile.tz) ? DateTime.fromJSDate(now).setZone(profile.tz) : undefined;
  return {
    id: profile.id,
    team_id: TEAM_ID,
    name: profile.name,
    deleted: false,
    real_name: profile.realName,
    tz: profile.tz,
    tz_label: local?.offsetNameLong ?? profile.tz,
    tz_offset: (local?.offset ?? 0) * 60,
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
    updated: Math.floor(now.getTime() / 1000),
  };
}
