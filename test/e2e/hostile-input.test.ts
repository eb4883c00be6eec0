import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { INPUT_LIMITS } from '../../src/input-limits.js';
import { createLogger } from '../../src/log.js';
import { limitViolations } from '../../src/slack/blocks/check.js';
import { STALE_BUTTON } from '../../src/slack/blocks/sentences.js';
import { ACTION } from '../../src/slack/ids.js';
import { type CommandResult, textValue } from '../../src/slack-standin/index.js';
import { FileStore } from '../../src/store/file.js';
import { type Harness, replyTo, startHarness, textOf } from './harness.js';

// Alice is an operator, Bob is not. The state is on disk, as in production: the audit trail
// checks what it stores.
let h: Harness;
const stateDir = mkdtempSync(join(tmpdir(), 'vps-bot-hostile-'));
beforeAll(async () => {
  const store = await FileStore.open(stateDir, createLogger({ level: 'error', secrets: [] }));
  h = await startHarness({ env: { VPS_OPERATORS: 'U0ALICE' }, store });
});
afterAll(async () => {
  await h?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await h.quiet();
  h.sim.reset();
  h.slack.reset();
});

/** Sends `/vps <text>` and waits for the first reply that arrived (a failed attempt is not one). */
async function ask(text: string, user = 'U0ALICE') {
  const sent = await h.slack.command({ text, user });
  expect(sent.status).toBe(200);
  const reply = await h.slack.waitFor(
    'response_url',
    (call) => call.args.url === sent.responseUrl && call.status === 200,
  );
  expect(limitViolations(reply.args)).toEqual([]);
  return { sent, reply, text: textOf(reply) };
}

function logged(message: string) {
  return h.logs.filter((line) => line.msg === message);
}

describe('a long command cannot stop the bot', () => {
  it('a 5,000-character first word from a non-operator: one clear answer within Slack’s limits, and another person’s ack is not held up', async () => {
    const word = 'x'.repeat(5000);
    const bob = await h.slack.command({ text: word, user: 'U0BOB' });
    expect(bob.status).toBe(200);
    // The bot shares this process's event loop, so Bob's ack as read here includes any time the bot
    // then spends on his command: it used to be about 15 s (and, with the bot's 128 MB heap, a crash).
    expect(bob.ms).toBeLessThan(3000);
    // Others' commands, each sent as soon as the last is acked.
    const others: CommandResult[] = [];
    for (const user of ['U0ALICE', 'U0CAROL', 'U0DAVE']) {
      const sent = await h.slack.command({ text: 'help', user });
      expect(sent.status).toBe(200);
      others.push(sent);
    }
    for (const other of others) expect(other.ms).toBeLessThan(3000);
    const answer = await replyTo(h.slack, bob.responseUrl);
    expect(limitViolations(answer.args)).toEqual([]);
    const text = textOf(answer);
    expect(text).toContain('That command is too long (5,000 characters; the most is 1,000).');
    expect(text).toContain('/vps list');
    expect(text).not.toContain('x'.repeat(INPUT_LIMITS.echo + 1));
    for (const other of others)
      expect(textOf(await replyTo(h.slack, other.responseUrl))).toContain('/vps list');
    await h.idle();
    expect(h.sim.requests).toEqual([]);
  });

  it('a long word within the bound is quoted back shortened, the whole answer kept', async () => {
    const name = 'n'.repeat(INPUT_LIMITS.word);
    const { text } = await ask(`show ${name}`, 'U0BOB');
    expect(text).toContain(
      `No server matches \`${'n'.repeat(INPUT_LIMITS.echo - 1)}…\` (by ID, name or hostname). \`/vps list\` shows them all.`,
    );
    const unknown = await ask(`${'verb'.repeat(200)} now`, 'U0BOB');
    expect(unknown.text).toContain(`There is no \`/vps ${'verb'.repeat(19)}ver…\` command.`);
  });
});

describe('control characters and direction overrides', () => {
  /** Code points no answer may carry: a NUL, DEL, NEL, and the direction overrides and isolates. */
  const UNSHOWN = [0x0, 0x7, 0x7f, 0x85, 0x202a, 0x202e, 0x2066, 0x2069];
  const hasUnshown = (text: string) => [...text].some((c) => UNSHOWN.includes(c.codePointAt(0) ?? -1));

  it('are never repeated as typed: each shows as �, and the answer reads left to right', async () => {
    for (const typed of [
      'web\u0000x',
      'web\u202Eevil',
      'a\u2066b\u2069',
      'del\u007f',
      'x\u0085y',
      'bell\u0007',
    ]) {
      const { text } = await ask(`show ${typed}`, 'U0BOB');
      expect(text, JSON.stringify(typed)).toMatch(/No server matches `[^`]*\uFFFD[^`]*`/);
      expect(hasUnshown(text), JSON.stringify(typed)).toBe(false);
    }
  });
});

