import { INPUT_LIMITS, LIST_FILTER_WORD, tooLong } from '../input-limits.js';
import type { ScheduledAction } from '../pending-records.js';
import { nearest } from '../service/lookup.js';
import { parseWhen, type When } from '../service/when.js';
import type { ListFilter } from '../vps/client.js';
import { type CreateServerInput, parseId } from '../vps/inputs.js';
import { LIST_STATUSES } from '../vps/schemas.js';
import { echoed } from './blocks/text.js';

/** `/vps …` as typed, turned into one typed command or one specific complaint. */
export type Command =
  | { verb: 'help' }
  | { verb: 'list'; filter: ListFilter }
  | { verb: 'show'; server: string }
  | { verb: 'create-form' }
  | { verb: 'create'; input: CreateServerInput }
  | { verb: 'start' | 'stop' | 'reboot' | 'delete' | 'edit'; server: string }
  | { verb: 'rename'; server: string; name: string }
  | { verb: 'hostname'; server: string; hostname: string }
  | { verb: 'backups'; server: string; enabled: boolean }
  | { verb: 'subscribe' | 'unsubscribe'; target: string }
  | { verb: 'subscriptions' }
  | { verb: 'history'; server: string }
  | { verb: 'schedule'; action: ScheduledAction; server: string; when: When }
  | { verb: 'scheduled' };

export type ParseResult =
  | { ok: true; command: Command }
  | { ok: false; problem: string; usage?: string | undefined; suggestion?: string | undefined };

export const USAGE = {
  list: '/vps list [status] [location=<code>]',
  show: '/vps show <server>',
  create:
    '/vps create <name> plan=<id> os=<id> location=<code> [hostname=<fqdn>] [ssh_key=<id>] [backups=on|off]',
  start: '/vps start <server>',
  stop: '/vps stop <server>',
  reboot: '/vps reboot <server>',
  delete: '/vps delete <server>',
  edit: '/vps edit <server>',
  rename: '/vps rename <server> <new-name>',
  hostname: '/vps hostname <server> <fqdn>',
  backups: '/vps backups <server> on|off',
  subscribe: '/vps subscribe [all|<server>]',
  unsubscribe: '/vps unsubscribe [all|<server>]',
  subscriptions: '/vps subscriptions',
  history: '/vps history <server>',
  scheduled: '/vps scheduled',
} as const;

/** The scheduled forms of start, stop and reboot. */
export const SCHEDULE_USAGE =
  '/vps start|stop|reboot <server> at <HH:MM | YYYY-MM-DD HH:MM> | in <duration>; /vps stop <server> for <duration>';

const WHEN_WORDS = ['at', 'in', 'for'];

const ALIASES: Record<string, string> = { info: 'show', status: 'show', ls: 'list', '?': 'help' };
const VERBS = ['help', 'list', 'show', 'info', 'status', 'create', ...Object.keys(USAGE)];
const ON = ['on', 'yes', 'true', 'enable', 'enabled'];
const OFF = ['off', 'no', 'false', 'disable', 'disabled'];

/**
 * Slack sends `&`, `<`, `>` escaped and may wrap what looks like a link or an e-mail address as
 * `<http://web01.example.com|web01.example.com>`: take back what the person typed. A wrapped link
 * holds no `<` (Slack escapes the person's own), so each match stops at the next `<`: the work stays
 * linear in the length, whatever the text (`<<<<…` with no `>` included).
 */
