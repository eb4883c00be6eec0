import { randomBytes } from 'node:crypto';

// Microseconds since the epoch fit a double exactly (1.7e15 < 2^53).
const FIRST_TS_MICROS = 1_700_000_000_000_000;

/** Slack's 'seconds.micros' form, as message ts and action_ts use. */
export function formatTs(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const rest = micros % 1_000_000;
  return `${seconds}.${String(rest).padStart(6, '0')}`;
}

export function actionTs(nowMs: number = Date.now()): string {
  return formatTs(nowMs * 1000);
}

function random(length: number): string {
  return randomBytes(length).toString('hex').slice(0, length);
}

export interface IdCounters {
  messages: number;
  triggers: number;
  views: number;
  responses: number;
}

/**
 * Every id the stand-in hands out. Counters never restart (not even on reset), so an id from before a reset
 * can never be mistaken for a new one.
 */
export class Ids {
  private messages = 0;
  private triggers = 0;
  private views = 0;
  private responses = 0;

  messageTs(): string {
    this.messages += 1;
    return formatTs(FIRST_TS_MICROS + this.messages * 100);
  }

  triggerId(): string {
    this.triggers += 1;
    return `${1_000_000_000 + this.triggers}.1000000001.${random(32)}`;
  }

  viewId(): string {
    this.views += 1;
    return `V${this.views.toString(36).toUpperCase().padStart(10, '0')}`;
  }

  viewHash(): string {
    return `${Math.floor(Date.now() / 1000)}.${random(8)}`;
  }

  responseId(): string {
    this.responses += 1;
    return `${this.responses}-${random(16)}`;
  }

  dump(): IdCounters {
    return { messages: this.messages, triggers: this.triggers, views: this.views, responses: this.responses };
  }

  /** Counters only move forward: a restored snapshot never makes an id issued since come round again. */
  load(counters: IdCounters): void {
    this.messages = Math.max(this.messages, counters.messages);
    this.triggers = Math.max(this.triggers, counters.triggers);
    this.views = Math.max(this.views, counters.views);
    this.responses = Math.max(this.responses, counters.responses);
  }
}
