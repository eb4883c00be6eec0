import { DateTime, IANAZone } from 'luxon';
import { BOT_USER_ID, BOT_USER_NAME, isUserId, TEAM_ID, userName } from './workspace.js';

/** Someone users.info tells of: a test sets a time zone, the rest follows from the id. */
export interface Person {
  id: string;
  /** The handle; default from the id ('U0ALICE' is alice). */
  name?: string;
  /** Default: the handle. */
  realName?: string;
  /** An IANA zone such as 'Europe/Berlin'; default 'UTC'. Slack may hand out others: any string is kept. */
  tz?: string;
  isBot?: boolean;
}

/**
 * The people of the stand-in workspace. Every well-formed user id is someone (named after its id, in
 * UTC), as the rest of the stand-in assumes; a test registers a person to give them a time zone.
 */
export class People {
  private readonly people = new Map<string, Person>();

  set(person: Person): void {
    this.people.set(person.id, { ...person });
  }

  get(id: string): Person | undefined {
    if (id === BOT_USER_ID) return { id, name: BOT_USER_NAME, tz: 'UTC', isBot: true };
    const known = this.people.get(id);
    if (known !== undefined) return { ...known };
    return isUserId(id) ? { id } : undefined;
  }

  clear(): void {
    this.people.clear();
  }
}

/** The `user` object of users.info, in Slack's shape: tz, tz_label and tz_offset (seconds east of UTC). */
export function slackUser(person: Person, now: Date = new Date()): Record<string, unknown> {
  const name = person.name ?? userName(person.id);
  const realName = person.realName ?? name;
  const tz = person.tz ?? 'UTC';
  // Slack's own zones are all IANA ones; an unknown one is told as it is, at offset 0.
  const local = IANAZone.isValidZone(tz) ? DateTime.fromJSDate(now).setZone(tz) : undefined;
  return {
    id: person.id,
    team_id: TEAM_ID,
    name,
    deleted: false,
    real_name: realName,
    tz,
    tz_label: local?.offsetNameLong ?? tz,
    tz_offset: (local?.offset ?? 0) * 60,
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: name,
      display_name_normalized: name,
      team: TEAM_ID,
    },
    is_admin: false,
    is_owner: false,
    is_bot: person.isBot ?? false,
    is_app_user: false,
    updated: Math.floor(now.getTime() / 1000),
  };
}
