import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  checkboxesValue,
  radioValue,
  type SlackStandin,
  type InputValue as StandinValue,
  selectValue,
  textValue,
  type ViewValues,
} from '../slack-standin/index.js';
import type { Assets } from './assets.js';
import { type CommandInfo, channelsOf, clientState } from './client-state.js';
import type { EventStream } from './events.js';
import { fromHere, HttpProblem, readJson, SECURITY_HEADERS, send, sendJson } from './http.js';
import { isPerson } from './identity.js';
import {
  type Answer,
  type FormValues,
  type InputValue,
  STATUSES,
  type VpsControl,
  type VpsPanelState,
} from './protocol.js';
import { ControlError, type VpsPanel } from './vps-panel.js';

export interface RouteDeps {
  slack: SlackStandin;
  /** The simulator's panel, or undefined when a real VPS.org is used. */
  panel: VpsPanel | undefined;
  externalVpsUrl: string | undefined;
  events: EventStream;
  assets: Assets;
  command: CommandInfo;
  /** Settles once the bot answers requests. */
  ready: Promise<void>;
  /** Something changed outside a recorded call: tell the pages, save. */
  changed(what: 'slack' | 'vps'): void;
  /** Forgets the conversation (messages, modals), keeping the people and channels. */
  clearConversation(): void;
}

const person = z.string().refine(isPerson, 'not a person of the playground');
const text = z.string().max(4000);

const commandSchema = z.object({ user: person, channel: z.string(), text });
const clickSchema = z.union([
  z.object({
    user: person,
    actionId: z.string(),
    value: z.string().optional(),
    channel: z.string(),
    ts: z.string(),
    ephemeral: z.boolean(),
  }),
  z.object({ user: person, actionId: z.string(), value: z.string().optional(), viewId: z.string() }),
]);
const option = z.object({ value: z.string() });
const inputValue = z.discriminatedUnion('type', [
  z.object({ type: z.literal('plain_text_input'), value: text.nullable() }),
  z.object({ type: z.literal('static_select'), selected_option: option.nullable() }),
  z.object({ type: z.literal('checkboxes'), selected_options: z.array(option) }),
  z.object({ type: z.literal('radio_buttons'), selected_option: option.nullable() }),
]);
const submitSchema = z.object({
  user: person,
  viewId: z.string(),
  values: z.record(z.string(), z.record(z.string(), inputValue)),
});
const closeSchema = z.object({ user: person, back: z.boolean().optional() });
const homeSchema = z.object({ user: person });
const controlSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('status'), id: z.number().int().positive(), status: z.enum(STATUSES) }),
  z.object({ action: z.literal('failing'), mode: z.enum(['none', 'errors', 'hang']) }),
  z.object({ action: z.literal('balance'), ok: z.boolean() }),
  z.object({ action: z.literal('add'), count: z.number().int() }),
  z.object({ action: z.literal('add-named'), name: z.string().min(1).max(200) }),
  z.object({ action: z.literal('reset') }),
]);

async function body<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await readJson(req));
  if (!parsed.success) throw new HttpProblem(400, 'That request is not one the playground knows.');
  return parsed.data;
}

function visible(user: string, channel: string): boolean {
  return channelsOf(user).some((c) => c.id === channel);
}

/** What Slack would say when the app does not acknowledge in time or fails. */
function unanswered(status: number): Answer {
  return { ok: false, error: `vps-bot did not answer (HTTP ${status}). Its log in the terminal says why.` };
}

async function toBot(send: () => Promise<{ status: number }>): Promise<{ status: number }> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('SlackStandin:')) {
      throw new HttpProblem(409, 'That is no longer there: the message or form has changed.');
    }
    throw new HttpProblem(502, 'vps-bot is not running: see the terminal.');
  }
}

/** The page and what it calls; the stand-in's own Web API and response URLs share the port. */
export class Routes {
  constructor(
    private readonly deps: RouteDeps,
    private readonly port: () => number,
  ) {}

