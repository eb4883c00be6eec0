import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnPlayground } from './harness.js';

const running: ReturnType<typeof spawnPlayground>[] = [];
function spawn(...args: Parameters<typeof spawnPlayground>) {
  const pg = spawnPlayground(...args);
  running.push(pg);
  return pg;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((pg) => pg.stop()));
});

describe('npm start with no Slack settings', () => {
  it('starts the playground; its first line is where to go, then one sentence, before any log line', async () => {
    const pg = spawn({ env: { LOG_LEVEL: 'info' } });
    const url = await pg.ready;
    await expect.poll(() => pg.stdout().includes('"playground is running"'), { timeout: 10_000 }).toBe(true);
    const [first, second, ...rest] = pg.stdout().split('\n');
    expect(first).toBe(`Playground: open ${url}`);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(second).toMatch(/^This is a pretend Slack workspace.*connect a real workspace.*\.env/);
    for (const line of rest.filter((l) => l !== '')) expect(() => JSON.parse(line)).not.toThrow();
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).not.toMatch(/<script>|style=/);
    expect(await pg.stop()).toBe(0);
  });

  it('npm run playground starts it even with Slack settings', async () => {
    const pg = spawn({ env: { SLACK_BOT_TOKEN: 'xoxb-a-real-looking-token' }, args: ['--playground'] });
    expect(await pg.ready).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('turns away a page of another site, even one that points its name at 127.0.0.1', async () => {
    const pg = spawn();
    const url = await pg.ready;
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(
        `${url}playground/state?user=U0ALICE`,
        { headers: { Host: 'evil.example:80' } },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    const posted = await fetch(`${url}playground/command`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Origin: 'https://evil.example' },
      body: JSON.stringify({ user: 'U0ALICE', channel: 'C0OPS', text: '/vps stop web-server-01' }),
    });
    expect(posted.status).toBe(403);
  });

  it('says so clearly when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const pg = spawn({ env: { PORT: String(port) } });
      expect(await pg.exited).toBe(1);
      expect(pg.stderr()).toContain(`port ${port} is already in use: set PORT`);
      expect(pg.stdout()).not.toContain('Playground: open');
    } finally {
      taken.close();
    }
  });
});

describe('npm start in production with no Slack settings', () => {
  it('never falls into the playground: the settings error stays', async () => {
    const pg = spawn({ env: { NODE_ENV: 'production' } });
    expect(await pg.exited).toBe(1);
    expect(pg.stderr()).toContain('Invalid settings');
    expect(pg.stderr()).toContain('SLACK_BOT_TOKEN: is required');
    expect(pg.stdout()).not.toContain('Playground');
    expect(pg.stderr()).toContain('NODE_ENV is production, so the playground does not start');
  });

  it('takes a .env copied from .env.example for no settings, and says which one is the placeholder', async () => {
    const pg = spawn({
      env: {
        NODE_ENV: 'production',
        SLACK_BOT_TOKEN: 'xoxb-your-bot-token',
        SLACK_SIGNING_SECRET: 'a-signing-secret',
        VPS_API_TOKEN: 'a-vps-token',
      },
    });
    expect(await pg.exited).toBe(1);
    expect(pg.stderr()).toContain('SLACK_BOT_TOKEN: is still the .env.example placeholder');
    expect(pg.stdout()).not.toContain('Playground');
  });
});
