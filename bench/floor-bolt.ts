/**
 * Figure 3's floor: a bare Bolt app of the bot's version that does the least `/vps show <id>` can do:
 * ack, one GET of the server from VPS.org, one post of its name and status to the response_url. The
 * same hops as the bot's, with nothing of the bot's in between, so that the bot's figure minus this
 * one is the bot's own cost. Run as its own process, like the bot; logs one JSON line with its port.
 */
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';

const apiUrl = (process.env.VPS_API_URL ?? '').replace(/\/$/, '');
const apiToken = process.env.VPS_API_TOKEN ?? '';

const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  deferInitialization: true,
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});

app.command('/vps', async ({ ack, command }) => {
  await ack();
  const id = command.text.split(' ')[1] ?? '';
  const answer = await fetch(`${apiUrl}/servers/${encodeURIComponent(id)}/`, {
    headers: { authorization: `Bearer ${apiToken}`, accept: 'application/json' },
  });
  const server = (await answer.json()) as { name?: string; status?: string };
  await fetch(command.response_url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', text: `${server.name}: ${server.status}` }),
  });
});

await app.init();
const server = await app.start(Number(process.env.PORT ?? 0));
const address = server.address() as AddressInfo | string | null;
const port = typeof address === 'object' && address ? address.port : undefined;
process.stdout.write(`${JSON.stringify({ msg: 'floor bolt is running', port })}\n`);
