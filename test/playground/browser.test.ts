import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  become,
  chromiumForThisFile,
  composer,
  message,
  messages,
  scenario,
  send,
  tempStateDir,
} from './harness.js';

const SLOW = 45_000;
const WAIT = { timeout: 15_000 };

const chromium = chromiumForThisFile();

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
        // The manifest's hint names the scheduled forms too.
        expect(await option.textContent()).toContain(
          'at <HH:MM>|in <30m> | stop <server> for <2h> | scheduled',
        );
        await composer(page).press('Enter');
        expect(await composer(page).inputValue()).toBe('/vps ');
        // The DM with the bot answers too: the app's Messages tab.
        await page.getByRole('button', { name: 'vps-bot' }).click();
        await page.getByRole('tablist', { name: 'vps-bot' }).getByRole('tab', { name: 'Messages' }).click();
        await send(page, '/vps help', 'vps-bot');
        await message(page, '/vps list', 'vps-bot').waitFor(WAIT);
        expect(await messages(page, 'vps-bot').textContent()).toContain('Only visible to you');
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
        await send(page, '/vps stop web-server-01');
        await message(page, 'Stop web-server-01?').waitFor(WAIT);
        expect(await messages(page).textContent()).not.toContain('Only operators may change servers');
      }),
    SLOW,
  );

  it(
    '/vps delete asks to type the name: a wrong one is refused under the field; the right one, once a second operator approves, deletes',
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
        // The playground's VPS_APPROVAL_REQUIRED names delete: the typed name asks a second operator.
        await dialog.getByText(/second operator/).waitFor(WAIT);
        expect(await dialog.getByRole('button', { name: 'Delete' }).count()).toBe(0);
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached', ...WAIT });
        const request = message(page, 'asks for a second operator’s approval: delete staging-01');
        await request.waitFor(WAIT);
        expect(await page.getByRole('combobox', { name: 'Status of staging-01' }).count()).toBe(1);
        await become(page, 'Carol Group');
        await request.getByRole('button', { name: 'Approve' }).click(WAIT);
        await message(page, 'Alice Ops deleted staging-01, approved by @Carol Group').waitFor(WAIT);
        await page
          .getByRole('combobox', { name: 'Status of staging-01' })
          .waitFor({ state: 'detached', ...WAIT });
        await composer(page).waitFor();
      }),
    SLOW,
  );

  it(
    'a modal opened from a card\u2019s button gives focus back to that button when it closes',
    () =>
      scenario(chromium, 'modal focus', async ({ page }) => {
        await send(page, '/vps show staging-01');
        const card = message(page, 'Only visible to you').filter({ hasText: 'staging-01' });
        const edit = card.getByRole('button', { name: 'Edit' });
        await edit.click(WAIT);
        const dialog = page.getByRole('dialog', { name: 'Edit server' });
        await dialog.getByRole('textbox', { name: 'Name', exact: true }).waitFor(WAIT);
        // Focus stays in the dialog: a click on the backdrop, or focus sent to the page behind it.
        const inDialog = () => dialog.evaluate((el) => el.contains(document.activeElement));
        await page.mouse.click(3, 3);
        expect(await inDialog()).toBe(true);
        await composer(page).evaluate((el) => (el as HTMLElement).focus());
        await expect.poll(inDialog, WAIT).toBe(true);
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached', ...WAIT });
        await expect.poll(() => edit.evaluate((el) => el === document.activeElement), WAIT).toBe(true);
        // And again with Cancel, by keyboard only.
        await edit.press('Enter');
        await dialog.getByRole('button', { name: 'Cancel' }).click(WAIT);
        await dialog.waitFor({ state: 'detached', ...WAIT });
        await expect.poll(() => edit.evaluate((el) => el === document.activeElement), WAIT).toBe(true);
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
    'with the balance switched off in the VPS.org panel, creating a server is refused with 402 and says so',
    () =>
      scenario(chromium, 'balance', async ({ page }) => {
        const balance = page.getByRole('checkbox', { name: /^Balance OK/ });
        expect(await page.getByText(/creating a server is refused with 402/).count()).toBe(1);
        await balance.uncheck();
        await expect.poll(() => balance.isChecked(), WAIT).toBe(false);
        await send(page, '/vps create');
        const form = page.getByRole('dialog', { name: 'Create server' });
        await form.getByRole('textbox', { name: 'Name', exact: true }).fill('web-server-02', WAIT);
        await form
          .getByRole('combobox', { name: /^Plan/ })
          .selectOption({ label: 'Standard VPS · 2 vCPU · 4 GB · 80 GB' });
        await form.getByRole('combobox', { name: /^Operating system/ }).selectOption({ label: 'Debian 12' });
        await form.getByRole('combobox', { name: /^Location/ }).selectOption('eu-central');
        await form.getByRole('button', { name: 'Review' }).click();
        await page
          .getByRole('dialog', { name: 'Review new server' })
          .getByRole('button', { name: 'Create' })
          .click(WAIT);
        await page
          .getByText(/balance is too low \(402\)/)
          .first()
          .waitFor(WAIT);
        expect(await page.getByRole('combobox', { name: 'Status of web-server-02' }).count()).toBe(0);
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

const bot = { user: 'U0BOT', bot_id: 'B0BOT', app_id: 'A0APP', team: 'T0001', type: 'message' as const };
const plain = (text: string) => ({ type: 'plain_text', text });
const modalView = (id: string, title: string, previous: string | null) => ({
  id,
  hash: `1.${id}`,
  type: 'modal',
  title: plain(title),
  close: plain('Cancel'),
  submit: plain('Save'),
  callback_id: 'vps.gallery',
  private_metadata: '',
  previous_view_id: previous,
  root_view_id: 'V0000000001',
  blocks: [
    {
      type: 'input',
      block_id: `${title.toLowerCase()}_block`,
      label: plain(`${title} field`),
      element: { type: 'plain_text_input', action_id: 'value' },
    },
  ],
});

/** A workspace as a restart would find it: every kind of block the page draws, and two stacked modals. */
function gallery(stateDir: string): void {
  const ts = '1700000000.000100';
  const snapshot = {
    version: 1,
    ids: { messages: 10, triggers: 0, views: 2, responses: 0 },
    messages: {
      channels: [
        {
          ...bot,
          channel: 'C0OPS',
          ts,
          text: 'Block Kit gallery',
          blocks: [
            { type: 'header', text: plain('Block Kit gallery') },
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text: '*bold* _italic_ ~struck~ `code` <https://vps.example/a?b=1&amp;c=2|a link> <@U0BOB> <#C0GENERAL> <!here> &amp;lt;b&amp;gt; &lt;i&gt; <@U0CAROL|carol> <#C0OPS|old-name> <!channel> <javascript:alert(1)|not a link>',
              },
              fields: [{ type: 'mrkdwn', text: '*Field*\nvalue' }],
            },
            { type: 'divider' },
            { type: 'section', text: { type: 'mrkdwn', text: '```\nline one\n&lt;two&gt;\n```' } },
            { type: 'context', elements: [{ type: 'mrkdwn', text: ':white_check_mark: context line' }] },
            {
              type: 'actions',
              elements: [
                {
                  type: 'button',
                  action_id: 'vps.gallery.confirm',
                  value: 'x',
                  style: 'danger',
                  text: plain('Dangerous'),
                  confirm: {
                    title: plain('Really?'),
                    text: { type: 'mrkdwn', text: 'This does *something*.' },
                    confirm: plain('Do it'),
                    deny: plain('Keep it'),
                    style: 'danger',
                  },
                },
                {
                  type: 'button',
                  action_id: 'vps.gallery.go',
                  value: 'y',
                  style: 'primary',
                  text: plain('Go'),
                },
                {
                  type: 'overflow',
                  action_id: 'vps.gallery.more',
                  options: [
                    { text: plain('First choice'), value: '1' },
                    { text: plain('Second choice'), value: '2' },
                  ],
                },
              ],
            },
          ],
        },
        { ...bot, channel: 'C0OPS', ts: '1700000000.000200', thread_ts: ts, text: 'a reply in the thread' },
      ],
      ephemeral: [],
    },
    views: [modalView('V0000000001', 'First', null), modalView('V0000000002', 'Second', 'V0000000001')],
    modals: [['U0ALICE', ['V0000000001', 'V0000000002']]],
    hooks: [],
    usergroups: [],
    membership: [],
    botDms: [],
    directory: { users: [], channels: [] },
  };
  mkdirSync(join(stateDir, 'playground'), { recursive: true });
  writeFileSync(join(stateDir, 'playground', 'slack-workspace.json'), JSON.stringify(snapshot));
}

describe('Block Kit as Slack draws it', () => {
  it(
    'stacked modals with Back, focus kept inside, Escape closes',
    async () => {
      const stateDir = tempStateDir();
      gallery(stateDir);
      try {
        await scenario(
          chromium,
          'modals',
          async ({ page }) => {
            const second = page.getByRole('dialog', { name: 'Second' });
            await second.getByRole('textbox', { name: 'Second field' }).waitFor(WAIT);
            const inDialog = () =>
              page.evaluate(
                () =>
                  document.activeElement?.closest('[role="dialog"]')?.getAttribute('aria-labelledby') ?? null,
              );
            expect(await inDialog()).not.toBeNull();
            for (let i = 0; i < 6; i += 1) {
              await page.keyboard.press('Tab');
              expect(await inDialog()).not.toBeNull();
            }
            await second.getByRole('button', { name: 'Back' }).click();
            const first = page.getByRole('dialog', { name: 'First' });
            await first.getByRole('textbox', { name: 'First field' }).waitFor(WAIT);
            expect(await first.getByRole('button', { name: 'Back' }).count()).toBe(0);
            await page.keyboard.press('Escape');
            await first.waitFor({ state: 'detached', ...WAIT });
          },
          { stateDir },
        );
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    },
    SLOW,
  );

  it(
    'text, mentions, code, buttons, confirm dialogs, menus and threads',
    async () => {
      const stateDir = tempStateDir();
      gallery(stateDir);
      try {
        await scenario(
          chromium,
          'gallery',
          async ({ page, pg }) => {
            // A malformed fragment in the address is no place: the page opens on #ops all the same.
            await page.goto(`${pg.url}#%E0%A4%A`);
            await page.reload();
            await composer(page).waitFor(WAIT);
            await page
              .getByRole('dialog', { name: 'Second' })
              .getByRole('button', { name: 'Cancel' })
              .click();
            await page.getByRole('dialog', { name: 'First' }).getByRole('button', { name: 'Cancel' }).click();
            const card = message(page, 'Block Kit gallery');
            await card.getByRole('heading', { name: 'Block Kit gallery' }).waitFor(WAIT);
            expect(await card.locator('strong', { hasText: 'bold' }).count()).toBe(1);
            expect(await card.locator('em', { hasText: 'italic' }).count()).toBe(1);
            expect(await card.locator('s', { hasText: 'struck' }).count()).toBe(1);
            expect(await card.locator('code', { hasText: 'code' }).count()).toBe(1);
            expect(await card.getByRole('link', { name: 'a link' }).getAttribute('href')).toBe(
              'https://vps.example/a?b=1&c=2',
            );
            const text = await card.textContent();
            for (const shown of [
              '@Carol Group',
              '#ops',
              '@channel',
              'not a link',
              '@Bob Viewer',
              '#general',
              '@here',
              '&lt;b&gt; <i>',
              'line one',
              '<two>',
              'context line',
            ]) {
              expect(text).toContain(shown);
            }
            expect(await card.locator('pre').textContent()).toBe('line one\n<two>');
            expect(text).not.toContain('@carol');
            expect(await card.getByRole('link').count()).toBe(1);

            const dangerous = card.getByRole('button', { name: 'Dangerous' });
            await dangerous.click();
            // A dialog as every other: role dialog, named by its title, modal.
            const confirm = page.getByRole('dialog', { name: 'Really?' });
            await confirm.waitFor(WAIT);
            expect(await confirm.getAttribute('aria-modal')).toBe('true');
            expect(await confirm.textContent()).toContain('This does something.');
            await confirm.getByRole('button', { name: 'Keep it' }).click();
            await confirm.waitFor({ state: 'detached', ...WAIT });
            await expect.poll(() => dangerous.evaluate((el) => el === document.activeElement)).toBe(true);
            await dangerous.press('Enter');
            await confirm.waitFor(WAIT);
            await page.keyboard.press('Escape');
            await confirm.waitFor({ state: 'detached', ...WAIT });
            await expect.poll(() => dangerous.evaluate((el) => el === document.activeElement)).toBe(true);
            await card.getByRole('button', { name: 'Dangerous' }).click();
            await confirm.getByRole('button', { name: 'Do it' }).click();
            const unknown = message(page, 'This button is not known to the bot');
            await unknown.waitFor(WAIT);

            await card.getByRole('button', { name: 'More actions' }).click();
            const menu = page.getByRole('menu');
            await menu.getByRole('menuitem', { name: 'Second choice' }).waitFor(WAIT);
            await page.keyboard.press('Escape');
            await menu.waitFor({ state: 'hidden', ...WAIT });
            await card.getByRole('button', { name: 'More actions' }).click();
            await menu.getByRole('menuitem', { name: 'Second choice' }).click();
            await expect.poll(() => unknown.count(), WAIT).toBe(2);

            const replies = card.getByRole('button', { name: '1 reply' });
            const focused = () => replies.evaluate((el) => el === document.activeElement);
            await replies.click();
            await page.getByRole('log', { name: 'Replies' }).getByText('a reply in the thread').waitFor(WAIT);
            await page.getByRole('button', { name: 'Close thread' }).click();
            await page.getByRole('log', { name: 'Replies' }).waitFor({ state: 'hidden', ...WAIT });
            await expect.poll(focused, WAIT).toBe(true);
            // By keyboard: Enter opens the pane, Escape closes it, focus comes back.
            await replies.press('Enter');
            await page.getByRole('log', { name: 'Replies' }).waitFor(WAIT);
            await page.keyboard.press('Escape');
            await page.getByRole('log', { name: 'Replies' }).waitFor({ state: 'hidden', ...WAIT });
            await expect.poll(focused, WAIT).toBe(true);
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
