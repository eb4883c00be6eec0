import type { RequestGate } from './gate.js';
import type { SharedRequest } from './shared-request.js';

/** One question to VPS.org that another identical one may answer. */
export interface Lookup {
  /** Identical questions have the same key: the method, the path and the filters. */
  key: string;
  operation: string;
  /** The server it is about; undefined for a list, which any change to any server may alter. */
  serverId: number | undefined;
  /** When the question arrived, on the gate's clock. */
  askedAt: number;
}

interface Flight {
  request: SharedRequest<unknown>;
  serverId: number | undefined;
  /** The bot changed what it asks about after it was sent: its answer may show the server as before. */
  predatesChange: boolean;
}

/**
 * Identical lookups share one request to VPS.org, under the freshness rule: a request answers a
 * question only if it is sent at or after the moment the question arrived, and after the answer to
 * the last change the bot made to what it asks about. So a question joins the request still waiting
 * for its turn, or the one in flight when that one was sent late enough; otherwise it waits for the
 * next, which goes once the one in flight is answered (one request per question per round trip,
 * however many ask). Nothing is kept once answered.
 */
export class SharedLookups {
  readonly #gate: RequestGate;
  /** Per key: the request sent or waiting (`current`), and the one that goes after it (`next`). */
  readonly #flights = new Map<string, { current: Flight; next?: Flight | undefined }>();

  constructor(gate: RequestGate) {
    this.#gate = gate;
  }

  /** The answer to `lookup`: from a request another identical question already made, or a new one. */
  ask<T>(lookup: Lookup, fetch: () => Promise<T>): Promise<T> {
    const flights = this.#flights.get(lookup.key);
    if (!flights) {
      const current = this.#flight(lookup, fetch);
      this.#flights.set(lookup.key, { current });
      return current.request.wait() as Promise<T>;
    }
    const { current } = flights;
    const sentAt = current.request.sentAt;
    if (sentAt === undefined || (sentAt >= lookup.askedAt && !current.predatesChange)) {
      return current.request.wait() as Promise<T>;
    }
    flights.next ??= this.#flight(lookup, fetch, current.request.settled);
    return flights.next.request.wait() as Promise<T>;
  }

  /**
   * The bot's change to a server (undefined: a new server) was answered: lookups already sent about
   * it, and every list, may show it as it was, and serve no question from now on.
   */
  changed(serverId: number | undefined): void {
    for (const { current } of this.#flights.values()) {
      const about = current.serverId === undefined || current.serverId === serverId;
      if (about && current.request.sentAt !== undefined) current.predatesChange = true;
    }
  }

  #flight(lookup: Lookup, fetch: () => Promise<unknown>, after?: Promise<void>): Flight {
    const request = this.#gate.request(lookup.operation, 'lookup', fetch, after);
    const flight: Flight = { request, serverId: lookup.serverId, predatesChange: false };
    void request.settled.then(() => this.#done(lookup.key, flight));
    return flight;
  }

  /** Answered, failed or given up: the next request (if any) takes its place, and nothing is kept. */
  #done(key: string, flight: Flight): void {
    const flights = this.#flights.get(key);
    if (!flights) return;
    if (flights.next === flight) flights.next = undefined;
    else if (flights.current === flight) {
      if (flights.next) this.#flights.set(key, { current: flights.next });
      else this.#flights.delete(key);
    }
  }
}
