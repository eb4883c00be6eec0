/** The pretend workspace: three people, two channels, a DM with the bot each, one operator group. */

export type Role = 'operator' | 'viewer' | 'group';

export interface Person {
  id: string;
  name: string;
  realName: string;
  initials: string;
  role: Role;
  /** What the person switcher says of them. */
  about: string;
  tz: string;
}

export const OPERATOR_GROUP = 'S0OPS';

export const PEOPLE: readonly Person[] = [
  {
    id: 'U0ALICE',
    name: 'alice',
    realName: 'Alice Ops',
    initials: 'AO',
    role: 'operator',
    about: 'operator',
    tz: 'Europe/London',
  },
  {
    id: 'U0BOB',
    name: 'bob',
    realName: 'Bob Viewer',
    initials: 'BV',
    role: 'viewer',
    about: 'not an operator',
    tz: 'America/New_York',
  },
  {
    id: 'U0CAROL',
    name: 'carol',
    realName: 'Carol Group',
    initials: 'CG',
    role: 'group',
    about: `operator through the @ops group (${OPERATOR_GROUP})`,
    tz: 'Asia/Tokyo',
  },
];

export interface Room {
  id: string;
  name: string;
  topic: string;
}

export const OPS_CHANNEL: Room = {
  id: 'C0OPS',
  name: 'ops',
  topic: 'Where vps-bot posts every status change (VPS_NOTIFY_CHANNEL)',
};
export const GENERAL_CHANNEL: Room = { id: 'C0GENERAL', name: 'general', topic: 'Everyone' };
export const ROOMS: readonly Room[] = [OPS_CHANNEL, GENERAL_CHANNEL];

/** VPS_OPERATORS: Alice by her id, Carol through the group. Bob is not one. */
export const OPERATORS = ['U0ALICE', OPERATOR_GROUP];
export const GROUP_MEMBERS = ['U0CAROL'];

/**
 * VPS_APPROVAL_REQUIRED: the two changes that cannot be undone by a click wait for a second operator;
 * start and stop stay one person's, so a stop is still a one-person try.
 */
export const APPROVAL_REQUIRED = ['delete', 'reboot'];

export function isPerson(id: string): boolean {
  return PEOPLE.some((p) => p.id === id);
}
