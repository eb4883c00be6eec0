import { isRecord, stringArg } from '../args.js';
import { withBlockIds } from '../blocks.js';
import { fail, type MethodHandler } from './types.js';

const MAX_VIEW_BLOCKS = 100;

type CheckedView = { view: Record<string, unknown> } | { problem: string };

/** The checks Slack's view validation makes that a bot most often trips over. */
function checkedView(args: Record<string, unknown>): CheckedView {
  const view = args.view;
  if (!isRecord(view)) return { problem: 'missing or malformed required field: view [json-pointer:/view]' };
  if (view.type !== 'modal') return { problem: 'must be "modal" [json-pointer:/view/type]' };
  if (!isRecord(view.title)) return { problem: 'missing required field: title [json-pointer:/view/title]' };
  if (!Array.isArray(view.blocks))
    return { problem: 'missing required field: blocks [json-pointer:/view/blocks]' };
  if (view.blocks.length > MAX_VIEW_BLOCKS) {
    return { problem: `no more than ${MAX_VIEW_BLOCKS} items allowed [json-pointer:/view/blocks]` };
  }
  return { view: { ...view, blocks: withBlockIds(view.blocks) } };
}

function invalid(problem: string) {
  return fail('invalid_arguments', [`[ERROR] ${problem}`]);
}

/** views.open and views.push: both exchange a trigger id for a new modal. */
function opener(pushed: boolean): MethodHandler {
  return (args, workspace) => {
    const checked = checkedView(args);
    if ('problem' in checked) return invalid(checked.problem);
    const triggerId = stringArg(args, 'trigger_id');
    const trigger = workspace.triggers.exchange(triggerId);
    if (trigger !== 'ok') return fail(trigger);
    // The modal belongs to whoever's command or click the trigger came with.
    const user = workspace.triggers.userOf(triggerId);
    const top = user === undefined ? undefined : workspace.modals.top(user);
    const previous = pushed ? (stringArg(args, 'previous_view_id') ?? top) : undefined;
    const view = workspace.views.open(checked.view, previous ?? null);
    if (user !== undefined) {
      if (pushed) workspace.modals.push(user, view.id);
      else workspace.modals.open(user, view.id);
    }
    return { ok: true, view };
  };
}

export const open = opener(false);
export const push = opener(true);

export const update: MethodHandler = (args, workspace) => {
  const viewId = stringArg(args, 'view_id');
  const externalId = stringArg(args, 'external_id');
  if (viewId === undefined && externalId === undefined) return invalid('view_id or external_id is required');
  const current =
    viewId !== undefined ? workspace.views.get(viewId) : workspace.views.findByExternalId(externalId ?? '');
  if (current === undefined) return fail('not_found');
  const hash = stringArg(args, 'hash');
  if (hash !== undefined && hash !== current.hash) return fail('hash_conflict');
  const checked = checkedView(args);
  if ('problem' in checked) return invalid(checked.problem);
  return { ok: true, view: workspace.views.replace(current.id, checked.view) };
};