describe('what a form repeats of the command', () => {
  it('is escaped and shortened in the form that opens at once', async () => {
    // Slack sends what was typed with `<` escaped; the parser takes the person's own text back.
    await h.slack.command({ text: `delete &lt;!channel&gt;${'d'.repeat(200)}` });
    const open = await h.slack.waitFor('views.open');
    const text = textOf(open);
    expect(text).toContain(`Reading &lt;!channel&gt;${'d'.repeat(INPUT_LIMITS.echo - 11)}…`);
    expect(text).not.toContain('<!channel>');
    expect(limitViolations(open.args.view as object)).toEqual([]);
  });
});

describe('a tampered button gets a clear answer, and nothing reaches VPS.org', () => {
  const TAMPERED = [
    'NaN',
    '',
    '-1',
    '1e3',
    '12345abc',
    // A real server's ID, or one near it, in a spelling the bot never writes: not read as an ID.
    ' 12345',
    '12345 ',
    '012345',
    '+12345',
    '12345.0',
    '0x3039',
    '0',
    'server:012345',
    'server: 12345',
    // Names every object inherits: a confirmation by such an ID is unknown, not Object.prototype.
    '__proto__',
    'constructor',
    'toString',
    '9007199254740993',
    '<!channel>',
    'server:NaN',
    'list:{"p":"x"}',
    `{"p":1,"s":"${'a'.repeat(500)}"}`,
    'x'.repeat(5000),
  ];
  const SERVER_BUTTONS = [
    ACTION.start,
    ACTION.stop,
    ACTION.reboot,
    ACTION.refresh,
    ACTION.edit,
    ACTION.delete,
    `${ACTION.showPrefix}12345`,
  ];
  const ANSWERS: Record<string, RegExp> = {
    ...Object.fromEntries(SERVER_BUTTONS.map((id) => [id, /^This button is no longer valid/])),
    [ACTION.share]: /^(This button is no longer valid|There is nothing to share here)/,
    [ACTION.pageNext]: /^(This button is no longer valid|That page link is broken)/,
    [ACTION.pagePrevious]: /^(This button is no longer valid|That page link is broken)/,
    [ACTION.confirm]: /^(This button is no longer valid|The bot does not know this confirmation)/,
    [ACTION.cancel]: /^(This button is no longer valid|The bot does not know this confirmation)/,
  };

  it.each(Object.keys(ANSWERS))('%s, by an operator', async (actionId) => {
    for (const value of TAMPERED) {
      const clicked = await h.slack.click({
        message: {
          channel: 'C0GENERAL',
          ephemeral: true,
          blocks: [
            {
              type: 'actions',
              elements: [
                { type: 'button', text: { type: 'plain_text', text: 'B' }, action_id: actionId, value },
              ],
            },
          ],
        },
        actionId,
      });
      expect(clicked.status).toBe(200);
      const answer = await h.slack.waitFor('response_url', (call) => call.args.url === clicked.responseUrl);
      const text = textOf(answer);
      expect(text, `${actionId} = ${value.slice(0, 40)}`).toMatch(ANSWERS[actionId] as RegExp);
      expect(text).not.toContain('NaN');
      expect(text).not.toContain('<!channel>');
      expect(limitViolations(answer.args)).toEqual([]);
    }
    await h.idle();
    expect(h.sim.requests).toEqual([]);
  });

  it('a value longer than any of the bot’s own is not read at all', async () => {
    const clicked = await h.slack.click({
      message: {
        channel: 'C0GENERAL',
        ephemeral: true,
        blocks: [
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                text: { type: 'plain_text', text: 'Next' },
                action_id: ACTION.pageNext,
                value: JSON.stringify({ p: 1, s: 's'.repeat(INPUT_LIMITS.buttonValue) }),
              },
            ],
          },
        ],
      },
      actionId: ACTION.pageNext,
    });
    const answer = await h.slack.waitFor('response_url', (call) => call.args.url === clicked.responseUrl);
    expect(answer.args.text).toBe(STALE_BUTTON);
  });
});

