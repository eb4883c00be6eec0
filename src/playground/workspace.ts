import type { SlackStandin } from '../slack-standin/index.js';
import { GROUP_MEMBERS, OPERATOR_GROUP, PEOPLE, ROOMS } from './identity.js';

/** Puts the pretend workspace's people, channels, DMs and operator group into the stand-in. */
export function furnish(slack: SlackStandin): void {
  for (const person of PEOPLE) {
    slack.addUser({ id: person.id, name: person.name, realName: person.realName, tz: person.tz });
    slack.openDm(person.id);
  }
  for (const room of ROOMS) slack.addChannel({ id: room.id, name: room.name });
  slack.setUsergroup(OPERATOR_GROUP, GROUP_MEMBERS);
}
