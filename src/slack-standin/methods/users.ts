import { stringArg } from '../args.js';
import { userObject } from '../directory.js';
import { fail, type MethodHandler } from './types.js';

export const usersInfo: MethodHandler = (args, workspace) => {
  const profile = workspace.directory.user(stringArg(args, 'user') ?? '');
  if (profile === undefined) return fail('user_not_found');
  return { ok: true, user: userObject(profile) };
};

/** One page holds everyone: the stand-in's workspaces are small. */
export const usersList: MethodHandler = (_args, workspace) => ({
  ok: true,
  members: workspace.directory.users().map((profile) => userObject(profile)),
  response_metadata: { next_cursor: '' },
});
