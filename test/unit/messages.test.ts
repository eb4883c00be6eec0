import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS } from '../../src/input-limits.js';
import type { ChangeRequest, Confirmation } from '../../src/records.js';
import { catalogueOf } from '../../src/service/catalogue.js';
import { limitViolations } from '../../src/slack/blocks/check.js';
import { helpMessage } from '../../src/slack/blocks/help.js';
import type { KnownBlock, ModalView } from '../../src/slack/blocks/kit.js';
import {
  createFormView,
  decodeOrigin,
  deleteView,
  editFormView,
  encodeOrigin,
  loadingView,
  messageView,
  reviewView,
} from '../../src/slack/blocks/modals.js';
import { ambiguousText, missingText } from '../../src/slack/blocks/outcomes.js';
import { confirmPrompt, createPreview, notice } from '../../src/slack/blocks/prompts.js';
import { errorSentence } from '../../src/slack/blocks/sentences.js';
import { escapeText } from '../../src/slack/blocks/text.js';
import { ACTION, INPUT, VIEW } from '../../src/slack/ids.js';
import { VpsError } from '../../src/vps/errors.js';
import type { CreateServerInput } from '../../src/vps/inputs.js';
import { BARE_AMPERSAND, HOSTILE, makeListServer, makeServer, mrkdwnTexts } from './helpers.js';

const LONG_HOSTNAME = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
const LONG_NAME = `${'n'.repeat(62)}1`;

function confirmation(request: ChangeRequest, name = 'web-server-01'): Confirmation {
  return {
    id: 'c0nf1rmat10n-1d-xyz',
    userId: 'U123ALICE',
    request,
    server: request.action === 'create' ? undefined : { id: 12345, name, status: 'active', updatedAt: 'x' },
    actor: { userId: 'U123ALICE', channelId: 'C1' },
    createdAt: 0,
    expiresAt: 600_000,
  };
}

function expectEscaped(surface: unknown): void {
  for (const text of mrkdwnTexts(surface)) {
    for (const hostile of HOSTILE) expect(text, text).not.toContain(hostile);
    expect(text, text).not.toMatch(BARE_AMPERSAND);
  }
}

function inputs(view: ModalView): Extract<KnownBlock, { type: 'input' }>[] {
  return view.blocks.filter((b): b is Extract<KnownBlock, { type: 'input' }> => b.type === 'input');
}

const CHANGING_VERBS = [
  'create',
  'start',
  'stop',
  'reboot',
  'delete',
  'rename',
  'hostname',
  'backups',
  'edit',
];

describe('helpMessage', () => {
  it('shows an operator every command', () => {
    const message = helpMessage(true);
    expect(limitViolations(message)).toEqual([]);
    const text = JSON.stringify(message.blocks);
    for (const verb of ['list', 'show', 'help', ...CHANGING_VERBS]) expect(text).toContain(`/vps ${verb}`);
  });

  it('shows someone who may not change servers only the lookups', () => {
    const message = helpMessage(false);
    expect(limitViolations(message)).toEqual([]);
    const text = JSON.stringify(message);
    for (const verb of ['list', 'show', 'help', 'history', 'subscriptions'])
      expect(text).toContain(`/vps ${verb}`);
    for (const verb of CHANGING_VERBS) expect(text).not.toContain(`/vps ${verb} `);
    expect(text).not.toMatch(/\/vps create\b/);
    expect(text).toContain('operators');
  });

  it('lists the subscription and history commands of the grammar', () => {
    const text = JSON.stringify(helpMessage(true).blocks);
    for (const verb of ['subscribe', 'unsubscribe', 'subscriptions', 'history']) {
      expect(text).toContain(`/vps ${verb}`);
    }
  });

  it('escapes the <placeholders> of the usage lines', () => {
    const message = helpMessage(true, 'Hello');
    const body = message.blocks.find((b) => b.type === 'section' && b.text?.text.includes('/vps show'));
    expect(JSON.stringify(body)).toContain('/vps show &lt;server&gt;');
    expect(message.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'Hello' } });
    for (const text of mrkdwnTexts({ blocks: message.blocks }))
      expect(text).not.toMatch(/<server>|<code>|<id>/);
  });

  it('escapes the <placeholders> in the notification text too (Slack parses it as mrkdwn)', () => {
    for (const mayChange of [true, false]) {
      const { text } = helpMessage(mayChange);
      expect(text).toContain('/vps show');
      expect(text).not.toMatch(/<server>|<code>|<id>/);
    }
  });
});

