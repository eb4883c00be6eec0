import type { TrackedChange } from '../../records.js';
import type { Server } from '../../vps/schemas.js';
import { serverCard } from './card.js';
import { context, type KnownBlock, type SlackMessage, section } from './kit.js';
import { duration, escapeText, statusText } from './text.js';

/** Where a change stands, as its channel card shows it. */
export type ChangeState =
  | { kind: 'under_way'; elapsedMs?: number | undefined }
  | { kind: 'settled'; tookMs: number }
  | { kind: 'stuck'; afterMs: number }
  | { kind: 'done' };

export interface ChangeCardInput {
  /** `@alice stopped *web-server-01*`. */
  headline: string;
  actorId: string;
  serverName: string;
  /** The server now; undefined once deleted or gone. */
  server: Server | undefined;
  state: ChangeState;
}

function stateLine(input: ChangeCardInput): string | undefined {
  const { state, server } = input;
  switch (state.kind) {
    case 'settled':
      return server
        ? `:white_check_mark: Settled: ${statusText(server.status)} after ${duration(state.tookMs)}`
        : `:white_check_mark: Done after ${duration(state.tookMs)}`;
    case 'stuck':
      return `:warning: Still ${escapeText(server?.status ?? 'in transition')} after ${duration(state.afterMs)}: no longer followed`;
    default:
      return undefined;
  }
}

/** The card a change posts in its channel, updated in place as the server settles. */
export function changeCard(input: ChangeCardInput): SlackMessage {
  const { headline } = input;
  const blocks: KnownBlock[] = [section(headline)];
  const { server, state } = input;
  if (server) {
    const underWay =
      state.kind === 'under_way'
        ? { status: server.status, userId: input.actorId, elapsedMs: state.elapsedMs }
        : undefined;
    blocks.push(...serverCard(server, { underWay, buttons: state.kind !== 'stuck' }));
  } else {
    blocks.push(context(`*${escapeText(input.serverName)}* no longer exists.`));
  }
  const line = stateLine(input);
  if (line) blocks.push(context(line));
  const status = server ? ` (${escapeText(server.status)})` : '';
  return { text: `${headline.replace(/\*/g, '')}${status}`, blocks };
}

/** The outcome, posted once in the card's thread. */
export function outcomeText(change: TrackedChange, server: Server | undefined, at: number): string {
  const name = `*${escapeText(server?.name ?? change.serverName)}*`;
  const took = duration(at - change.startedAt);
  if (!server) return `:grey_question: ${name} is gone: VPS.org no longer lists it (after ${took}).`;
  return `:white_check_mark: ${name} is now ${statusText(server.status)} (took ${took}).`;
}

export function stuckText(change: TrackedChange, server: Server | undefined, at: number): string {
  const name = escapeText(server?.name ?? change.serverName);
  return `:warning: *${name}* is still ${escapeText(server?.status ?? change.status)} after ${duration(at - change.startedAt)}. The bot stopped following it; check it with \`/vps show ${name}\`.`;
}