export function words(text: string): string[] {
  return text
    .replace(/<(?:https?:\/\/|mailto:)?([^|<>]*)\|([^<>]*)>/g, '$2')
    .replace(/<(?:https?:\/\/|mailto:)?([^<>]*)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .split(/\s+/)
    .filter((word) => word !== '');
}

function fail(problem: string, usage?: string, suggestion?: string): ParseResult {
  return { ok: false, problem, usage, suggestion };
}

function ok(command: Command): ParseResult {
  return { ok: true, command };
}

/** `/vps <text>` as Slack sends it: one typed command, or one specific complaint. Total and linear. */
export function parseCommand(text: string): ParseResult {
  if (text.length > INPUT_LIMITS.commandText) {
    return fail(tooLong('That command', text.length, INPUT_LIMITS.commandText));
  }
  const [first, ...args] = words(text);
  if (first === undefined) return ok({ verb: 'help' });
  const typed = first.toLowerCase();
  const verb = ALIASES[typed] ?? typed;
  const long = args.find((arg) => arg.slice(arg.indexOf('=') + 1).length > INPUT_LIMITS.word);
  if (long !== undefined) {
    const value = long.slice(long.indexOf('=') + 1);
    return fail(tooLong(`\`${echoed(value)}\``, value.length, INPUT_LIMITS.word));
  }
  switch (verb) {
    case 'help':
      return ok({ verb: 'help' });
    case 'list':
      return parseList(args);
    case 'create':
      return args.length === 0 ? ok({ verb: 'create-form' }) : parseCreate(args);
    case 'subscribe':
    case 'unsubscribe':
      if (args.length > 1) return fail(`\`${verb}\` takes \`all\` or one server.`, USAGE[verb]);
      return ok({ verb, target: args[0] === undefined || args[0].toLowerCase() === 'all' ? 'all' : args[0] });
    case 'subscriptions':
      if (args.length > 0) return fail('`subscriptions` takes nothing more.', USAGE.subscriptions);
      return ok({ verb });
    case 'scheduled':
      if (args.length > 0) return fail('`scheduled` takes nothing more.', USAGE.scheduled);
      return ok({ verb });
    case 'show':
    case 'history':
    case 'start':
    case 'stop':
    case 'reboot':
    case 'delete':
    case 'edit': {
      const usage = USAGE[verb];
      if (args.length === 0) return fail(`Which server? Give its ID, name or hostname.`, usage);
      if (args.length > 1 && WHEN_WORDS.includes(args[1]?.toLowerCase() ?? '')) {
        return parseSchedule(verb, args[0] as string, args.slice(1));
      }
      if (args.length > 1) return fail(`\`${verb}\` takes one server, not ${args.length} words.`, usage);
      return ok({ verb, server: args[0] as string });
    }
    case 'rename':
    case 'hostname': {
      const usage = USAGE[verb];
      const [server, value, ...rest] = args;
      if (server === undefined || value === undefined || rest.length > 0) {
        return fail(
          `\`${verb}\` takes a server and the new ${verb === 'rename' ? 'name' : 'hostname'}.`,
          usage,
        );
      }
      return ok(verb === 'rename' ? { verb, server, name: value } : { verb, server, hostname: value });
    }
    case 'backups': {
      const [server, setting, ...rest] = args;
      const enabled = onOff(setting);
      if (server === undefined || enabled === undefined || rest.length > 0) {
        return fail('`backups` takes a server and `on` or `off`.', USAGE.backups);
      }
      return ok({ verb, server, enabled });
    }
    default: {
      const [guess] = nearest(typed, VERBS, 1);
      return fail(`There is no \`/vps ${echoed(first)}\` command.`, undefined, guess);
    }
  }
}

/** `stop web-01 at 18:00`, `reboot web-01 in 30m`, `stop web-01 for 2h`. */
function parseSchedule(verb: string, server: string, rest: string[]): ParseResult {
  if (verb !== 'start' && verb !== 'stop' && verb !== 'reboot') {
    return fail(`Only start, stop and reboot can be scheduled, not \`${verb}\`.`, SCHEDULE_USAGE);
  }
  if (rest[0]?.toLowerCase() === 'for' && verb !== 'stop') {
    return fail(
      `\`for\` works with stop only: \`/vps stop <server> for 2h\` stops it now and starts it again after two hours. To ${verb} later, use \`at\` or \`in\`.`,
      SCHEDULE_USAGE,
    );
  }
  const when = parseWhen(rest, echoed);
  if (!when.ok) return fail(when.problem, SCHEDULE_USAGE);
  return ok({ verb: 'schedule', action: verb, server, when: when.when });
}

function onOff(word: string | undefined): boolean | undefined {
  const lower = word?.toLowerCase() ?? '';
  if (ON.includes(lower)) return true;
  if (OFF.includes(lower)) return false;
  return undefined;
}

function parseList(args: string[]): ParseResult {
  const filter: ListFilter = {};
  for (const arg of args) {
    const [key, value] = splitPair(arg);
    if (value === undefined) {
      const status = arg.toLowerCase();
      if (!(LIST_STATUSES as readonly string[]).includes(status)) {
        const [guess] = nearest(status, LIST_STATUSES, 1);
        return fail(
          `\`${echoed(arg)}\` is not a status. Statuses: ${LIST_STATUSES.join(', ')}.`,
          USAGE.list,
          guess && `list ${guess}`,
        );
      }
      filter.status = status;
    } else if ((key === 'status' || key === 'location') && value.length > INPUT_LIMITS.listFilter) {
      return fail(tooLong(`The ${key}`, value.length, INPUT_LIMITS.listFilter), USAGE.list);
    } else if ((key === 'status' || key === 'location') && value !== '' && !LIST_FILTER_WORD.test(value)) {
      return fail(
        `\`${echoed(value)}\` is not a ${key === 'status' ? 'status' : 'location code'}: letters, digits, - and _ only.`,
        USAGE.list,
      );
    } else if (key === 'status' && value !== '') {
      filter.status = value.toLowerCase();
    } else if (key === 'location' && value !== '') {
      filter.location = value;
    } else {
      return fail(
        `\`${echoed(arg)}\` is not a list filter: use status=<status> or location=<code>.`,
        USAGE.list,
      );
    }
  }
  return ok({ verb: 'list', filter });
}

function splitPair(arg: string): [string, string | undefined] {
  const at = arg.indexOf('=');
  return at < 0 ? [arg, undefined] : [arg.slice(0, at).toLowerCase(), arg.slice(at + 1)];
}

const CREATE_KEYS = ['plan', 'os', 'location', 'hostname', 'ssh_key', 'backups'] as const;

function parseCreate(args: string[]): ParseResult {
  const [name, ...pairs] = args;
  if (name === undefined || name.includes('=')) {
    return fail('`create` needs the new server name first.', USAGE.create);
  }
  const values = new Map<string, string>();
  for (const pair of pairs) {
    const [key, value] = splitPair(pair);
    if (value === undefined || value === '')
      return fail(`\`${echoed(pair)}\` needs a value, as in ${echoed(key)}=<value>.`, USAGE.create);
    if (!(CREATE_KEYS as readonly string[]).includes(key)) {
      const [guess] = nearest(key, CREATE_KEYS, 1);
      return fail(
        `\`${echoed(key)}\` is not a create option.`,
        USAGE.create,
        guess && `${guess}=${echoed(value)}`,
      );
    }
    if (values.has(key)) return fail(`\`${echoed(key)}\` is given twice.`, USAGE.create);
    values.set(key, value);
  }
  for (const required of ['plan', 'os', 'location'] as const) {
    if (!values.has(required))
      return fail(`\`create\` needs ${required}=<${required === 'location' ? 'code' : 'id'}>.`, USAGE.create);
  }
  const numbers: Record<string, number> = {};
  for (const key of ['plan', 'os', 'ssh_key'] as const) {
    const value = values.get(key);
    if (value === undefined) continue;
    const id = parseId(value);
    if (id === undefined) return fail(`${key} must be a positive whole number (an ID).`, USAGE.create);
    numbers[key] = id;
  }
  const backups = values.get('backups');
  const enabled = backups === undefined ? undefined : onOff(backups);
  if (backups !== undefined && enabled === undefined)
    return fail('backups must be `on` or `off`.', USAGE.create);
  const input: CreateServerInput = {
    name,
    plan_id: numbers.plan as number,
    os_id: numbers.os as number,
    location: values.get('location') as string,
  };
  const hostname = values.get('hostname');
  if (hostname !== undefined) input.hostname = hostname;
  if (numbers.ssh_key !== undefined) input.ssh_key_id = numbers.ssh_key;
  if (enabled !== undefined) input.backups_enabled = enabled;
  return ok({ verb: 'create', input });
}