  /** Answers the request, or returns false to leave it to the stand-in (/api/, /response/). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    // Every answer on the page's origin carries the policy: the stand-in's Web API and response URLs,
    // their errors, and a 500 from a route that threw (set here, merged into whatever writeHead sends).
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (!fromHere(req, this.port())) {
      req.resume();
      send(res, 403, 'This playground answers only http://127.0.0.1 pages of its own.', 'text/plain');
      return true;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/response/')) return false;
    try {
      await this.#route(req, res, url);
    } catch (error) {
      if (!(error instanceof HttpProblem)) throw error;
      sendJson(res, error.status, { ok: false, error: error.message } satisfies Answer);
    }
    return true;
  }

  async #route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    if (method === 'GET' || method === 'HEAD') {
      if (url.pathname === '/playground/state') return this.#state(res, url);
      if (url.pathname === '/playground/events') return this.deps.events.open(res);
      const asset = this.deps.assets.get(url.pathname);
      if (asset) return send(res, 200, asset.body, asset.type, { 'Cache-Control': 'no-cache' });
      return send(res, 404, 'Not found.', 'text/plain; charset=utf-8');
    }
    if (method !== 'POST') {
      req.resume();
      return send(res, 405, 'Method not allowed.', 'text/plain; charset=utf-8', { Allow: 'GET, POST' });
    }
    switch (url.pathname) {
      case '/playground/command':
        return sendJson(res, 200, await this.#command(await body(req, commandSchema)));
      case '/playground/click':
        return sendJson(res, 200, await this.#click(await body(req, clickSchema)));
      case '/playground/submit':
        return sendJson(res, 200, await this.#submit(await body(req, submitSchema)));
      case '/playground/close':
        return sendJson(res, 200, await this.#close(await body(req, closeSchema)));
      case '/playground/home':
        return sendJson(res, 200, await this.#home(await body(req, homeSchema)));
      case '/playground/vps':
        return sendJson(res, 200, this.#control(await body(req, controlSchema)));
      case '/playground/clear':
        await readJson(req);
        this.deps.clearConversation();
        return sendJson(res, 200, { ok: true } satisfies Answer);
      default:
        req.resume();
        return send(res, 404, 'Not found.', 'text/plain; charset=utf-8');
    }
  }

  #state(res: ServerResponse, url: URL): void {
    const me = url.searchParams.get('user') ?? '';
    if (!isPerson(me)) throw new HttpProblem(400, 'Ask as one of the playground people.');
    sendJson(res, 200, clientState(this.deps.slack, me, this.#vps(), this.deps.command));
  }

  #vps(): VpsPanelState {
    return this.deps.panel?.state() ?? { kind: 'external', url: this.deps.externalVpsUrl ?? '' };
  }

  async #command(input: z.infer<typeof commandSchema>): Promise<Answer> {
    if (!visible(input.user, input.channel)) throw new HttpProblem(400, 'No such channel.');
    const typed = input.text.trim();
    const match = /^(\/\S+)\s*([\s\S]*)$/.exec(typed);
    if (!match)
      return { ok: false, error: `vps-bot answers slash commands: try ${this.deps.command.name} help` };
    const [, name = '', rest = ''] = match;
    if (name !== this.deps.command.name) {
      return {
        ok: false,
        error: `${name} is not a valid command. This workspace has one: ${this.deps.command.name}.`,
      };
    }
    await this.deps.ready;
    const ack = await toBot(() =>
      this.deps.slack.command({ user: input.user, channel: input.channel, command: name, text: rest }),
    );
    return ack.status === 200 ? { ok: true } : unanswered(ack.status);
  }

  async #click(input: z.infer<typeof clickSchema>): Promise<Answer> {
    const { slack } = this.deps;
    const clicked = {
      user: input.user,
      actionId: input.actionId,
      ...(input.value === undefined ? {} : { value: input.value }),
    };
    await this.deps.ready;
    let ack: { status: number };
    if ('viewId' in input) {
      const home = slack.homeView(input.user);
      const view =
        slack.modals(input.user).find((v) => v.id === input.viewId) ??
        (home?.id === input.viewId ? home : undefined);
      if (!view) throw new HttpProblem(409, 'That form is no longer open.');
      ack = await toBot(() => slack.click({ ...clicked, view }));
    } else {
      if (!visible(input.user, input.channel)) throw new HttpProblem(400, 'No such channel.');
      const { channel, ts } = input;
      if (input.ephemeral) {
        const message = slack.ephemeralMessages(channel).find((m) => m.ts === ts && m.user === input.user);
        if (!message) throw new HttpProblem(409, 'That message is gone.');
        ack = await toBot(() =>
          slack.click({
            ...clicked,
            message: { channel, ts, blocks: message.blocks ?? [], ephemeral: true },
          }),
        );
      } else {
        if (!slack.message(channel, ts)) throw new HttpProblem(409, 'That message is gone.');
        ack = await toBot(() => slack.click({ ...clicked, message: { channel, ts } }));
      }
    }
    return ack.status === 200 ? { ok: true } : unanswered(ack.status);
  }

  /** The person shows their Home tab: app_home_opened, which the bot answers with views.publish. */
  async #home(input: z.infer<typeof homeSchema>): Promise<Answer> {
    await this.deps.ready;
    const ack = await toBot(() => this.deps.slack.openHome(input.user));
    return ack.status === 200 ? { ok: true } : unanswered(ack.status);
  }

  async #submit(input: z.infer<typeof submitSchema>): Promise<Answer> {
    const { slack } = this.deps;
    const view = slack.modals(input.user).at(-1);
    if (!view || view.id !== input.viewId) throw new HttpProblem(409, 'That form is no longer open.');
    await this.deps.ready;
    const ack = await toBot(() =>
      slack.submitView({ view, user: input.user, values: viewValues(input.values) }),
    );
    this.deps.changed('slack');
    if (ack.status !== 200) return unanswered(ack.status);
    const json = 'json' in ack ? ack.json : undefined;
    const errors = errorsOf(json);
    return errors ? { ok: true, errors } : { ok: true };
  }

  async #close(input: z.infer<typeof closeSchema>): Promise<Answer> {
    if (input.back) this.deps.slack.backView(input.user);
    else await toBot(() => this.deps.slack.closeView(input.user).then((r) => r ?? { status: 200 }));
    this.deps.changed('slack');
    return { ok: true };
  }

  #control(control: VpsControl): Answer {
    const { panel } = this.deps;
    if (!panel) return { ok: false, error: 'The panel steers only the built-in simulator.' };
    try {
      panel.apply(control);
    } catch (error) {
      if (error instanceof ControlError) return { ok: false, error: error.message };
      throw error;
    }
    this.deps.changed('vps');
    return { ok: true };
  }
}

/** The page sends option values; the stand-in puts in the view's own option text, as Slack does. */
function standinValue(value: InputValue): StandinValue {
  switch (value.type) {
    case 'plain_text_input':
      return textValue(value.value);
    case 'static_select':
      return value.selected_option === null
        ? { type: 'static_select', selected_option: null }
        : selectValue(value.selected_option.value);
    case 'checkboxes':
      return checkboxesValue(value.selected_options.map((o) => o.value));
    case 'radio_buttons':
      return value.selected_option === null
        ? { type: 'radio_buttons', selected_option: null }
        : radioValue(value.selected_option.value);
  }
}

function viewValues(values: FormValues): ViewValues {
  return Object.fromEntries(
    Object.entries(values).map(([block, actions]) => [
      block,
      Object.fromEntries(Object.entries(actions).map(([action, value]) => [action, standinValue(value)])),
    ]),
  );
}

function errorsOf(json: unknown): Record<string, string> | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const { response_action: action, errors } = json as { response_action?: unknown; errors?: unknown };
  if (action !== 'errors' || typeof errors !== 'object' || errors === null) return undefined;
  return Object.fromEntries(
    Object.entries(errors as Record<string, unknown>).map(([block, message]) => [block, String(message)]),
  );
}
