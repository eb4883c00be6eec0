/**
 * Makes docs/playground.png, the README's picture, with the browser tests' own code: a real playground
 * process, Chromium, and a person using the page. Run it with `npm run screenshot`.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium, message, openPage, send, startPlayground } from './harness.js';

const OUT = resolve(import.meta.dirname, '../../docs/playground.png');
const WAIT = { timeout: 20_000 };

const pg = await startPlayground();
const browser = await launchChromium();
try {
  const { page } = await openPage(browser, pg);
  await send(page, '/vps show web-server-01');
  const card = message(page, 'Only visible to you').filter({ hasText: 'web-server-01' });
  await card.getByRole('button', { name: 'Stop', exact: true }).click(WAIT);
  await message(page, 'Stop web-server-01?').getByRole('button', { name: 'Stop web-server-01' }).click(WAIT);
  const live = message(page, 'Alice Ops stopped web-server-01');
  await live.getByRole('button', { name: '1 reply' }).waitFor(WAIT);
  await page.getByRole('combobox', { name: 'Status of db-server-01' }).selectOption('suspended');
  await message(page, /db-server-01: .*suspended/).waitFor(WAIT);
  await live.getByRole('button', { name: '1 reply' }).click();
  await send(page, '/vps list');
  await message(page, 'VPS.org servers').waitFor(WAIT);
  await page.getByRole('textbox', { name: 'Message #ops' }).fill('/vps ');
  await page.waitForFunction(() => {
    const log = document.querySelector('[role="log"]');
    return log !== null && log.scrollTop + log.clientHeight >= log.scrollHeight - 2;
  });
  mkdirSync(resolve(OUT, '..'), { recursive: true });
  await page.screenshot({ path: OUT });
  console.log(`wrote ${OUT}`);
} finally {
  await browser.close();
  await pg.stop();
  rmSync(pg.stateDir, { recursive: true, force: true });
}
