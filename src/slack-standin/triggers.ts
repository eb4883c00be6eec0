export type TriggerCheck = 'ok' | 'invalid_trigger_id' | 'expired_trigger_id' | 'exchanged_trigger_id';

interface Trigger {
  issuedAt: number;
  /** Whose command or click it came with: the modal it opens is theirs. */
  user: string | undefined;
  used: boolean;
  expired: boolean;
}

/** Trigger ids the stand-in issued: each exchangeable once, within the time-to-live. */
export class TriggerStore {
  private readonly triggers = new Map<string, Trigger>();

  constructor(private readonly ttlMs: number) {}

  issue(id: string, now: number = Date.now(), user?: string): string {
    this.triggers.set(id, { issuedAt: now, user, used: false, expired: false });
    return id;
  }

  userOf(id: string | undefined): string | undefined {
    return id === undefined ? undefined : this.triggers.get(id)?.user;
  }

  exchange(id: string | undefined, now: number = Date.now()): TriggerCheck {
    const trigger = id === undefined ? undefined : this.triggers.get(id);
    if (trigger === undefined) return 'invalid_trigger_id';
    if (trigger.used) return 'exchanged_trigger_id';
    if (trigger.expired || now - trigger.issuedAt >= this.ttlMs) return 'expired_trigger_id';
    trigger.used = true;
    return 'ok';
  }

  /** Ages a trigger past its time-to-live, so tests need not wait it out. */
  expire(id: string): void {
    const trigger = this.triggers.get(id);
    if (trigger === undefined)
      throw new Error(`SlackStandin: trigger id ${id} was not issued by this stand-in`);
    trigger.expired = true;
  }

  clear(): void {
    this.triggers.clear();
  }
}
