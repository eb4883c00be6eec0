import { eventCallback, newEventId } from '../events.js';
import type { ClickInput, CommandInput, SlackStandin } from '../standin.js';
import {
  commandPayload,
  type Envelope,
  type EnvelopeOptions,
  envelope,
  retried,
  type SocketAck,
} from './envelopes.js';
import { SocketServer, type SocketServerOptions } from './server.js';

export interface SocketModeOptions extends SocketServerOptions {
  /** How long a delivery waits for the client's ack before it rejects; default 5000 ms. */
  ackTimeoutMs?: number;
}

export interface DeliverOptions extends EnvelopeOptions {
  ackTimeoutMs?: number;
}

/** An envelope delivered and the client's ack of it. */
export interface Delivered {
  envelope: Envelope;
  ack: SocketAck;
}

export interface SocketCommandResult extends Delivered {
  responseUrl: string;
  triggerId: string;
}

export interface SocketClickResult extends Delivered {
  triggerId: string;
  responseUrl?: string;
}

export interface SocketEventResult extends Delivered {
  eventId: string;
}

/**
 * The stand-in's Socket Mode side: apps.connections.open answers with its WebSocket URL, and
 * commands, clicks and events go to the app as envelopes instead of signed HTTP requests. Payloads
 * come from the stand-in's own builders, so response URLs, trigger ids and Web API calls are
 * recorded exactly as in HTTP mode. Kept out of the stand-in's index: only tests load `ws`.
 */
export class SocketModeSide {
  readonly server: SocketServer;
  private readonly ackTimeoutMs: number;

  private constructor(
    private readonly standin: SlackStandin,
    options: SocketModeOptions,
  ) {
    this.server = new SocketServer(options);
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5000;
  }

  /** Listens on a port of its own on 127.0.0.1 and plugs into the stand-in's apps.connections.open. */
  static async start(standin: SlackStandin, options: SocketModeOptions = {}): Promise<SocketModeSide> {
    const side = new SocketModeSide(standin, options);
    await side.server.listen();
    standin.setSocketUrl(() => side.server.issueUrl());
    return side;
  }

  async close(): Promise<void> {
    this.standin.setSocketUrl(undefined);
    await this.server.close();
  }

  /** Every ack the client sent, in order. */
  get acks(): readonly SocketAck[] {
    return this.server.book.acks;
  }

  /** Writes any envelope (hand-made, or a retry) and resolves with the client's ack of it. */
  deliver(sent: Envelope, options: { ackTimeoutMs?: number } = {}): Promise<SocketAck> {
    return this.server.send(sent, options.ackTimeoutMs ?? this.ackTimeoutMs);
  }

  /** Slack's retry of an envelope: the same envelope_id and payload, retry_attempt one more. */
  async redeliver(previous: Delivered, reason = 'timeout'): Promise<Delivered> {
    const again = retried(previous.envelope, reason);
    return { envelope: again, ack: await this.deliver(again) };
  }

  /** A slash command as a slash_commands envelope, with its own response URL and trigger id. */
  async command(input: CommandInput, options: DeliverOptions = {}): Promise<SocketCommandResult> {
    const { body, responseUrl, triggerId } = this.standin.prepareCommand(input);
    const delivered = await this.send(envelope('slash_commands', commandPayload(body), options), options);
    return { ...delivered, responseUrl, triggerId };
  }

  /** A click (block_actions) as an interactive envelope; see SlackStandin.click. */
  async click(input: ClickInput, options: DeliverOptions = {}): Promise<SocketClickResult> {
    const { payload, triggerId, responseUrl } = this.standin.prepareClick(input);
    const delivered = await this.send(envelope('interactive', payload, options), options);
    return { ...delivered, triggerId, ...(responseUrl === undefined ? {} : { responseUrl }) };
  }

  /** An Events API event as an events_api envelope, wrapped in its event_callback as over HTTP. */
  async event(event: Record<string, unknown>, options: DeliverOptions = {}): Promise<SocketEventResult> {
    const eventId = newEventId();
    const delivered = await this.send(
      envelope('events_api', eventCallback(event, eventId), options),
      options,
    );
    return { ...delivered, eventId };
  }

  /** Asks the client to reconnect (`{"type":"disconnect","reason":…}`), as Slack does every few hours. */
  disconnect(reason = 'refresh_requested'): void {
    this.server.disconnect(reason);
  }

  /** Cuts the connection without a word; the client should notice and reconnect. */
  drop(): void {
    this.server.drop();
  }

  /** Resolves once `count` connections have got their hello since the start. */
  waitForConnections(count: number, timeoutMs?: number): Promise<void> {
    return this.server.waitForConnections(count, timeoutMs);
  }

  get connections(): number {
    return this.server.connections;
  }

  private async send(sent: Envelope, options: DeliverOptions): Promise<Delivered> {
    const ack = await this.deliver(
      sent,
      options.ackTimeoutMs === undefined ? {} : { ackTimeoutMs: options.ackTimeoutMs },
    );
    return { envelope: sent, ack };
  }
}
