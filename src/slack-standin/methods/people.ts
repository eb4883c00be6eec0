import { stringArg } from '../args.js';
import { slackUser } from '../people.js';
import { fail, type MethodHandler } from './types.js';

/** users.info: the person, with their time zone. */
export const usersInfo: MethodHandler = (args, workspace) => {
  const person = workspace.people.get(stringArg(args, 'user') ?? '');
  if (person === undefined) return fail('user_not_found');
  return { ok: true, user: slackUser(person) };
};
