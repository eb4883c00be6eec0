import { INPUT_LIMITS } from '../../input-limits.js';
import type { ChangeAction } from '../../records.js';
import { parseOwnId } from '../../vps/inputs.js';
import { notice } from '../blocks/prompts.js';
import { STALE_BUTTON } from '../blocks/sentences.js';
import type { HomeTabs } from '../home.js';
import { ACTION } from '../ids.js';
import type { ChangeRequests } from './change-requests.js';
import type { HandlerDeps, Interaction } from './context.js';
import type { Forms } from './forms.js';
import { guarded } from './guard.js';
import type { Lookups } from './lookups.js';
import type { PlanRequests } from './plans.js';

export interface ClickedAction {
  actionId: string;
  value: string;
  /** The click came from an ephemeral message, which can be redrawn in place. */
  ephemeral: boolean;
}

interface Route {
  run: (ix: Interaction, click: ClickedAction) => Promise<void>;
  /** Buttons that lead to a change, for the error sentence when one fails. */
  change?: ChangeAction;
}

type ActionName = Exclude<keyof typeof ACTION, 'showPrefix'>;

/** A button whose value must be a server ID; a tampered or broken one is told so, never looked up. */
function withServer(run: (ix: Interaction, id: number, click: ClickedAction) => Promise<void>) {
  return (ix: Interaction, click: ClickedAction): Promise<void> => {
    const id = parseOwnId(click.value);
    return id === undefined ? ix.reply.ephemeral(notice(STALE_BUTTON)) : run(ix, id, click);
  };
}

/** Buttons on cards, lists and prompts. */
export class Actions {
  readonly #deps: HandlerDeps;
  readonly #routes: ReadonlyMap<string, Route>;
  readonly #show: Route;

  constructor(
    deps: HandlerDeps,
    lookups: Lookups,
    changes: ChangeRequests,
    forms: Forms,
    { plans, home }: { plans: PlanRequests; home: HomeTabs },
  ) {
    this.#deps = deps;
    const power = (action: 'start' | 'stop' | 'reboot'): Route => ({
      change: action,
      run: withServer((ix, id) => changes.request(ix, { action }, String(id))),
    });
    const routes = {
      start: power('start'),
      stop: power('stop'),
      reboot: power('reboot'),
      delete: { change: 'delete', run: withServer((ix, id) => forms.openDelete(ix, String(id))) },
      edit: { change: 'edit', run: withServer((ix, id) => forms.openEdit(ix, String(id))) },
      refresh: { run: withServer((ix, id, click) => lookups.refresh(ix, id, click.ephemeral)) },
      share: { run: (ix, click) => lookups.share(ix, click.value) },
      pageNext: { run: (ix, click) => lookups.page(ix, click.value) },
      pagePrevious: { run: (ix, click) => lookups.page(ix, click.value) },
      confirm: { run: (ix, click) => changes.confirm(ix, click.value) },
      cancel: { run: (ix, click) => changes.cancel(ix, click.value) },
      approve: { run: (ix, click) => plans.decide(ix, click.value, 'approved') },
      reject: { run: (ix, click) => plans.decide(ix, click.value, 'rejected') },
      cancelSchedule: { run: (ix, click) => plans.cancel(ix, click.value) },
      homePrevious: { run: (ix, click) => home.page(ix.actor.userId, parseOwnId(click.value) ?? 1) },
      homeNext: { run: (ix, click) => home.page(ix.actor.userId, parseOwnId(click.value) ?? 1) },
    } satisfies Record<ActionName, Route>;
    this.#routes = new Map(
      Object.entries(routes).map(([name, route]) => [ACTION[name as ActionName], route]),
    );
    this.#show = { run: withServer((ix, id) => lookups.showId(ix, id)) };
  }

  /** Whether a click is one of the bot's buttons. */
  knows(actionId: string): boolean {
    return this.#routes.has(actionId) || actionId.startsWith(ACTION.showPrefix);
  }

  async handle(ix: Interaction, click: ClickedAction): Promise<void> {
    const route =
      this.#routes.get(click.actionId) ??
      (click.actionId.startsWith(ACTION.showPrefix) ? this.#show : undefined);
    if (!route) {
      return ix.reply.ephemeral(
        notice('This button is not known to the bot (it may be from an older version).'),
      );
    }
    // Longer than any value the bot puts on a button: not one of its own, so not read at all.
    if (click.value.length > INPUT_LIMITS.buttonValue) return ix.reply.ephemeral(notice(STALE_BUTTON));
    const about = route.change ? { action: route.change, server: click.value } : {};
    await guarded(this.#deps, ix, () => route.run(ix, click), about);
  }
}
