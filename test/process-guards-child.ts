// A process with the bot's process guards, made to fail in one of two ways. Not a test itself.
import { createLogger } from '../src/log.js';
import { guardProcess } from '../src/process-guards.js';

const logger = createLogger({ level: 'info', secrets: ['xoxb-child-secret'] });
guardProcess({
  logger,
  stop: async () => logger.info('stopped'),
});

const failure = process.argv[2];
if (failure === 'rejection') {
  void Promise.reject(new Error('lost work with xoxb-child-secret in it'));
  // Timers run after the rejection has been reported: the process is still there to say so.
  setTimeout(() => {
    logger.info('still serving');
    process.exit(0);
  }, 0);
} else if (failure === 'exception') {
  setTimeout(() => {
    throw new Error('a callback broke');
  }, 0);
  // Kept alive: only the guard's exit ends it.
  setInterval(() => undefined, 1000);
} else {
  throw new Error('usage: process-guards-child.ts rejection|exception');
}
