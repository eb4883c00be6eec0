import { errorFields, type Logger } from './log.js';

export interface ProcessGuardOptions {
  logger: Logger;
  /** After an uncaught exception: stop taking requests and finish what is under way (bounded). */
  stop: () => Promise<void>;
  /** How long `stop` may take before the process exits anyway. */
  stopWithinMs?: number;
  exit?: (code: number) => void;
}

/**
 * The last line of defence for the whole process, below every per-request one. What is safe to
 * survive, and what is not:
 *
 * - An unhandled rejection is a promise nobody waited for: its own work is lost, but a rejection
 *   unwinds only its own async chain, so nothing else was interrupted half-way. It is logged with
 *   its stack and the bot carries on.
 * - An uncaught exception is a synchronous throw from a callback (a timer, a socket, an emitter)
 *   that unwound an unknown part of the stack: Node's state may be inconsistent (a half-updated map,
 *   a lock never released), and carrying on could do the wrong thing to a server. It is logged with
 *   its stack; the bot stops taking requests, lets work under way finish (bounded) and exits 1 for
 *   its supervisor to start it again. Nothing durable is lost: the state store writes atomically,
 *   and followed servers and open confirmations are picked up again at start.
 *
 * Request handling never gets here: every request's work runs in promises that catch their own
 * failures (src/slack/listeners/after-ack.ts, handlers/guard.ts, Bolt's app.error).
 */
export function guardProcess(options: ProcessGuardOptions): void {
  const { logger, stop } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  process.on('unhandledRejection', (reason) => {
    logger.error(errorFields(reason), 'unhandled rejection: its work is lost, the bot carries on');
  });
  let stopping = false;
  process.on('uncaughtException', (error) => {
    logger.fatal(errorFields(error), 'uncaught exception: the bot stops and exits 1, to be restarted');
    if (stopping) return;
    stopping = true;
    const deadline = setTimeout(() => exit(1), options.stopWithinMs ?? 15_000);
    deadline.unref();
    stop()
      .catch((stopError: unknown) => logger.error(errorFields(stopError), 'could not stop cleanly'))
      .finally(() => exit(1));
  });
}
