import type { SocketAck } from './envelopes.js';

interface Waiter {
  resolve: (ack: SocketAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * The acks the client sent, in order, and the deliveries waiting for theirs. An envelope delivered
 * twice (a retry keeps its envelope_id) waits for two acks: each ack answers the oldest delivery.
 */
export class AckBook {
  private readonly recorded: SocketAck[] = [];
  private readonly waiting = new Map<string, Waiter[]>();

  get acks(): readonly SocketAck[] {
    return this.recorded;
  }

  /** Resolves with the ack of this delivery; rejects after timeoutMs. */
  expect(envelopeId: string, timeoutMs: number): Promise<SocketAck> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(envelopeId) ?? [];
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.remove(envelopeId, waiter);
          reject(new Error(`SlackStandin: no ack for envelope ${envelopeId} within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      queue.push(waiter);
      this.waiting.set(envelopeId, queue);
    });
  }

  record(ack: SocketAck): void {
    this.recorded.push(ack);
    const queue = this.waiting.get(ack.envelope_id);
    const waiter = queue?.shift();
    if (queue?.length === 0) this.waiting.delete(ack.envelope_id);
    if (waiter === undefined) return;
    clearTimeout(waiter.timer);
    waiter.resolve(ack);
  }

  clear(): void {
    this.recorded.length = 0;
  }

  abort(reason: string): void {
    for (const queue of this.waiting.values()) {
      for (const waiter of queue) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(reason));
      }
    }
    this.waiting.clear();
  }

  private remove(envelopeId: string, waiter: Waiter): void {
    const queue = this.waiting.get(envelopeId);
    if (queue === undefined) return;
    const index = queue.indexOf(waiter);
    if (index >= 0) queue.splice(index, 1);
    if (queue.length === 0) this.waiting.delete(envelopeId);
  }
}