describe('confirmPrompt', () => {
  it('asks one question with Confirm and Cancel bound to the confirmation', () => {
    const message = confirmPrompt(confirmation({ action: 'stop', serverId: 12345 }));
    expect(limitViolations(message)).toEqual([]);
    expect(message.text).toContain('Stop web-server-01?');
    const actions = message.blocks.find((b) => b.type === 'actions');
    expect(actions).toMatchObject({
      type: 'actions',
      elements: [
        {
          action_id: ACTION.confirm,
          value: 'c0nf1rmat10n-1d-xyz',
          style: 'danger',
          text: { text: 'Stop web-server-01' },
        },
        { action_id: ACTION.cancel, value: 'c0nf1rmat10n-1d-xyz' },
      ],
    });
    expect(JSON.stringify(message.blocks)).toContain('Only you can confirm this');
  });

  it('asks the right question for each confirmed action', () => {
    const cases: [ChangeRequest, string][] = [
      [{ action: 'reboot', serverId: 1 }, 'Reboot *web-server-01*?'],
      [{ action: 'delete', serverId: 1 }, 'cannot be undone'],
      [{ action: 'backups', serverId: 1, enabled: false }, 'Turn automatic backups off for *web-server-01*?'],
    ];
    for (const [request, expected] of cases) {
      const message = confirmPrompt(confirmation(request));
      expect(limitViolations(message)).toEqual([]);
      expect(JSON.stringify(message.blocks)).toContain(expected);
    }
  });

  it('asks to create, with the preview, and a primary button', () => {
    const input: CreateServerInput = { name: 'web-03', plan_id: 1, os_id: 5, location: 'us-west' };
    const details = createPreview(input, catalogueOf([makeServer()]));
    const message = confirmPrompt(confirmation({ action: 'create', input }), details);
    expect(limitViolations(message)).toEqual([]);
    expect(message.text).toBe('Create web-03?');
    expect(JSON.stringify(message.blocks)).toContain('*Plan:* Standard VPS');
    expect(JSON.stringify(message.blocks)).toContain('"style":"primary"');
  });

  it('fits Slack with a 63-character name and escapes hostile names', () => {
    for (const action of ['stop', 'reboot', 'delete'] as const) {
      const message = confirmPrompt(confirmation({ action, serverId: 1 }, LONG_NAME));
      expect(limitViolations(message)).toEqual([]);
    }
    const backups = confirmPrompt(
      confirmation({ action: 'backups', serverId: 1, enabled: false }, LONG_NAME),
    );
    expect(limitViolations(backups)).toEqual([]);
    const evil = confirmPrompt(
      confirmation({ action: 'stop', serverId: 1 }, '<!channel> & <http://evil|click>'),
    );
    expect(limitViolations(evil)).toEqual([]);
    expectEscaped(evil);
  });
});

describe('createPreview', () => {
  const catalogue = catalogueOf([makeServer(), makeServer({ id: 2, location: 'eu-central' })]);

  it('describes plan, OS and location as the account shows them', () => {
    expect(
      createPreview(
        {
          name: 'web-03',
          plan_id: 1,
          os_id: 5,
          location: 'us-west',
          hostname: 'web03.example.com',
          ssh_key_id: 42,
          backups_enabled: true,
        },
        catalogue,
      ),
    ).toEqual([
      '*Name:* web-03',
      '*Plan:* Standard VPS (2 vCPU · 4 GB RAM · 80 GB disk · 2 TB bandwidth)',
      '*OS:* Ubuntu 22.04 LTS',
      '*Location:* us-west',
      '*Hostname:* web03.example.com',
      '*SSH key:* 42',
      '*Backups:* on',
    ]);
  });

  it('marks what the account has not seen, and leaves out an absent SSH key', () => {
    const lines = createPreview({ name: 'x', plan_id: 9, os_id: 8, location: 'ap-south' }, catalogue);
    expect(lines.find((l) => l.startsWith('*Plan:*'))).toContain('plan 9 (not seen');
    expect(lines.find((l) => l.startsWith('*OS:*'))).toContain('OS 8 (not seen');
    expect(lines.find((l) => l.startsWith('*Location:*'))).toContain('ap-south (not seen');
    expect(lines.some((l) => l.startsWith('*SSH key:*'))).toBe(false);
    expect(lines).toContain('*Hostname:* —');
    expect(lines).toContain('*Backups:* off');
  });

  it('escapes what came from the catalogue and the input', () => {
    const evil = catalogueOf([
      makeServer({
        plan: { id: 1, name: '<!channel>', vcpus: 1, memory: 1, storage: 1 },
        os: { id: 5, name: '&' },
      }),
    ]);
    const lines = createPreview(
      { name: '<!here>', plan_id: 1, os_id: 5, location: '<http://evil|click>' },
      evil,
    );
    expectEscaped({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }] });
  });
});

