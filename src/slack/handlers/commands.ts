import type { ChangeAction } from '../../service/types.js';
import { parseProblemText } from '../blocks/outcomes.js';
import { type Command, parseCommand } from '../parse.js';
import type { Changes } from './changes.js';
import type { HandlerDeps, Interaction } from './context.js';
import type { Forms } from './forms.js';
import { guarded } from './guard.js';
import type { Lookups } from './lookups.js';
import type { SubscriptionCommands } from './subscriptions.js';

/** `/vps <text>`: parse, then hand the command to what does it. */
export class Commands {
  readonly #deps: HandlerDeps;
  readonly #lookups: Lookups;
  readonly #changes: Changes;
  readonly #forms: Forms;
  readonly #subscriptions: SubscriptionCommands;

  constructor(
    deps: HandlerDeps,
    lookups: Lookups,
    changes: Changes,
    forms: Forms,
    subscriptions: SubscriptionCommands,
  ) {
    this.#deps = deps;
    this.#lookups = lookups;
    this.#changes = changes;
    this.#forms = forms;
    this.#subscriptions = subscriptions;
  }

  async handle(ix: Interaction, text: string): Promise<void> {
    const parsed = parseCommand(text);
    if (!parsed.ok) {
      const problem = parseProblemText(parsed.problem, parsed.usage, parsed.suggestion);
      return guarded(this.#deps, ix, () =>
        parsed.usage
          ? ix.reply.ephemeral({ text: problem, blocks: [section(problem)] })
          : this.#lookups.help(ix, problem),
      );
    }
    const { command } = parsed;
    await guarded(this.#deps, ix, () => this.#run(ix, command), about(command));
  }

  #run(ix: Interaction, command: Command): Promise<void> {
    switch (command.verb) {
      case 'help':
        return this.#lookups.help(ix);
      case 'list':
        return this.#lookups.list(ix, command.filter);
      case 'show':
        return this.#lookups.show(ix, command.server);
      case 'create-form':
        return this.#forms.openCreate(ix);
      case 'create':
        return this.#changes.create(ix, command.input);
      case 'edit':
        return this.#forms.openEdit(ix, command.server);
      case 'delete':
        return this.#forms.openDelete(ix, command.server);
      case 'start':
      case 'stop':
      case 'reboot':
        return this.#changes.request(ix, { action: command.verb }, command.server);
      case 'rename':
        return this.#changes.request(ix, { action: 'rename', name: command.name }, command.server);
      case 'hostname':
        return this.#changes.request(ix, { action: 'hostname', hostname: command.hostname }, command.server);
      case 'backups':
        return this.#changes.request(ix, { action: 'backups', enabled: command.enabled }, command.server);
      case 'history':
        return this.#lookups.history(ix, command.server);
      case 'subscribe':
      case 'unsubscribe':
        return this.#subscriptions.change(ix, command.verb, command.target);
      case 'subscriptions':
        return this.#subscriptions.list(ix);
    }
  }
}

function section(text: string) {
  return { type: 'section' as const, text: { type: 'mrkdwn' as const, text } };
}

function about(command: Command): { action?: ChangeAction; server?: string } {
  switch (command.verb) {
    case 'help':
    case 'list':
    case 'create-form':
    case 'subscriptions':
      return {};
    case 'subscribe':
    case 'unsubscribe':
      return { server: command.target };
    case 'show':
    case 'history':
      return { server: command.server };
    case 'create':
      return { action: 'create', server: command.input.name };
    default:
      return { action: command.verb, server: command.server };
  }
}
