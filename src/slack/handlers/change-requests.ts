import type { ChangeSpec } from '../../records.js';
import type { RequestOutcome } from '../../service/service.js';
import type { CreateServerInput } from '../../vps/inputs.js';
import { confirmOutcomeText, requestOutcomeText } from '../blocks/outcomes.js';
import { confirmPrompt, createPreview, notice } from '../blocks/prompts.js';
import type { HandlerDeps, Interaction } from './context.js';

/** Changes asked for by command or card button, and the answers to their confirmation prompts. */
export class ChangeRequests {
  readonly #deps: HandlerDeps;

  constructor(deps: HandlerDeps) {
    this.#deps = deps;
  }

  async request(ix: Interaction, spec: ChangeSpec, ref: string): Promise<void> {
    await this.#present(ix, await this.#deps.service.requestChange(ix.actor, spec, ref));
  }

  /** The one-line create shows what it will create (plan specs, OS, location) before it creates. */
  async create(ix: Interaction, input: CreateServerInput): Promise<void> {
    const outcome = await this.#deps.service.requestCreate(ix.actor, input);
    if (outcome.kind !== 'confirm') return this.#present(ix, outcome);
    const catalogue = await this.#deps.service.catalogue();
    await ix.reply.ephemeral(confirmPrompt(outcome.confirmation, createPreview(input, catalogue)));
  }

  async confirm(ix: Interaction, confirmationId: string): Promise<void> {
    const outcome = await this.#deps.service.confirm(ix.actor, confirmationId);
    const text = confirmOutcomeText(outcome, this.#deps.now());
    // Someone else's click, or a second one, must not wipe the prompt of the person who asked.
    if (outcome.kind === 'wrong_user' || outcome.kind === 'used') return ix.reply.ephemeral(notice(text));
    await ix.reply.replace(notice(text));
  }

  async cancel(ix: Interaction, confirmationId: string): Promise<void> {
    const outcome = await this.#deps.service.cancel(ix.actor, confirmationId);
    if (outcome.kind === 'cancelled')
      return ix.reply.replace(notice('Cancelled. Nothing was sent to VPS.org.'));
    const text = confirmOutcomeText(outcome, this.#deps.now());
    if (outcome.kind === 'wrong_user' || outcome.kind === 'used') return ix.reply.ephemeral(notice(text));
    await ix.reply.replace(notice(text));
  }

  async #present(ix: Interaction, outcome: RequestOutcome): Promise<void> {
    if (outcome.kind === 'confirm') return ix.reply.ephemeral(confirmPrompt(outcome.confirmation));
    // A change that went through is told by its card in the channel; without one, to the person.
    if (outcome.kind === 'done') {
      if (!outcome.change.announced)
        await ix.reply.ephemeral(notice(confirmOutcomeText(outcome, this.#deps.now())));
      return;
    }
    const text = requestOutcomeText(outcome, this.#deps.now());
    if (text) await ix.reply.ephemeral(notice(text));
  }
}
