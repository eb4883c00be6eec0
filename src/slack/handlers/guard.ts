import { errorFields } from '../../log.js';
import type { ChangeAction } from '../../records.js';
import { StoreUnavailableError } from '../../store/errors.js';
import { VpsError } from '../../vps/errors.js';
import { notice } from '../blocks/prompts.js';
import { errorSentence } from '../blocks/sentences.js';
import type { HandlerDeps, Interaction } from './context.js';

/** Runs a handler; any failure ends as one clear sentence to the person, the details in the log. */
export async function guarded(
  deps: HandlerDeps,
  ix: Interaction,
  work: () => Promise<void>,
  about: { action?: ChangeAction; server?: string } = {},
): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof VpsError) {
      deps.logger.warn(
        { kind: error.kind, status: error.status, operation: error.operation, ...ix.about },
        error.message,
      );
    } else if (error instanceof StoreUnavailableError) {
      deps.logger.warn({ ...errorFields(error), ...ix.about }, 'refused: the state store is unavailable');
    } else {
      deps.logger.error({ ...errorFields(error), ...ix.about }, 'handler failed');
    }
    await ix.reply.ephemeral(notice(errorSentence(error, about.action, about.server)));
  }
}
