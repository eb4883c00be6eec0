import type { ChangeAction } from '../../records.js';
import { parseProblemText } from '../blocks/outcomes.js';
import { notice } from '../blocks/prompts.js';
import { type Command, parseCommand } from '../parse.js';
import type { ChangeRequests } from './change-requests.js';
import type { HandlerDeps, Interaction } from './context.js';
import type { Forms } from './forms.js';
import { guarded } from './guard.js';
import type { Lookups } from './lookups.js';
import type { PlanRequests } from './plans.js';
import type { SubscriptionCommands } from './subscription-commands.js';

type Verb = Command['verb'];
// Not Extract: several verbs share one member of the union (start, stop, reboot, delete, edit).
type Of<V extends Verb> = Command & { verb: V };

interface Route<V extends Verb> {
  run: (ix: Interaction, command: Of<V>) => Promise<void>;
  /** What the command is about, for the error sentence when it fails. */
  about?: (command: Of<V>) => { action?: ChangeAction; server?: string };
}

/** One route a verb: a verb without one does not compile. */
type Routes = { [V in Verb]: Route<V> };

export interface CommandHandlers {
  lookups: Lookups;
  changes: ChangeRequests;
  forms: Forms;
  subscriptions: SubscriptionCommands;
  plans: PlanRequests;
}

/** `/vps <text>`: parse, then hand the command to what does it. */
export class Commands {
  readonly #deps: HandlerDeps;
  readonly #lookups: Lookups;
  readonly #routes: Routes;

  constructor(deps: HandlerDeps, { lookups, changes, forms, subscriptions, plans }: CommandHandlers) {
    this.#deps = deps;
    this.#lookups = lookups;
    const onServer = <
      V extends 'start' | 'stop' | 'reboot' | 'rename' | 'hostname' | 'backups' | 'edit' | 'delete',
    >(
      run: Route<V>['run'],
    ): Route<V> => ({ run, about: (command) => ({ action: command.verb, server: command.server }) });
    const power = (ix: Interaction, command: Of<'start' | 'stop' | 'reboot'>) =>
      changes.request(ix, { action: command.verb }, command.server);
    this.#routes = {
      help: { run: (ix) => lookups.help(ix) },
      list: { run: (ix, command) => lookups.list(ix, command.filter) },
      show: {
        run: (ix, command) => lookups.show(ix, command.server),
        about: (command) => ({ server: command.server }),
      },
      history: {
        run: (ix, command) => lookups.history(ix, command.server),
        about: (command) => ({ server: command.server }),
      },
      'create-form': { run: (ix) => forms.openCreate(ix) },
      create: {
        run: (ix, command) => changes.create(ix, command.input),
        about: (command) => ({ action: 'create', server: command.input.name }),
      },
      edit: onServer((ix, command) => forms.openEdit(ix, command.server)),
      delete: onServer((ix, command) => forms.openDelete(ix, command.server)),
      start: onServer(power),
      stop: onServer(power),
      reboot: onServer(power),
      rename: onServer((ix, command) =>
        changes.request(ix, { action: 'rename', name: command.name }, command.server),
      ),
      hostname: onServer((ix, command) =>
        changes.request(ix, { action: 'hostname', hostname: command.hostname }, command.server),
      ),
      backups: onServer((ix, command) =>
        changes.request(ix, { action: 'backups', enabled: command.enabled }, command.server),
      ),
      subscribe: {
        run: (ix, command) => subscriptions.change(ix, command.verb, command.target),
        about: (command) => ({ server: command.target }),
      },
      unsubscribe: {
        run: (ix, command) => subscriptions.change(ix, command.verb, command.target),
        about: (command) => ({ server: command.target }),
      },
      subscriptions: { run: (ix) => subscriptions.list(ix) },
      schedule: {
        run: (ix, command) => plans.schedule(ix, command.action, command.server, command.when),
        about: (command) => ({ action: command.action, server: command.server }),
      },
      scheduled: { run: (ix) => plans.list(ix) },
    } satisfies Routes;
  }

  async handle(ix: Interaction, text: string): Promise<void> {
    const parsed = parseCommand(text);
    if (!parsed.ok) {
      const problem = parseProblemText(parsed.problem, parsed.usage, parsed.suggestion);
      return guarded(this.#deps, ix, () =>
        parsed.usage ? ix.reply.ephemeral(notice(problem)) : this.#lookups.help(ix, problem),
      );
    }
    await this.#dispatch(ix, parsed.command);
  }

  #dispatch<V extends Verb>(ix: Interaction, command: Of<V>): Promise<void> {
    // The table is keyed by verb, so this route takes this command: TypeScript cannot see the pairing.
    const route = this.#routes[command.verb as V] as Route<V>;
    return guarded(this.#deps, ix, () => route.run(ix, command), route.about?.(command) ?? {});
  }
}
