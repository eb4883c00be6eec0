/**
 * Slack's mrkdwn as a tree, for the page to draw with DOM nodes (never as HTML). Pure: no DOM here, so
 * it is unit-tested in Node. Text arrives with `&`, `<` and `>` escaped as entities; they are decoded
 * exactly once, after the structure is read, so `&lt;b&gt;` is the text `<b>`, never a tag, and
 * `&amp;lt;` is the text `&lt;`.
 */

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'bold' | 'italic' | 'strike'; children: Inline[] }
  | { kind: 'code'; text: string }
  | { kind: 'link'; url: string; label: string }
  | { kind: 'user'; id: string; label?: string }
  | { kind: 'channel'; id: string; label?: string }
  | { kind: 'usergroup'; id: string; label?: string }
  | { kind: 'broadcast'; name: 'here' | 'channel' | 'everyone' }
  | { kind: 'date'; seconds: number; format: string; fallback: string; url?: string }
  | { kind: 'emoji'; name: string; char: string | undefined }
  | { kind: 'newline' };

export type Block = { kind: 'paragraph'; children: Inline[] } | { kind: 'pre'; text: string };

/** The three entities Slack escapes, decoded in one pass: what a decode produced is never decoded again. */
export function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) =>
    name === 'amp' ? '&' : name === 'lt' ? '<' : '>',
  );
}

/** The emoji the bot uses, and a few more; an unknown one stays `:name:`, as text. */
export const EMOJI: Readonly<Record<string, string>> = {
  white_check_mark: '✅',
  warning: '⚠️',
  hourglass_flowing_sand: '⏳',
  hourglass: '⌛',
  alarm_clock: '⏰',
  raised_hand: '✋',
  no_entry_sign: '🚫',
  grey_question: '❔',
  large_green_circle: '🟢',
  red_circle: '🔴',
  x: '❌',
  wastebasket: '🗑️',
  no_entry: '⛔',
  bell: '🔔',
  no_bell: '🔕',
  new: '🆕',
  hammer_and_wrench: '🛠️',
  double_vertical_bar: '⏸️',
  arrows_counterclockwise: '🔄',
  tada: '🎉',
  rocket: '🚀',
  eyes: '👀',
  thumbsup: '👍',
  '+1': '👍',
  information_source: 'ℹ️',
};

const SAFE_SCHEMES = /^(https?:|mailto:)/i;

export function isSafeUrl(url: string): boolean {
  return SAFE_SCHEMES.test(url);
}

