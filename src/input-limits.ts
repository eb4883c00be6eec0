/**
 * How much the bot accepts on every path input comes in by, checked where it enters: past a bound the
 * person gets a clear sentence and nothing more is done. The README ("Bad input") lists them; Slack's
 * own limits on what the bot sends are `LIMITS` in slack/blocks/kit.ts.
 */
export const INPUT_LIMITS = {
  /** `/vps <text>` as Slack sends it. The longest real command (a one-line create) is about 400. */
  commandText: 1000,
  /** One word of a command: a server name, hostname or option value (a hostname is at most 253). */
  word: 253,
  /** `status=` and `location=` of `/vps list`; they travel in the Previous/Next buttons. */
  listFilter: 64,
  /**
   * A button's value. The bot's own are a server ID, `server:<id>`, a confirmation's ID or a list
   * page (`list:` and JSON with two filters of at most 64 characters: under 900 even escaped).
   */
  buttonValue: 1000,
  /** A form's private_metadata: Slack's own limit. */
  privateMetadata: 3000,
  /** What a form's text fields take (each field also carries it as `max_length`). */
  field: {
    name: 63,
    hostname: 253,
    id: 16,
    location: 64,
    /** Slack's own limit for a plain_text_input, for a name VPS.org gave longer than `name`. */
    any: 3000,
  },
  /** A selected option's value: Slack's own limit. */
  optionValue: 150,
  /** Words longer than this get no "did you mean": no command or server name is that long. */
  suggestWord: 64,
  /** Server names compared with a mistyped one, at most, per command (the first ones listed). */
  suggestCandidates: 2000,
  /** Characters of the person's own input quoted back in an answer; longer is cut with an ellipsis. */
  echo: 80,
} as const;

const count = new Intl.NumberFormat('en-US');

/** `That command is too long (5,000 characters; the most is 1,000).` */
export function tooLong(what: string, length: number, max: number): string {
  return `${what} is too long (${count.format(length)} characters; the most is ${count.format(max)}).`;
}

/** What a `/vps list` status or location can be: one word, sent to VPS.org as it is. */
export const LIST_FILTER_WORD = /^[A-Za-z0-9_-]+$/;