describe('server IDs of 2^53 and above are invalid input, said as such', () => {
  const HUGE = '9007199254740993';
  const INVALID = 'Invalid input: server_id must be a positive whole number (at most 9007199254740991).';

  it('`/vps show` and `/vps stop` by an operator: invalid input, nothing sent', async () => {
    expect((await ask(`show ${HUGE}`)).text).toContain(INVALID);
    expect((await ask(`stop ${HUGE}`)).text).toContain(INVALID);
    await h.idle();
    expect(h.sim.requests).toEqual([]);
  });

  it('`/vps stop` by a non-operator: refused, and the refusal is in the audit trail', async () => {
    expect((await ask(`stop ${HUGE}`, 'U0BOB')).text).toContain('Only operators may change servers');
    await h.idle();
    const [audit] = h.logs.filter((line) => line.event === 'audit');
    expect(audit).toMatchObject({ user: 'U0BOB', action: 'stop', server_name: HUGE, outcome: 'forbidden' });
    expect(audit).not.toHaveProperty('server_id');
    expect(logged('could not store an audit entry')).toEqual([]);
    expect(h.sim.requests).toEqual([]);
  });

  it('`/vps history` answers, for such an ID and for a real server', async () => {
    expect((await ask(`history ${HUGE}`)).text).toContain(INVALID);
    await ask('stop web-server-01', 'U0BOB');
    await h.idle();
    const history = await ask('history web-server-01', 'U0BOB');
    expect(history.text).toContain('refused (not an operator)');
    expect(logged('could not store an audit entry')).toEqual([]);
  });
});

describe('replies to a response_url are retried on a 5xx or a dropped connection', () => {
  const statuses = (url: string) =>
    h.slack.callsTo('response_url').flatMap((call) => (call.args.url === url ? [call.status] : []));

  it('two 503s, then the reply arrives, once', async () => {
    h.slack.failResponseUrlNext({ times: 2 });
    const sent = await h.slack.command({ text: 'show web-server-01' });
    await h.idle();
    expect(statuses(sent.responseUrl)).toEqual([503, 503, 200]);
    expect(h.slack.responseMessage(sent.responseUrl)?.text).toContain('web-server-01');
    expect(logged('could not reply')).toEqual([]);
  });

  it('a dropped connection, then the reply arrives', async () => {
    h.slack.failResponseUrlNext({ reset: true });
    const sent = await h.slack.command({ text: 'help' });
    await h.idle();
    expect(statuses(sent.responseUrl)).toEqual([0, 200]);
  });

  it('four 503s: given up with one log line that holds no URL; the bot answers the next command', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    h.slack.failResponseUrlNext({ times: 4 });
    const sent = await h.slack.command({ text: 'help' });
    await h.idle();
    // Past a turn of the event loop, where a rejection nobody handled would have been reported.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onRejection);
    expect(rejections).toEqual([]);
    expect(statuses(sent.responseUrl)).toEqual([503, 503, 503, 503]);
    const lines = logged('could not reply');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', err: 'the response_url answered HTTP 503' });
    expect(JSON.stringify(lines)).not.toContain(sent.responseUrl);
    expect((await ask('help')).text).toContain('/vps list');
  });

  it('a change card that goes through the response_url is retried too', async () => {
    h.slack.setChannelMembership('G0PRIVATE', false);
    h.slack.failResponseUrlNext({ times: 1 });
    const sent = await h.slack.command({ text: 'start staging-01', channel: 'G0PRIVATE' });
    const card = await h.slack.waitFor(
      'response_url',
      (call) => call.args.url === sent.responseUrl && call.status === 200,
    );
    expect(card.args.response_type).toBe('in_channel');
    expect(textOf(card)).toContain('<@U0ALICE> started *staging-01*');
    expect(statuses(sent.responseUrl).slice(0, 2)).toEqual([503, 200]);
  });
});

describe('form fields past their bounds', () => {
  async function createForm() {
    await h.slack.command({ text: 'create' });
    const update = await h.slack.waitFor('views.update', (c) =>
      JSON.stringify(c.args.view).includes('Review'),
    );
    const view = h.slack.view(String(update.args.view_id));
    if (!view) throw new Error('the create form did not open');
    return view;
  }

  it('get a field error saying how long and the most; nothing reaches VPS.org', async () => {
    const view = await createForm();
    await h.idle();
    h.sim.clearRequests();
    const submitted = await h.slack.submitView({
      view,
      values: {
        name: { value: textValue('n'.repeat(5000)) },
        plan_other: { value: textValue('1') },
        os_other: { value: textValue('1') },
        location_other: { value: textValue(`us-west${'-x'.repeat(100)}`) },
      },
    });
    expect(submitted.json).toEqual({
      response_action: 'errors',
      errors: {
        name: 'That is too long (5,000 characters; the most is 63).',
        location_other: 'That is too long (207 characters; the most is 64).',
      },
    });
    await h.idle();
    expect(h.sim.requests).toEqual([]);
  });

  it('a form whose private_metadata is past Slack’s limit is not read', async () => {
    const view = await createForm();
    const submitted = await h.slack.submitView({
      view: { ...view, private_metadata: 'm'.repeat(INPUT_LIMITS.privateMetadata + 1) },
      values: { name: { value: textValue('web-3') }, plan_other: { value: textValue('1') } },
    });
    expect(submitted.json).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(submitted.json)).toContain('This form is no longer valid');
  });
});
