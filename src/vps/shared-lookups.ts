import { setTimeout as sleep } from 'node:timers/promises';
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
  /** How many questions it answers. */
  served: number;
}

/**
 * Identical lookups share one request to VPS.org, under the freshness rule: a request answers a
 * question only if it is sent at or after the moment the question arrived, and after the answer to
 * the last change the bot made to what it asks about. So a question joins the request still waiting
 * for its turn, or the one in flight when that one was sent late enough; otherwise it waits for the
 * next, which goes a gathering moment after the one in flight is answered (at most one request per
 * question per round trip, however many ask). Nothing is kept once answered.
 */
export class SharedLookups {
  readonly #gate: RequestGate;
  /** Per key: the request sent or waiting (`current`), and the one that goes after it (`next`). */
  readonly #flights = new Map<string, { current: Flight; next?: Flight | undefined }>();

  readonly #gatherMs: number;
  /** Per key, a storm's last answer: when it came; a new question within the gathering time waits for others. */
  readonly #stormAnswered = new Map<string, number>();

  constructor(gate: RequestGate, gatherMs = 0) {
    this.#gate = gate;
    this.#gatherMs = gatherMs;
  }

  /** The answer to `lookup`: from a request another identical question already made, or a new one. */
  ask<T>(lookup: Lookup, fetch: () => Promise<T>): Promise<T> {
    const flights = this.#flights.get(lookup.key);
    if (!flights) {
      const current = this.#flight(lookup, fetch, this.#afterStorm(lookup.key));
      this.#flights.set(lookup.key, { current });
      return this.#join(current);
    }
    const { current } = flights;
    const sentAt = current.request.sentAt;
    if (sentAt === undefined || (sentAt >= lookup.askedAt && !current.predatesChange)) {
      return this.#join(current);
    }
    flights.next ??= this.#flight(lookup, fetch, this.#gathered(current.request.settled));
    return this.#join(flights.next);
  }

  #join<T>(flight: Flight): Promise<T> {
    flight.served += 1;
    return flight.request.wait() as Promise<T>;
  }

  /**
   * A question asked just after a storm's answer (one that served several questions) came: the people
   * it reached ask again within moments of each other, so their request waits out the rest of the
   * gathering time for them. A question asked alone goes at once.
   */
  #afterStorm(key: string): Promise<void> | undefined {
    const answeredAt = this.#stormAnswered.get(key);
    if (answeredAt === undefined) return undefined;
    const left = answeredAt + this.#gatherMs - performance.now();
    if (left <= 0) {
      this.#stormAnswered.delete(key);
      return undefined;
    }
    return sleep(left);
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

  /**
   * The moment the request behind one in flight may go: a short while after that one settles, so the
   * people its answer just reached, asking again at once, join it rather than the one after.
   */
  #gathered(settled: Promise<void>): Promise<void> {
    if (this.#gatherMs <= 0) return settled;
    return settled.then(() => sleep(this.#gatherMs));
  }

  #flight(lookup: Lookup, fetch: () => Promise<unknown>, after?: Promise<void>): Flight {
    const request = this.#gate.request(lookup.operation, 'lookup', fetch, after);
    const flight: Flight = { request, serverId: lookup.serverId, predatesChange: false, served: 0 };
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
    if (this.#gatherMs > 0 && flight.served > 1) this.#noteStorm(key);
  }

  #noteStorm(key: string): void {
    const now = performance.now();
    // Bounded: an answer older than the gathering time is of no use any more.
    if (this.#stormAnswered.size > 1000) {
      for (const [other, at] of this.#stormAnswered)
        if (now - at > this.#gatherMs) this.#stormAnswered.delete(other);
    }
    this.#stormAnswered.set(key, now);
  }
}
