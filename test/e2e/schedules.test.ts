import { DateTime } from 'luxon';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type Asked,
  ask as askVia,
  clickReply,
  type Harness,
  replyTo,
  textOf,
  useHarness,
} from './harness.js';

let h: Harness;
useHarness(
  (started) => {
    h = started;
  },
  { env: { VPS_OPERATORS: 'U0ALICE,U0BOB' } },
);

// Each test starts with nothing scheduled: what an earlier test left pending must not fire in this one.
beforeEach(async () => {
  for (const pending of await h.store.schedulesIn(['pending'])) {
    await h.store.claimSchedule(pending.id, 'cancelled', Date.now());
  }
});

const posts = () => h.sim.requests.filter((r) => r.method !== 'GET');
const ask = (text: string, user?: string) => askVia(h.slack, text, user);
const click = (prompt: Asked, actionId: string, user?: string) => clickReply(h.slack, prompt, actionId, user);
const MINUTE = 60_000;

/** Moves the bot's clock and lets the scheduler look once at the new time. */
async function later(ms: number): Promise<void> {
  h.advance(ms);
  await h.bot.scheduler.tick();
  await h.idle();
}

/** Schedules with a confirmation and returns the answer to Confirm. */
async function scheduleConfirmed(text: string): Promise<{ prompt: Asked; answer: string }> {
  const prompt = await ask(text);
  await click(prompt, 'vps.confirm');
  return { prompt, answer: textOf(await replyTo(h.slack, prompt.sent.responseUrl, 1)) };
}

