/**
 * The baseline for ack latency: a bare Bolt app of the bot's version, in HTTP mode, whose only listener
 * acks `/vps`. Run as its own process, like the bot; logs one JSON line with its port once it listens.
 */
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';

const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  // The bot initialises the same way: auth.test once, before listening.
  deferInitialization: true,
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});

app.command('/vps', async ({ ack }) => {
  await ack();
});

await app.init();
const server = await app.start(Number(process.env.PORT ?? 0));
const address = server.address() as AddressInfo | string | null;
const port = typeof address === 'object' && address ? address.port : undefined;
process.stdout.write(`${JSON.stringify({ msg: 'bare bolt is running', port })}\n`);
