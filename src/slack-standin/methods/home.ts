import { isRecord, stringArg } from '../args.js';
import { withBlockIds } from '../blocks.js';
import { isUserId } from '../workspace.js';
import { fail, type MethodHandler } from './types.js';

const MAX_HOME_BLOCKS = 100;

function invalid(problem: string) {
  return fail('invalid_arguments', [`[ERROR] ${problem}`]);
}

/** views.publish: sets the Home tab of one person, checked as Slack checks it. */
export const publish: MethodHandler = (args, workspace) => {
  const userId = stringArg(args, 'user_id');
  if (userId === undefined) return invalid('missing required field: user_id');
  const view = args.view;
  if (!isRecord(view)) return invalid('missing or malformed required field: view [json-pointer:/view]');
  if (view.type !== 'home') return invalid('must be "home" [json-pointer:/view/type]');
  if (!Array.isArray(view.blocks))
    return invalid('missing required field: blocks [json-pointer:/view/blocks]');
  if (view.blocks.length > MAX_HOME_BLOCKS) {
    return invalid(`no more than ${MAX_HOME_BLOCKS} items allowed [json-pointer:/view/blocks]`);
  }
  if (!isUserId(userId) || workspace.directory.user(userId) === undefined) return fail('user_not_found');
  const hash = stringArg(args, 'hash');
  const current = workspace.homes.get(userId);
  if (hash !== undefined && current !== undefined && hash !== current.hash) return fail('hash_conflict');
  return { ok: true, view: workspace.homes.publish(userId, { ...view, blocks: withBlockIds(view.blocks) }) };
};
