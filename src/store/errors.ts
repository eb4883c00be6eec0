/**
 * What a store throws, whatever its engine: the service and the Slack side branch on these, never on
 * a driver's own errors.
 */

/** The store cannot be reached right now (a shared store's server down or restarting): nothing was written. */
export class StoreUnavailableError extends Error {
  constructor(reason: string) {
    super(`the state store is unavailable: ${reason}`);
    this.name = 'StoreUnavailableError';
  }
}

/** A write guarded by a lease was refused: another replica holds the lease now. */
export class LeaseLostError extends Error {
  constructor(lease: string) {
    super(`the ${lease} lease is held by another replica now`);
    this.name = 'LeaseLostError';
  }
}