describe('scheduled changes', () => {
  it('asks the same confirmation as now, says the time in words and as a date token, then waits', async () => {
    h.slack.setPerson({ id: 'U0ALICE', tz: 'Asia/Kolkata' });
    const at = DateTime.fromMillis(Date.now() + 3 * 60 * MINUTE, { zone: 'Asia/Kolkata' }).startOf('minute');
    const prompt = await ask(`reboot web-server-01 at ${at.toFormat('yyyy-LL-dd HH:mm')}`);
    expect(prompt.text).toContain(`Reboot *web-server-01* at ${at.toFormat('HH:mm')}`);
    expect(prompt.text).toContain('(Asia/Kolkata)');
    expect(prompt.text).toContain(`<!date^${at.toSeconds()}^{date_long_pretty} at {time}|`);
    expect(prompt.text).toContain('expires in 10 minutes');
    await click(prompt, 'vps.confirm');
    const answer = textOf(await replyTo(h.slack, prompt.sent.responseUrl, 1));
    expect(answer).toContain(':alarm_clock: Scheduled: reboot *web-server-01*');
    await h.idle();
    expect(posts()).toEqual([]);
    // The zone is asked once and cached.
    await ask('reboot web-server-01 in 2h');
    expect(h.slack.callsTo('users.info')).toHaveLength(1);
  });

  it('/vps scheduled lists it (who, what, when); another operator cancels it, and it never runs', async () => {
    await scheduleConfirmed('reboot web-server-01 in 30m');
    const list = await ask('scheduled', 'U0BOB');
    expect(list.text).toContain('*reboot* *web-server-01*');
    expect(list.text).toContain('by <@U0ALICE>');
    expect(list.text).toMatch(/<!date\^\d+\^/);
    const refused = await clickReply(h.slack, list, 'vps.schedule.cancel', 'U0EVE');
    expect(textOf(await replyTo(h.slack, refused.responseUrl as string, 1))).toContain(
      'Only <@U0ALICE>, who scheduled it, or an operator may cancel it',
    );
    await clickReply(h.slack, list, 'vps.schedule.cancel', 'U0BOB');
    const told = await h.slack.waitFor('chat.postMessage', (c) => /cancelled the reboot/.test(textOf(c)));
    expect(textOf(told)).toContain(
      '<@U0BOB> cancelled the reboot of *web-server-01* scheduled by <@U0ALICE>',
    );
    expect(textOf(await replyTo(h.slack, list.sent.responseUrl, 2))).toContain('Nothing is scheduled');
    await later(31 * MINUTE);
    expect(posts()).toEqual([]);
    const again = await clickReply(h.slack, list, 'vps.schedule.cancel', 'U0ALICE');
    expect(textOf(await replyTo(h.slack, again.responseUrl as string, 3))).toContain('was already cancelled');
  });

  it('runs once at its time, with the usual card naming who scheduled it', async () => {
    await scheduleConfirmed('reboot web-server-01 in 30m');
    await later(29 * MINUTE);
    expect(posts()).toEqual([]);
    await later(MINUTE);
    const card = await h.slack.waitFor('chat.postMessage', (c) =>
      /rebooted \*web-server-01\*/.test(textOf(c)),
    );
    expect(textOf(card)).toContain('<@U0ALICE> rebooted *web-server-01*, as scheduled for <!date^');
    await h.quiet();
    await later(MINUTE);
    await later(60 * MINUTE);
    expect(posts().map((r) => r.path)).toEqual(['/api/v1/servers/12345/reboot/']);
    expect((await ask('scheduled')).text).toContain('Nothing is scheduled');
  });

  it('at its time a server already in the wanted state is left alone, and the channel is told', async () => {
    const scheduled = await ask('start staging-01 in 10m');
    expect(scheduled.text).toContain(':alarm_clock: Scheduled: start *staging-01*');
    h.sim.setStatus(12347, 'active');
    await later(10 * MINUTE);
    const told = await h.slack.waitFor('chat.postMessage', (c) => /did nothing/.test(textOf(c)));
    expect(textOf(told)).toContain('did nothing: *staging-01* is already running.');
    expect(told.args.channel).toBe('C0GENERAL');
    expect(posts()).toEqual([]);
  });

  it('at its time a server that is gone is said to be gone, and nothing is sent', async () => {
    await scheduleConfirmed('stop web-server-01 in 10m');
    h.sim.removeServer(12345);
    await later(10 * MINUTE);
    const told = await h.slack.waitFor('chat.postMessage', (c) => /did nothing/.test(textOf(c)));
    expect(textOf(told)).toContain('*web-server-01* no longer exists');
    expect(posts()).toEqual([]);
  });

  it('stop … for 2h stops now and starts it again two hours later, once', async () => {
    const prompt = await ask('stop web-server-01 for 2h');
    expect(prompt.text).toContain('Stop *web-server-01* now and start it again after 2h');
    await click(prompt, 'vps.confirm');
    const answer = textOf(await replyTo(h.slack, prompt.sent.responseUrl, 1));
    expect(answer).toContain('is stopping now, and will be started again at');
    await h.slack.waitFor('chat.postMessage', (c) => /stopped \*web-server-01\*/.test(textOf(c)));
    await h.quiet();
    expect(posts().map((r) => r.path)).toEqual(['/api/v1/servers/12345/stop/']);
    await later(119 * MINUTE);
    expect(posts()).toHaveLength(1);
    await later(MINUTE);
    const card = await h.slack.waitFor('chat.postMessage', (c) =>
      /started \*web-server-01\*/.test(textOf(c)),
    );
    expect(textOf(card)).toContain('as scheduled for');
    await h.quiet();
    await later(MINUTE);
    expect(posts().map((r) => r.path)).toEqual([
      '/api/v1/servers/12345/stop/',
      '/api/v1/servers/12345/start/',
    ]);
  });

  it('refuses bad times clearly and schedules nothing', async () => {
    expect((await ask('stop web-server-01 at 25:00')).text).toContain('`25:00` is not a time of day');
    expect((await ask('stop web-server-01 in 0m')).text).toContain('is no time at all');
    expect((await ask('start staging-01 for 2h')).text).toContain('`for` works with stop only');
    h.slack.setPerson({ id: 'U0ALICE', tz: 'Mars/Olympus' });
    const unknown = await ask('stop web-server-01 at 23:59');
    expect(unknown.text).toContain('`Mars/Olympus` is not one the bot knows');
    expect(unknown.text).toContain('Nothing was scheduled.');
    h.slack.setPerson({ id: 'U0BOB', tz: 'UTC' });
    const past = DateTime.fromMillis(Date.now() - 2 * 60 * MINUTE, { zone: 'UTC' });
    expect((await ask(`stop web-server-01 at ${past.toFormat('yyyy-LL-dd HH:mm')}`, 'U0BOB')).text).toContain(
      'is in the past',
    );
    expect((await ask('scheduled')).text).toContain('Nothing is scheduled');
    expect(posts()).toEqual([]);
  });

  it('confirmed after its time has passed: nothing is scheduled and nothing runs', async () => {
    const prompt = await ask('reboot web-server-01 in 1m');
    h.advance(5 * MINUTE);
    await click(prompt, 'vps.confirm');
    const answer = textOf(await replyTo(h.slack, prompt.sent.responseUrl, 1));
    expect(answer).toContain('already past');
    expect(answer).toContain('Nothing was scheduled.');
    expect(await h.store.schedulesIn(['pending'])).toEqual([]);
    await later(MINUTE);
    expect(posts()).toEqual([]);
  });

  it('a non-operator may not schedule', async () => {
    expect((await ask('reboot web-server-01 in 1h', 'U0EVE')).text).toContain(
      'Only operators may change servers',
    );
    expect((await ask('scheduled')).text).toContain('Nothing is scheduled');
  });
});
