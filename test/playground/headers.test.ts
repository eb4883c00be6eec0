import { afterEach, describe, expect, it } from 'vitest';
import { EventStream } from '../../src/playground/events.js';
import { CONTENT_SECURITY_POLICY } from '../../src/playground/http.js';
import { Routes } from '../../src/playground/routes.js';
import { furnish } from '../../src/playground/workspace.js';
import { SlackStandin } from '../../src/slack-standin/index.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

/** The page's port as the playground serves it: its routes first, the stand-in's behind them. */
async function pagePort(): Promise<string> {
  const events = new EventStream();
  let port = 0;
  let routes: Routes | undefined;
  const slack = new SlackStandin({
    intercept: (req, res) => routes?.handle(req, res) ?? Promise.resolve(false),
  });
  routes = new Routes(
    {
      slack,
      panel: undefined,
      externalVpsUrl: 'https://vps.example',
      events,
      assets: new Map([['/', { body: '<!doctype html>', type: 'text/html; charset=utf-8' }]]),
      command: { name: '/vps', description: '', usageHint: '' },
      ready: Promise.resolve(),
      changed: () => undefined,
      clearConversation: () => {
        throw new Error('a route that fails unexpectedly');
      },
    },
    () => port,
  );
  await slack.listen();
  port = Number(new URL(slack.origin).port);
  furnish(slack);
  cleanup.push(
    () => slack.close(),
    () => events.close(),
  );
  return slack.origin;
}

describe('every answer on the page\u2019s origin', () => {
  it('carries the Content-Security-Policy, error pages and the stand-in\u2019s own answers too', async () => {
    const origin = await pagePort();
    const json = { 'Content-Type': 'application/json' };
    const answers: [string, Response][] = [
      ['GET /', await fetch(`${origin}/`)],
      ['GET /nope (404)', await fetch(`${origin}/nope`)],
      ['DELETE / (405)', await fetch(`${origin}/`, { method: 'DELETE' })],
      ['GET /playground/state (400)', await fetch(`${origin}/playground/state`)],
      ['GET /response/nope', await fetch(`${origin}/response/nope`)],
      [
        'POST /response/nope',
        await fetch(`${origin}/response/nope`, { method: 'POST', headers: json, body: '{}' }),
      ],
      ['GET /api/nope', await fetch(`${origin}/api/nope`)],
      ['POST /api/auth.test', await fetch(`${origin}/api/auth.test`, { method: 'POST' })],
      [
        'POST /playground/clear (500)',
        await fetch(`${origin}/playground/clear`, { method: 'POST', headers: json, body: '{}' }),
      ],
    ];
    expect(answers.find(([what]) => what.includes('500'))?.[1].status).toBe(500);
    for (const [what, response] of answers) {
      await response.arrayBuffer();
      expect({ what, csp: response.headers.get('content-security-policy') }).toEqual({
        what,
        csp: CONTENT_SECURITY_POLICY,
      });
      expect({ what, nosniff: response.headers.get('x-content-type-options') }).toEqual({
        what,
        nosniff: 'nosniff',
      });
    }
  });
});