const BEFORE_MARKER = /[\s([{"'`*_~>.,;:!?-]/;
const AFTER_MARKER = /[\s)\]}"'`*_~<.,;:!?-]/;

function opens(s: string, i: number): boolean {
  const next = s[i + 1];
  const previous = s[i - 1];
  return next !== undefined && !/\s/.test(next) && (previous === undefined || BEFORE_MARKER.test(previous));
}

/** The closing marker on the same line, with no space before it and a word boundary after it. */
function closing(s: string, i: number, marker: string): number {
  for (let j = i + 2; j < s.length; j += 1) {
    const c = s[j];
    if (c === '\n') return -1;
    if (c !== marker) continue;
    const before = s[j - 1] ?? ' ';
    const after = s[j + 1];
    if (!/\s/.test(before) && (after === undefined || AFTER_MARKER.test(after))) return j;
  }
  return -1;
}

function withLabel(body: string): { target: string; label: string | undefined } {
  const bar = body.indexOf('|');
  return bar < 0
    ? { target: body, label: undefined }
    : { target: body.slice(0, bar), label: decodeEntities(body.slice(bar + 1)) };
}

/** `<...>`: a link, a mention, a broadcast, a date. */
function angle(body: string): Inline {
  const { target, label } = withLabel(body);
  if (target.startsWith('@')) return { kind: 'user', id: target.slice(1), ...(label ? { label } : {}) };
  if (target.startsWith('#')) return { kind: 'channel', id: target.slice(1), ...(label ? { label } : {}) };
  if (target.startsWith('!')) {
    const special = target.slice(1);
    if (special === 'here' || special === 'channel' || special === 'everyone')
      return { kind: 'broadcast', name: special };
    if (special.startsWith('subteam^')) {
      return { kind: 'usergroup', id: special.slice('subteam^'.length), ...(label ? { label } : {}) };
    }
    const date = /^date\^(\d+)\^([^^]*)(?:\^(.*))?$/.exec(special);
    if (date) {
      const url = date[3] === undefined ? undefined : decodeEntities(date[3]);
      return {
        kind: 'date',
        seconds: Number(date[1]),
        format: decodeEntities(date[2] ?? ''),
        fallback: label ?? '',
        ...(url === undefined ? {} : { url }),
      };
    }
    return { kind: 'text', text: label ?? `@${special}` };
  }
  const url = decodeEntities(target);
  return { kind: 'link', url, label: label ?? url };
}

/** One paragraph's inline elements. */
export function parseInline(s: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') out.push({ kind: 'text', text: decodeEntities(text) });
    text = '';
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i] ?? '';
    if (c === '<') {
      const end = s.indexOf('>', i + 1);
      const body = end < 0 ? '' : s.slice(i + 1, end);
      if (body !== '' && !body.includes('<') && !body.includes('\n')) {
        flush();
        out.push(angle(body));
        i = end + 1;
        continue;
      }
    } else if (c === '`') {
      const end = s.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push({ kind: 'code', text: decodeEntities(s.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    } else if ((c === '*' || c === '_' || c === '~') && opens(s, i)) {
      const end = closing(s, i, c);
      if (end > 0) {
        flush();
        const kind = c === '*' ? 'bold' : c === '_' ? 'italic' : 'strike';
        out.push({ kind, children: parseInline(s.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    } else if (c === ':') {
      const emoji = /^:([a-z0-9_+'-]+):/.exec(s.slice(i));
      if (emoji?.[1] !== undefined) {
        flush();
        out.push({ kind: 'emoji', name: emoji[1], char: EMOJI[emoji[1]] });
        i += emoji[0].length;
        continue;
      }
    } else if (c === '\n') {
      flush();
      out.push({ kind: 'newline' });
      i += 1;
      continue;
    }
    text += c;
    i += 1;
  }
  flush();
  return out;
}

/** Paragraphs and ``` code blocks. */
export function parseMrkdwn(s: string): Block[] {
  const blocks: Block[] = [];
  const parts = s.split('```');
  // An unclosed fence is text, as in Slack.
  const closed = parts.length % 2 === 1;
  parts.forEach((part, index) => {
    const isCode = index % 2 === 1 && (closed || index < parts.length - 1);
    if (isCode) {
      blocks.push({ kind: 'pre', text: decodeEntities(part.replace(/^\n/, '').replace(/\n$/, '')) });
    } else {
      const text = index % 2 === 1 ? `\`\`\`${part}` : part;
      const trimmed = index > 0 ? text.replace(/^\n/, '') : text;
      if (trimmed !== '') blocks.push({ kind: 'paragraph', children: parseInline(trimmed) });
    }
  });
  return blocks;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Slack's `<!date^…>` tokens in the reader's own time zone: {date_num}, {date}, {date_short},
 * {date_long}, the *_pretty forms (Today, Yesterday, Tomorrow), {time} and {time_secs}.
 */
export function formatDate(
  seconds: number,
  format: string,
  timeZone: string,
  now: Date = new Date(),
): string {
  const at = new Date(seconds * 1000);
  const parts = (date: Date, options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-US', { timeZone, ...options }).format(date);
  const ymd = (date: Date) => parts(date, { year: 'numeric', month: '2-digit', day: '2-digit' });
  const pretty = (fallback: string) => {
    const day = ymd(at);
    const offsets: [number, string][] = [
      [0, 'Today'],
      [-1, 'Yesterday'],
      [1, 'Tomorrow'],
    ];
    for (const [offset, word] of offsets) {
      if (ymd(new Date(now.getTime() + offset * 86_400_000)) === day) return word;
    }
    return fallback;
  };
  const numeric = () => {
    const [month, day, year] = ymd(at).split('/');
    return `${year}-${month}-${day}`;
  };
  const time = (secs: boolean) => {
    const fields = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(at);
    const get = (type: string) => pad(Number(fields.find((f) => f.type === type)?.value ?? 0));
    return `${get('hour')}:${get('minute')}${secs ? `:${get('second')}` : ''}`;
  };
  const short = () => parts(at, { month: 'short', day: 'numeric', year: 'numeric' });
  const long = () => parts(at, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
  const plain = () => parts(at, { month: 'long', day: 'numeric', year: 'numeric' });
  const tokens: Record<string, () => string> = {
    date_num: numeric,
    date: plain,
    date_short: short,
    date_long: long,
    date_pretty: () => pretty(plain()),
    date_short_pretty: () => pretty(short()),
    date_long_pretty: () => pretty(long()),
    time: () => time(false),
    time_secs: () => time(true),
  };
  return format.replace(/\{([a-z_]+)\}/g, (whole, token: string) => tokens[token]?.() ?? whole);
}