describe('deleteView', () => {
  it('asks to type the name, bound to the confirmation', () => {
    const view = deleteView(confirmation({ action: 'delete', serverId: 12345 }));
    expect(limitViolations(view)).toEqual([]);
    expect(view.callback_id).toBe(VIEW.delete);
    expect(view.private_metadata).toBe('c0nf1rmat10n-1d-xyz');
    expect(view.submit?.text).toBe('Delete');
    const [input] = inputs(view);
    expect(input?.block_id).toBe(INPUT.confirmName);
    expect(input?.label.text).toContain('web-server-01');
    expect(JSON.stringify(view.blocks)).toContain('cannot be undone');
  });

  it('fits Slack and escapes for extreme names', () => {
    expect(limitViolations(deleteView(confirmation({ action: 'delete', serverId: 1 }, LONG_NAME)))).toEqual(
      [],
    );
    const evil = deleteView(confirmation({ action: 'delete', serverId: 1 }, '<!channel>&'));
    expect(limitViolations(evil)).toEqual([]);
    expectEscaped({ blocks: evil.blocks });
  });
});

describe('editFormView', () => {
  it('is prefilled with the current values and remembers where it came from', () => {
    const view = editFormView(makeServer(), { channelId: 'C1', replyUrl: 'https://hooks.slack.test/r/1' });
    expect(limitViolations(view)).toEqual([]);
    expect(view.callback_id).toBe(VIEW.editForm);
    expect(decodeOrigin(view.private_metadata ?? '')).toEqual({
      channelId: 'C1',
      replyUrl: 'https://hooks.slack.test/r/1',
      serverId: 12345,
    });
    const byId = Object.fromEntries(inputs(view).map((b) => [b.block_id, b.element]));
    expect(byId[INPUT.name]).toMatchObject({ initial_value: 'web-server-01' });
    expect(byId[INPUT.hostname]).toMatchObject({ initial_value: 'web01.example.com' });
    expect(byId[INPUT.backups]).toMatchObject({ initial_options: [{ value: 'on' }] });
  });

  it('leaves backups unticked when off and the hostname empty when there is none', () => {
    const view = editFormView(makeServer({ backups_enabled: false, hostname: null }), {});
    const byId = Object.fromEntries(inputs(view).map((b) => [b.block_id, b.element]));
    expect(byId[INPUT.backups]).not.toHaveProperty('initial_options');
    expect(byId[INPUT.hostname]).not.toHaveProperty('initial_value');
  });

  it('fits Slack with extreme values, dropping a reply URL too long for private_metadata', () => {
    const view = editFormView(makeServer({ name: LONG_NAME, hostname: LONG_HOSTNAME }), {
      channelId: 'C1',
      replyUrl: `https://hooks.slack.test/${'r'.repeat(4000)}`,
    });
    expect(limitViolations(view)).toEqual([]);
    expect(decodeOrigin(view.private_metadata ?? '')).toEqual({
      channelId: 'C1',
      replyUrl: undefined,
      serverId: 12345,
    });
    expectEscaped({ blocks: editFormView(makeServer({ name: '<!channel>&' }), {}).blocks });
  });
});

describe('form fields carry their bound as max_length', () => {
  const maxLengths = (view: ModalView) =>
    Object.fromEntries(
      inputs(view).flatMap((b) =>
        b.element.type === 'plain_text_input' ? [[b.block_id, b.element.max_length]] : [],
      ),
    );

  it('in the create form: name 63, hostname 253, IDs 16, location code 64', () => {
    const view = createFormView({ plans: [], systems: [], locations: [] }, {});
    expect(maxLengths(view)).toEqual({
      [INPUT.name]: INPUT_LIMITS.field.name,
      [INPUT.planOther]: INPUT_LIMITS.field.id,
      [INPUT.osOther]: INPUT_LIMITS.field.id,
      [INPUT.locationOther]: INPUT_LIMITS.field.location,
      [INPUT.hostname]: INPUT_LIMITS.field.hostname,
      [INPUT.sshKey]: INPUT_LIMITS.field.id,
    });
  });

  it('in the edit and delete forms, room for a longer name or hostname VPS.org gave (never past Slack’s 3000)', () => {
    expect(maxLengths(editFormView(makeServer(), {}))).toEqual({
      [INPUT.name]: INPUT_LIMITS.field.name,
      [INPUT.hostname]: INPUT_LIMITS.field.hostname,
    });
    const long = makeServer({ name: 'n'.repeat(100), hostname: 'h'.repeat(5000) });
    const edit = editFormView(long, {});
    expect(maxLengths(edit)).toEqual({ [INPUT.name]: 100, [INPUT.hostname]: 3000 });
    // A hostname longer than any field can take is left for the person to type (Slack would refuse it).
    expect(limitViolations(edit)).toEqual([]);
    expect(inputs(edit)[1]?.element).not.toHaveProperty('initial_value');
    const remove = deleteView(confirmation({ action: 'delete', serverId: 1 }, 'd'.repeat(80)));
    expect(maxLengths(remove)).toEqual({ [INPUT.confirmName]: 80 });
  });
});

