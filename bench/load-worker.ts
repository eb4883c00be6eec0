/**
 * The load generator's thread: sends prepared slash commands, signed as Slack signs them at the moment
 * they go out, and times each ack. On its own event loop, so that the simulator and the stand-in (busy
 * with the bot's requests on the main thread) cannot delay reading an ack and skew its time.
 */
import { parentPort } from 'node:worker_threads';
import { signSlackRequest } from '../src/slack-standin/index.js';
import { wallClock } from './clock.js';
import { closedLoop, type LoadJob, type SentCommand } from './load.js';

async function run(job: LoadJob) {
  return closedLoop(job.bodies.length, job.concurrency, async (index): Promise<SentCommand> => {
    const body = job.bodies[index] ?? '';
    const timestamp = Math.floor(Date.now() / 1000);
    const sentAt = wallClock();
    const response = await fetch(job.url, {
      method: 'POST',
      headers: {
        // Exactly this: Bolt parses a form body only when the header has no charset.
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Slack-Request-Timestamp': String(timestamp),
        'X-Slack-Signature': signSlackRequest(job.signingSecret, body, timestamp),
      },
      body,
    });
    await response.arrayBuffer();
    return { index, status: response.status, sentAt, ms: wallClock() - sentAt };
  });
}

// One job at a time, for the whole run: the thread, its JIT and its connections stay warm.
parentPort?.on('message', async (job: LoadJob) => parentPort?.postMessage(await run(job)));
