import { ACTION } from '../ids.js';
import { context, type KnownBlock, type SlackMessage, section } from './kit.js';
import { escapeText } from './text.js';

interface HelpLine {
  usage: string;
  what: string;
  changes: boolean;
}

const LINES: HelpLine[] = [
  {
    usage: '/vps list [status] [location=<code>]',
    what: 'list servers, e.g. `/vps list stopped`',
    changes: false,
  },
  { usage: '/vps show <server>', what: 'one server in detail (also `info`, `status`)', changes: false },
  { usage: '/vps create', what: 'create a server with a form', changes: true },
  {
    usage:
      '/vps create <name> plan=<id> os=<id> location=<code> [hostname=<fqdn>] [ssh_key=<id>] [backups=on|off]',
    what: 'create a server in one line (shows what it will create first)',
    changes: true,
  },
  { usage: '/vps start <server>', what: 'power on a stopped server', changes: true },
  { usage: '/vps stop <server>', what: 'shut a server down (asks to confirm)', changes: true },
  { usage: '/vps reboot <server>', what: 'restart a server (asks to confirm)', changes: true },
  {
    usage: '/vps delete <server>',
    what: 'delete a server for good (asks you to type its name)',
    changes: true,
  },
  { usage: '/vps rename <server> <new-name>', what: 'rename a server', changes: true },
  { usage: '/vps hostname <server> <fqdn>', what: 'change its hostname', changes: true },
  {
    usage: '/vps backups <server> on|off',
    what: 'turn automatic backups on or off (off asks to confirm)',
    changes: true,
  },
  { usage: '/vps edit <server>', what: 'edit name, hostname and backups in a form', changes: true },
  {
    usage: '/vps start|stop|reboot <server> at <HH:MM | YYYY-MM-DD HH:MM>',
    what: 'do it at that time, in your Slack time zone (asks to confirm as it would now)',
    changes: true,
  },
  {
    usage: '/vps start|stop|reboot <server> in <duration>',
    what: 'do it later, e.g. `in 30m`, `in 2h`',
    changes: true,
  },
  {
    usage: '/vps stop <server> for <duration>',
    what: 'stop it now and start it again after, e.g. `for 2h`',
    changes: true,
  },
  { usage: '/vps scheduled', what: 'what is scheduled, with Cancel buttons', changes: false },
  {
    usage: '/vps history <server>',
    what: 'the last 20 changes to a server: who, what, when, outcome',
    changes: false,
  },
  { usage: '/vps subscriptions', what: 'what this channel gets status notifications about', changes: false },
  { usage: '/vps subscribe [all|<server>]', what: 'this channel gets status notifications', changes: true },
  { usage: '/vps unsubscribe [all|<server>]', what: 'this channel stops getting them', changes: true },
  { usage: '/vps help', what: 'this help', changes: false },
];

/** What the Share button of the help carries. */
export const HELP_SHARE_VALUE = 'help';

/**
 * Help lists only what the asking person may do. Asked for on its own, it can be shared in the
 * channel like the other lookups; after a mistyped command (`intro`), it answers that person only.
 */
export function helpMessage(
  mayChange: boolean,
  intro?: string,
  options: { shareable?: boolean } = {},
): SlackMessage {
  const lines = LINES.filter((line) => mayChange || !line.changes);
  const text = lines.map((line) => `\`${escapeText(line.usage)}\`\n        ${line.what}`).join('\n');
  const blocks: KnownBlock[] = [];
  if (intro) blocks.push(section(intro));
  blocks.push(
    section(`*vps-bot: your VPS.org servers from Slack*\n${text}`),
    context(
      mayChange
        ? '`&lt;server&gt;` is an ID, an exact name or an exact hostname. Changes are announced in the channel.'
        : '`&lt;server&gt;` is an ID, an exact name or an exact hostname. You may look; changing servers is for operators.',
    ),
  );
  if (options.shareable && !intro) {
    blocks.push({
      type: 'actions',
      block_id: 'help.share',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Share in channel' },
          action_id: ACTION.share,
          value: HELP_SHARE_VALUE,
        },
      ],
    });
  }
  return { text: `vps-bot help: ${lines.map((line) => escapeText(line.usage)).join(', ')}`, blocks };
}