describe('encodeOrigin / decodeOrigin', () => {
  it('round-trips and survives garbage', () => {
    const origin = { channelId: 'C1', replyUrl: 'https://x.test/1', serverId: 7 };
    expect(decodeOrigin(encodeOrigin(origin))).toEqual(origin);
    expect(decodeOrigin('not json')).toEqual({});
    expect(decodeOrigin('{"c":1,"s":"7"}')).toEqual({
      channelId: undefined,
      replyUrl: undefined,
      serverId: undefined,
    });
  });
});

describe('createFormView', () => {
  it('with an empty catalogue asks for plain IDs and codes', () => {
    const view = createFormView({ plans: [], systems: [], locations: [] }, { channelId: 'C1' });
    expect(limitViolations(view)).toEqual([]);
    expect(view.callback_id).toBe(VIEW.createForm);
    const blocks = inputs(view);
    expect(blocks.map((b) => b.block_id)).toEqual([
      INPUT.name,
      INPUT.planOther,
      INPUT.osOther,
      INPUT.locationOther,
      INPUT.hostname,
      INPUT.sshKey,
      INPUT.backups,
    ]);
    expect(blocks.map((b) => b.label.text)).toContain('Plan ID');
    expect(blocks.some((b) => b.element.type === 'static_select')).toBe(false);
    expect(decodeOrigin(view.private_metadata ?? '')).toMatchObject({ channelId: 'C1' });
  });

  it('offers what the account shows, each with an "other" field', () => {
    const catalogue = catalogueOf([makeServer(), makeListServer({ id: 2, location: 'eu-central' })]);
    const view = createFormView(catalogue, {});
    expect(limitViolations(view)).toEqual([]);
    const ids = inputs(view).map((b) => b.block_id);
    expect(ids).toEqual([
      INPUT.name,
      INPUT.plan,
      INPUT.planOther,
      INPUT.os,
      INPUT.osOther,
      INPUT.location,
      INPUT.locationOther,
      INPUT.hostname,
      INPUT.sshKey,
      INPUT.backups,
    ]);
    const location = inputs(view).find((b) => b.block_id === INPUT.location);
    expect(location?.element).toMatchObject({
      type: 'static_select',
      options: [{ value: 'eu-central' }, { value: 'us-west' }],
    });
  });

  it('reads well in its select placeholders', () => {
    const catalogue = catalogueOf([makeServer()]);
    const placeholders = inputs(createFormView(catalogue, {})).flatMap((b) =>
      'placeholder' in b.element && b.element.placeholder ? [b.element.placeholder.text] : [],
    );
    expect(placeholders).toContain('Choose an operating system');
    expect(placeholders.join(' ')).not.toMatch(/\ba [aeiou]/i);
  });

  it('with more than 100 plans keeps within the select limit, and long names within 75 characters', () => {
    const plans = Array.from({ length: 150 }, (_, i) => ({
      id: i + 1,
      name: `Plan ${'x'.repeat(80)} ${i + 1}`,
      vcpus: 64,
      memory: 262_144,
      storage: 10_240,
    }));
    const view = createFormView(
      {
        plans,
        systems: Array.from({ length: 120 }, (_, i) => ({ id: i + 1, name: `OS ${'y'.repeat(90)} ${i}` })),
        locations: Array.from({ length: 101 }, (_, i) => `loc-${i}`),
      },
      {},
    );
    expect(limitViolations(view)).toEqual([]);
    const plan = inputs(view).find((b) => b.block_id === INPUT.plan);
    expect(plan?.element.type === 'static_select' && plan.element.options?.length).toBe(100);
    expect(inputs(view).some((b) => b.block_id === INPUT.planOther)).toBe(true);
  });
});

