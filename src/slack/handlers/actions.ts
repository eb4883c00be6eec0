import type { ChangeAction } from '../../service/types.js';
import { notice } from '../blocks/prompts.js';
import { ACTION } from '../ids.js';
import type { Changes } from './changes.js';
import type { HandlerDeps, Interaction } from './context.js';
import type { Forms } from './forms.js';
import { guarded } from './guard.js';
import type { Lookups } from './lookups.js';

/** Buttons that lead to a change, for the error sentence when one fails. */
const CHANGES: Record<string, ChangeAction> = {
  [ACTION.start]: 'start',
  [ACTION.stop]: 'stop',
  [ACTION.reboot]: 'reboot',
  [ACTION.delete]: 'delete',
  [ACTION.edit]: 'edit',
};

export interface ClickedAction {
  actionId: string;
  value: string;
  /** The click came from an ephemeral message, which can be redrawn in place. */
  ephemeral: boolean;
}

/** Buttons on cards, lists and prompts. */
export class Actions {
  readonly #deps: HandlerDeps;
  readonly #lookups: Lookups;
  readonly #changes: Changes;
  readonly #forms: Forms;

  constructor(deps: HandlerDeps, lookups: Lookups, changes: Changes, forms: Forms) {
    this.#deps = deps;
    this.#lookups = lookups;
    this.#changes = changes;
    this.#forms = forms;
  }

  async handle(ix: Interaction, action: ClickedAction): Promise<void> {
    const change = CHANGES[action.actionId];
    await guarded(
      this.#deps,
      ix,
      () => this.#run(ix, action),
      change ? { action: change, server: action.value } : {},
    );
  }

  #run(ix: Interaction, { actionId, value, ephemeral }: ClickedAction): Promise<void> {
    if (actionId.startsWith(ACTION.showPrefix)) return this.#lookups.showId(ix, serverId(value));
    switch (actionId) {
      case ACTION.start:
        return this.#changes.request(ix, { action: 'start' }, String(serverId(value)));
      case ACTION.stop:
        return this.#changes.request(ix, { action: 'stop' }, String(serverId(value)));
      case ACTION.reboot:
        return this.#changes.request(ix, { action: 'reboot' }, String(serverId(value)));
      case ACTION.delete:
        return this.#forms.openDelete(ix, String(serverId(value)));
      case ACTION.edit:
        return this.#forms.openEdit(ix, String(serverId(value)));
      case ACTION.refresh:
        return this.#lookups.refresh(ix, serverId(value), ephemeral);
      case ACTION.share:
        return this.#lookups.share(ix, value);
      case ACTION.pageNext:
      case ACTION.pagePrevious:
        return this.#lookups.page(ix, value);
      case ACTION.confirm:
        return this.#changes.confirm(ix, value);
      case ACTION.cancel:
        return this.#changes.cancel(ix, value);
      default:
        return ix.reply.ephemeral(
          notice('This button is not known to the bot (it may be from an older version).'),
        );
    }
  }
}

/** Button values are the bot's own; a broken one still gets a clear answer rather than a crash. */
function serverId(value: string): number {
  return /^\d+$/.test(value) ? Number(value) : Number.NaN;
}
