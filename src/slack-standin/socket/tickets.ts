import { randomBytes } from 'node:crypto';

/** The one-use tickets in the URLs apps.connections.open hands out. */
export class Tickets {
  private readonly open = new Set<string>();

  issue(): string {
    const ticket = randomBytes(12).toString('hex');
    this.open.add(ticket);
    return ticket;
  }

  /** True once for a ticket issued and not used yet. */
  use(ticket: string | null): boolean {
    if (ticket === null || !this.open.has(ticket)) return false;
    this.open.delete(ticket);
    return true;
  }
}
