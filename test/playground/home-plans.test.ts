import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { become, chromiumForThisFile, message, messages, scenario, send } from './harness.js';

// Its own file, so it runs beside browser.test.ts rather than after it: the schedule waits real time.
const SLOW = 60_000;
const WAIT = { timeout: 15_000 };

const chromium = chromiumForThisFile();

/** The app in the sidebar, on its Home tab, as a person finds it. */
async function openHome(page: Page) {
  await page.getByRole('navigation').getByRole('button', { name: 'vps-bot' }).click();
  await page
    .getByRole('tablist', { name: 'vps-bot' })
    .getByRole('tab', { name: 'Home', selected: true })
    .waitFor(WAIT);
  return page.getByRole('tabpanel', { name: 'Home' });
}

/** HH:MM of an instant in a time zone, as Slack's {time} shows it. */
function clock(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

async function openOps(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: '#ops', exact: true }).click();
  await messages(page).waitFor(WAIT);
}

describe('App Home, two-person approval and schedules in the playground, in Chromium', () => {
  it(
    'the Home tab shows the fleet by status; its Stop asks Alice alone in #ops, its Start acts, and it updates live',
    () =>
      scenario(chromium, 'home tab', async ({ page }) => {
        const home = await openHome(page);
        await home.getByRole('heading', { name: 'VPS.org fleet' }).waitFor(WAIT);
        const text = () => home.textContent();
        expect(await text()).toMatch(/Fleet: 3 servers\s*By status: \S+ active 2 · \S+ stopped 1/);
        expect(await text()).toContain('You are an operator: you may change servers.');

        await home.getByRole('button', { name: 'Stop web-server-01' }).click();
        const answered = home
          .getByRole('status')
          .filter({ hasText: 'vps-bot answered in #ops, visible only to you.' });
        await answered.waitFor(WAIT);
        await answered.getByRole('button', { name: 'Go to #ops' }).click();
        const prompt = message(page, 'Stop web-server-01?');
        await prompt.waitFor(WAIT);
        expect(await prompt.textContent()).toContain('Only visible to you');
        await prompt.getByRole('button', { name: 'Stop web-server-01' }).click();
        await message(page, 'Alice Ops stopped web-server-01').waitFor(WAIT);

        // Back on Home, the change shows without a reload; Start needs no confirmation.
        await openHome(page);
        await expect.poll(text, WAIT).toMatch(/By status: \S+ stopped 2 · \S+ active 1/);
        await home.getByRole('button', { name: 'Start staging-01' }).click();
        await home.getByRole('status').filter({ hasText: 'vps-bot posted in #ops.' }).waitFor(WAIT);
        await expect.poll(text, WAIT).toMatch(/Last changes[\s\S]*start staging-01/);
        await openOps(page);
        await message(page, 'Alice Ops started staging-01').waitFor(WAIT);

        // Bob sees neither Alice's prompt nor any power button on his own Home tab.
        await become(page, 'Bob Viewer');
        await message(page, 'Stop web-server-01?').waitFor({ state: 'detached', ...WAIT });
        const bobs = await openHome(page);
        await bobs.getByText('You may look; changing servers is for operators.').waitFor(WAIT);
        expect(await bobs.getByRole('button', { name: /^(Stop|Start|Reboot) / }).count()).toBe(0);
        await bobs.getByRole('button', { name: 'Show web-server-01' }).waitFor(WAIT);
        // The tabs work from the keyboard, as ARIA's tab pattern says: the arrow shows Messages, his DM.
        await page.getByRole('tab', { name: 'Home', selected: true }).focus();
        await page.keyboard.press('ArrowRight');
        await page.getByRole('tab', { name: 'Messages', selected: true }).waitFor(WAIT);
        await page.getByRole('textbox', { name: 'Message vps-bot' }).waitFor(WAIT);
        expect(await page.getByRole('tabpanel', { name: 'Messages' }).count()).toBe(1);
      }),
    SLOW,
  );

  it(
    'a reboot waits for a second operator: Bob is refused, Carol approves, and the card names both',
    () =>
      scenario(chromium, 'approval', async ({ page }) => {
        await send(page, '/vps reboot web-server-01');
        const prompt = message(page, 'Reboot web-server-01?');
        await prompt.getByRole('button', { name: 'Reboot web-server-01' }).click(WAIT);
        await message(page, 'This needs a second operator').waitFor(WAIT);
        const request = message(page, 'asks for a second operator’s approval: reboot web-server-01');
        await request.waitFor(WAIT);
        expect(await request.textContent()).toContain('@Alice Ops asks');
        expect(await request.textContent()).not.toContain('Only visible to you');
        // Its expiry is a Slack date token: each reader sees it in their own Slack time zone.
        const until = request.locator('time').first();
        const expires = new Date((await until.getAttribute('datetime')) ?? '');
        expect(await until.textContent()).toContain(clock(expires, 'Europe/London'));

        await become(page, 'Bob Viewer');
        await request.getByRole('button', { name: 'Approve' }).click(WAIT);
        const refused = message(page, 'Only operators may approve or reject changes, and you are not one.');
        await refused.waitFor(WAIT);
        expect(await refused.textContent()).toContain('Only visible to you');

        // Carol's Home tab has it waiting for her; she answers the request in the channel.
        await become(page, 'Carol Group');
        const carols = await openHome(page);
        await carols.getByText(/Waiting for your approval \(1\)/).waitFor(WAIT);
        await openOps(page);
        expect(await messages(page).textContent()).not.toContain('Only operators may approve');
        expect(await until.textContent()).toContain(clock(expires, 'Asia/Tokyo'));
        await request.getByRole('button', { name: 'Approve' }).click(WAIT);
        await message(page, 'Approved.').waitFor(WAIT);
        const card = message(page, 'Alice Ops rebooted web-server-01, approved by @Carol Group');
        await card.waitFor(WAIT);
        await expect.poll(() => card.textContent(), WAIT).toMatch(/Settled: .*active/);
        await request.filter({ hasText: 'Approved by @Carol Group' }).waitFor(WAIT);
        expect(await request.getByRole('button', { name: 'Approve' }).count()).toBe(0);
      }),
    SLOW,
  );

  it(
    'a stop scheduled in 20 s is confirmed, listed by /vps scheduled, and fires: the card names who scheduled it',
    () =>
      scenario(chromium, 'schedule', async ({ page }) => {
        await send(page, '/vps stop web-server-01 in 20s');
        const prompt = message(page, /Stop web-server-01 at .*\(Europe\/London\)/);
        await prompt.waitFor(WAIT);
        expect(await prompt.textContent()).toContain('Only visible to you');
        await prompt.getByRole('button', { name: 'Stop web-server-01' }).click();
        await message(page, 'Scheduled: stop web-server-01').waitFor(WAIT);

        await send(page, '/vps scheduled');
        const list = message(page, 'Scheduled changes · 1 pending');
        await list.waitFor(WAIT);
        expect(await list.textContent()).toMatch(/stop web-server-01 .* · by @Alice Ops/);
        await list.getByRole('button', { name: 'Cancel' }).waitFor(WAIT);
        expect(await page.getByRole('combobox', { name: 'Status of web-server-01' }).inputValue()).toBe(
          'active',
        );

        // Nothing to click: the scheduler acts at the time, on its own.
        const card = message(page, /Alice Ops stopped web-server-01, as scheduled for/);
        await card.waitFor({ timeout: 45_000 });
        expect(await card.textContent()).not.toContain('Only visible to you');
        await expect.poll(() => card.textContent(), WAIT).toMatch(/Settled: .*stopped/);
        await expect
          .poll(() => page.getByRole('combobox', { name: 'Status of web-server-01' }).inputValue(), WAIT)
          .toBe('stopped');
      }),
    SLOW,
  );
});
