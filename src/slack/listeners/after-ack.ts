import type { InFlight } from '../../inflight.js';
import { errorFields, type Logger } from '../../log.js';
import { notice } from '../blocks/prompts.js';
import { errorSentence } from '../blocks/sentences.js';
import type { Reply } from '../handlers/context.js';
import type { RequestAbout } from '../receiver/about.js';

/**
 * Runs a request's work after its ack (tracked for a bounded shutdown), as the last line of defence
 * for that one request: whatever escapes the handlers is logged once, with its stack and the
 * request's context, and the person who asked hears the one sentence for an unexpected failure.
 * It never rejects: one request's failure stays its own.
 */
export function afterAck(
  inflight: InFlight,
  logger: Logger,
  request: { about?: RequestAbout | undefined; reply?: Reply | undefined },
  work: () => Promise<void>,
): Promise<void> {
  return inflight.run(async () => {
    try {
      await work();
    } catch (error) {
      logger.error({ ...errorFields(error), ...request.about }, 'request failed');
      await request.reply?.ephemeral(notice(errorSentence(error)));
    }
  });
}
