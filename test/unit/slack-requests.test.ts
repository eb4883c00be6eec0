import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { slackRequests } from '../../src/slack/slack-requests.js';

// A server that holds every request until the test lets them go, counting how many it holds at once.
const held: ServerResponse[] = [];
let mostAtOnce = 0;
let arrived: () => void = () => {};
const server = createServer((req, res) => {
  req.resume();
  held.push(res);
  mostAtOnce = Math.max(mostAtOnce, held.length);
  arrived();
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const heldCount = (count: number) =>
  new Promise<void>((resolve) => {
    arrived = () => {
      if (held.length >= count) resolve();
    };
    arrived();
  });

it('sends at most its bound at once; the rest go as answers come back', async () => {
  const { fetch } = slackRequests(3);
  const answers = Array.from({ length: 10 }, (_, i) =>
    fetch(`${url}${i}`, { method: 'POST', body: String(i) }),
  );
  const statuses: number[] = [];
  for (let sent = 0; sent < 10; ) {
    await heldCount(Math.min(3, 10 - sent));
    const batch = held.splice(0);
    sent += batch.length;
    for (const res of batch) res.end('ok');
  }
  for (const answer of answers) statuses.push((await answer).status);
  expect(statuses).toEqual(Array(10).fill(200));
  expect(mostAtOnce).toBe(3);
});

it('holds replies and Web API calls to the same bound', async () => {
  mostAtOnce = 0;
  const requests = slackRequests(2);
  const viaFetch = requests.fetch(`${url}api`, { method: 'POST', body: 'call' });
  const viaRun = requests.run(() => fetch(`${url}reply`, { method: 'POST', body: 'reply' }));
  const third = requests.run(() => fetch(`${url}third`, { method: 'POST', body: 'third' }));
  await heldCount(2);
  const first = held.splice(0);
  for (const res of first) res.end('ok');
  await heldCount(1);
  for (const res of held.splice(0)) res.end('ok');
  expect([(await viaFetch).status, (await viaRun).status, (await third).status]).toEqual([200, 200, 200]);
  expect(mostAtOnce).toBe(2);
});
