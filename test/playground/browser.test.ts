import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  become,
  composer,
  launchChromium,
  message,
  messages,
  scenario,
  send,
  tempStateDir,
} from './harness.js';

const SLOW = 45_000;
const WAIT = { timeout: 15_000 };

let browser: Browser | undefined;
const chromium = (): Browser => {
  if (!browser) throw new Error('Chromium did not start');
  return browser;
};

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('the playground page, in Chromium', () => {
  it(
    'loads with #ops open, behind a Content-Security-Policy, and offers /vps with its usage hint',
    () =>
      scenario(chromium, 'loads', async ({ page, pg }) => {
        const response = await page.request.get(pg.url);
        expect(response.headers()['content-security-policy']).toBe(
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        );
        await page.getByRole('heading', { name: '#ops' }).waitFor();
        expect(await page.getByRole('button', { name: '#ops' }).getAttribute('aria-current')).toBe('page');
        await page.getByRole('button', { name: '#general' }).waitFor();
        await page.getByRole('button', { name: 'vps-bot' }).waitFor();
        for (const person of ['Alice Ops', 'Bob Viewer', 'Carol Group']) {
          await page.getByRole('button', { name: new RegExp(`^${person}`) }).waitFor();
        }
        await composer(page).pressSequentially('/');
        const option = page.getByRole('listbox', { name: 'Commands' }).getByRole('option');
        await option.waitFor();
        expect(await option.textContent()).toContain('/vps');
        expect(await option.textContent()).toContain('list [status] [location=<code>]');
        await composer(page).press('Enter');
        expect(await composer(page).inputValue()).toBe('/vps ');
      }),
    SLOW,
  );

  it(
    '/vps list shows the three servers, only to the person who asked; Up recalls the command',
    () =>
      scenario(chromium, 'list', async ({ page, pg }) => {
        await send(page, '/vps list');
        const list = message(page, 'VPS.org servers');
        await list.waitFor(WAIT);
        const onScreen = performance.now() - pg.spawnedAt;
        console.log(
          `playground: process start → first card on screen in Chromium: ${Math.round(onScreen)} ms`,
        );
        const text = await list.textContent();
        for (const name of ['web-server-01', 'db-server-01', 'staging-01']) expect(text).toContain(name);
        expect(text).toContain('Only visible to you');
        await page.getByRole('heading', { name: 'VPS.org servers' }).waitFor();
        await composer(page).press('ArrowUp');
        expect(await composer(page).inputValue()).toBe('/vps list');
        await become(page, 'Bob Viewer');
        await messages(page)
          .getByRole('article')
          .first()
          .waitFor({ state: 'detached', ...WAIT });
      }),
    SLOW,
  );

  it(
    'Stop on web-server-01 asks first, then the channel card goes stopping → stopped in place, the outcome in its thread',
    () =>
      scenario(chromium, 'stop', async ({ page }) => {
        await send(page, '/vps show web-server-01');
        const card = message(page, 'Only visible to you').filter({ hasText: 'web-server-01' });
        await card.getByRole('button', { name: 'Stop', exact: true }).click(WAIT);
        const prompt = message(page, 'Stop web-server-01?');
        await prompt.waitFor(WAIT);
        expect(await prompt.textContent()).toContain('Only you can confirm this');
        await prompt.getByRole('button', { name: 'Stop web-server-01' }).click();
        const live = message(page, 'Alice Ops stopped web-server-01');
        await live.waitFor(WAIT);
        await expect.poll(() => live.textContent(), WAIT).toMatch(/stopping/);
        expect(await live.textContent()).not.toContain('Only visible to you');
        await expect.poll(() => live.textContent(), WAIT).toMatch(/Settled: .*stopped/);
        await live.getByRole('button', { name: '1 reply' }).click();
        const thread = page.getByRole('log', { name: 'Replies' });
        await thread.getByRole('article').filter({ hasText: 'web-server-01 is now' }).waitFor(WAIT);
        expect(await thread.textContent()).toMatch(/web-server-01 is now .*stopped/);
        // The prompt was answered in place: its buttons are gone.
        await message(page, 'Stop web-server-01?').waitFor({ state: 'detached', ...WAIT });
      }),
    SLOW,
  );

  it(
    'a non-operator is refused with a clear sentence, and nothing changes',
    () =>
      scenario(chromium, 'refused', async ({ page }) => {
        await become(page, 'Bob Viewer');
        await send(page, '/vps show web-server-01');
        const card = message(page, 'Only visible to you').filter({ hasText: 'web-server-01' });
        await card.getByRole('button', { name: 'Stop', exact: true }).click(WAIT);
        const refusal = message(page, 'Only operators may change servers');
        await refusal.waitFor(WAIT);
        expect(await refusal.textContent()).toContain('Ask an admin to add you to VPS_OPERATORS');
        expect(await page.getByRole('combobox', { name: 'Status of web-server-01' }).inputValue()).toBe(
          'active',
        );
        // Carol is an operator through her user group, and does not see Bob's messages.
        await become(page, 'Carol Group');
        await messages(page)
          .getByRole('article')
          .first()
          .waitFor({ state: 'detached', ...WAIT });
        await send(page, '/vps stop staging-01');
        await message(page, 'staging-01').waitFor(WAIT);
        expect(await messages(page).textContent()).not.toContain('Only operators may change servers');
      }),
    SLOW,
  );

  it(
    '/vps delete asks to type the name: a wrong one is refused under the field, the right one deletes',
    () =>
      scenario(chromium, 'delete', async ({ page }) => {
        await send(page, '/vps delete staging-01');
        const dialog = page.getByRole('dialog', { name: 'Delete server' });
        const field = dialog.getByLabel('Type staging-01 to delete it');
        await field.waitFor(WAIT);
        await field.fill('staging-02');
        await dialog.getByRole('button', { name: 'Delete' }).click();
        const error = dialog.getByText('That is not the name. Type staging-01 exactly; nothing was deleted.');
        await error.waitFor(WAIT);
        expect(await field.getAttribute('aria-invalid')).toBe('true');
        expect(await field.getAttribute('aria-describedby')).toContain(await error.getAttribute('id'));
        await field.fill('staging-01');
        await dialog.getByRole('button', { name: 'Delete' }).click();
        await dialog.getByText('Done: delete staging-01.').waitFor(WAIT);
        expect(await dialog.getByRole('button', { name: 'Delete' }).count()).toBe(0);
        await message(page, 'Alice Ops deleted staging-01').waitFor(WAIT);
        await page
          .getByRole('combobox', { name: 'Status of staging-01' })
          .waitFor({ state: 'detached', ...WAIT });
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached', ...WAIT });
        await composer(page).waitFor();
      }),
    SLOW,
  );

  it(
    '/vps create: an invalid name is shown under its field, a valid form is reviewed and creates the server',
    () =>
      scenario(chromium, 'create', async ({ page }) => {
        await send(page, '/vps create');
        const form = page.getByRole('dialog', { name: 'Create server' });
        const plan = form.getByRole('combobox', { name: /^Plan/ });
        await plan.waitFor(WAIT);
        await form.getByRole('textbox', { name: 'Name', exact: true }).fill('bad name!');
        await plan.selectOption({ label: 'Standard VPS · 2 vCPU · 4 GB · 80 GB' });
        await form.getByRole('combobox', { name: /^Operating system/ }).selectOption({ label: 'Debian 12' });
        await form.getByRole('combobox', { name: /^Location/ }).selectOption('eu-central');
        await form.getByRole('button', { name: 'Review' }).click();
        const nameField = form.getByRole('textbox', { name: 'Name', exact: true });
        await expect.poll(() => nameField.getAttribute('aria-invalid'), WAIT).toBe('true');
        const describedBy = (await nameField.getAttribute('aria-describedby')) ?? '';
        const errorText = await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).textContent();
        expect(errorText).toMatch(/name/i);
        await nameField.fill('web-server-02');
        await form.getByRole('button', { name: 'Review' }).click();
        const review = page.getByRole('dialog', { name: 'Review new server' });
        await review.getByText('Create this server?').waitFor(WAIT);
        expect(await review.textContent()).toContain('Debian 12');
        await review.getByRole('button', { name: 'Create' }).click();
        await message(page, 'web-server-02').filter({ hasText: 'Alice Ops' }).waitFor(WAIT);
        await page.getByRole('combobox', { name: 'Status of web-server-02' }).waitFor(WAIT);
      }),
    SLOW,
  );

  it(
    'a status changed behind the bot\u2019s back in the VPS.org panel is announced in #ops',
    () =>
      scenario(chromium, 'fleet watch', async ({ page }) => {
        await page.getByRole('button', { name: '#general' }).click();
        await composer(page, '#general').waitFor();
        await page.getByRole('combobox', { name: 'Status of db-server-01' }).selectOption('stopped');
        await page.getByRole('button', { name: '#ops' }).click();
        const notice = message(page, /db-server-01: .*active → .*stopped/);
        await notice.waitFor(WAIT);
        expect(await notice.textContent()).toContain('seen by the fleet watch');
        expect(await notice.textContent()).not.toContain('Only visible to you');
      }),
    SLOW,
  );

  it(
    'a hostile server name is shown as its characters, and no script runs',
    () =>
      scenario(chromium, 'hostile', async ({ page, scriptDialogs }) => {
        const hostile = '<img src=x onerror=alert(1)>';
        await page.getByLabel('Server name').fill(hostile);
        await page.getByRole('button', { name: 'Add server', exact: true }).click();
        await page.getByRole('combobox', { name: `Status of ${hostile}` }).waitFor(WAIT);
        await send(page, '/vps list');
        const list = message(page, 'VPS.org servers');
        await list.waitFor(WAIT);
        expect(await list.textContent()).toContain(hostile);
        expect(await page.locator('img').count()).toBe(0);
        expect(await list.locator('strong', { hasText: hostile }).count()).toBe(1);
        expect(scriptDialogs).toEqual([]);
      }),
    SLOW,
  );

  it(
    'a reload shows the same conversation, and a restart keeps it, servers and all',
    async () => {
      const stateDir = tempStateDir();
      const card = (page: Page) => message(page, 'Only visible to you').filter({ hasText: 'db-server-01' });
      try {
        await scenario(
          chromium,
          'reload',
          async ({ page }) => {
            await send(page, '/vps show db-server-01');
            await card(page).waitFor(WAIT);
            await page.getByRole('combobox', { name: 'Status of staging-01' }).selectOption('suspended');
            await page.reload();
            await card(page).waitFor(WAIT);
          },
          { stateDir },
        );
        await scenario(
          chromium,
          'restart',
          async ({ page }) => {
            await card(page).waitFor(WAIT);
            await expect
              .poll(() => page.getByRole('combobox', { name: 'Status of staging-01' }).inputValue(), WAIT)
              .toBe('suspended');
          },
          { stateDir },
        );
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    },
    SLOW,
  );
});