describe('reviewView', () => {
  it('shows the lines, binds the confirmation and keeps the submit label short', () => {
    const view = reviewView(
      'Review the new server please, it is long',
      confirmation({ action: 'create', input: { name: 'x', plan_id: 1, os_id: 1, location: 'l' } }),
      ['*Name:* x', '*Hostname:* &lt;y&gt;'],
      'Create this server right now, yes',
    );
    expect(limitViolations(view)).toEqual([]);
    expect(view.callback_id).toBe(VIEW.review);
    expect(view.private_metadata).toBe('c0nf1rmat10n-1d-xyz');
    expect(JSON.stringify(view.blocks)).toContain('*Name:* x\\n*Hostname:* &lt;y&gt;');
    expect(JSON.stringify(view.blocks)).toContain('Nothing is sent to VPS.org');
  });

  it('fits Slack with a preview of extreme values', () => {
    const input: CreateServerInput = {
      name: LONG_NAME,
      plan_id: 1,
      os_id: 5,
      location: 'us-west',
      hostname: LONG_HOSTNAME,
      ssh_key_id: 1,
      backups_enabled: true,
    };
    const lines = createPreview(input, { plans: [], systems: [], locations: [] });
    const view = reviewView('Create server', confirmation({ action: 'create', input }), lines, 'Create');
    expect(limitViolations(view)).toEqual([]);
    expect(limitViolations(confirmPrompt(confirmation({ action: 'create', input }), lines))).toEqual([]);
  });
});

describe('lookup answers', () => {
  it('lists ambiguous matches with their IDs', () => {
    const text = ambiguousText('web', [
      makeServer({ id: 1, name: 'web' }),
      makeServer({ id: 2, name: 'web' }),
    ]);
    expect(text).toContain('2 servers match `web`');
    expect(text).toContain('ID `1`');
    expect(text).toContain('ID `2`');
    expect(limitViolations(notice(text))).toEqual([]);
  });

  it('fits Slack even for many same-named servers with the longest hostnames', () => {
    const matches = Array.from({ length: 12 }, (_, i) =>
      makeServer({ id: 100 + i, name: LONG_NAME, hostname: `${i}${LONG_HOSTNAME.slice(1)}` }),
    );
    expect(limitViolations(notice(ambiguousText(LONG_NAME, matches)))).toEqual([]);
  });

  it('suggests near names, escaped', () => {
    const text = missingText('<!channel>', ['web-server-01', '<!here>']);
    expect(text).toContain('*web-server-01*');
    expectEscaped({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
    expect(missingText('x', [])).toContain('/vps list');
  });
});

describe('echoes of what the person typed', () => {
  const typed = `${'<!channel>'.repeat(30)}&${'w'.repeat(4700)}`;
  // 79 characters of it, then the ellipsis.
  const cut = `${escapeText(`${'<!channel>'.repeat(7)}<!channel`)}…`;
  const shown = `\`${cut}\``;

  it('are shortened with an ellipsis and escaped, so the whole answer stays', () => {
    const missing = missingText(typed, []);
    expect(missing).toBe(
      `No server matches ${shown} (by ID, name or hostname). \`/vps list\` shows them all.`,
    );
    const ambiguous = ambiguousText(typed, [makeServer({ id: 1 }), makeServer({ id: 2 })]);
    expect(ambiguous).toContain(`2 servers match ${shown}:`);
    expect(ambiguous).toContain('Use the ID, e.g. `/vps show 1`.');
    for (const text of [missing, ambiguous]) {
      expect(limitViolations(notice(text))).toEqual([]);
      expectEscaped({ blocks: notice(text).blocks });
    }
  });

  it('in error sentences too', () => {
    const unknown = new VpsError({ kind: 'timeout', message: 'slow', operation: 'POST /servers/1/stop/' });
    const text = errorSentence(unknown, 'stop', typed);
    expect(text.length).toBeLessThan(400);
    expect(text).toContain(`Check with \`/vps show ${cut}\`.`);
    expectEscaped({ blocks: notice(text).blocks });
    expect(errorSentence(new VpsError({ kind: 'not_found', message: 'gone' }), undefined, typed)).toBe(
      `No such server: ${cut}. It may have been deleted.`,
    );
  });
});

describe('loadingView and messageView', () => {
  it('fit Slack, cutting a text too long for one section', () => {
    const loading = loadingView('Opening the edit form for a server', 'Looking web-server-01 up…');
    expect(limitViolations(loading)).toEqual([]);
    expect(loading.title.text.length).toBeLessThanOrEqual(24);
    const matches = Array.from({ length: 12 }, (_, i) =>
      makeServer({ id: 100 + i, name: LONG_NAME, hostname: `${i}${LONG_HOSTNAME.slice(1)}` }),
    );
    const view = messageView('Edit server', ambiguousText(LONG_NAME, matches));
    expect(limitViolations(view)).toEqual([]);
    expect(JSON.stringify(view.blocks)).toContain('12 servers match');
  });
});
