import { clone } from './args.js';
import type { EphemeralMessage, StoredMessage } from './types.js';

export type MessagePatch = Partial<
  Pick<StoredMessage, 'text' | 'blocks' | 'attachments' | 'metadata' | 'edited'>
>;

/** Channel messages as they stand after updates and deletes, plus the ephemeral ones the bot posted. */
export class MessageStore {
  private readonly channels = new Map<string, StoredMessage[]>();
  private ephemeral: EphemeralMessage[] = [];

  add(message: StoredMessage): StoredMessage {
    const list = this.channels.get(message.channel) ?? [];
    list.push(message);
    this.channels.set(message.channel, list);
    return message;
  }

  find(channel: string, ts: string): StoredMessage | undefined {
    return this.channels.get(channel)?.find((m) => m.ts === ts);
  }

  update(channel: string, ts: string, patch: MessagePatch): StoredMessage | undefined {
    const message = this.find(channel, ts);
    if (message === undefined) return undefined;
    Object.assign(message, patch);
    return message;
  }

  delete(channel: string, ts: string): boolean {
    const list = this.channels.get(channel);
    const index = list?.findIndex((m) => m.ts === ts) ?? -1;
    if (list === undefined || index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  /** Copies, so a test cannot change the stand-in's state by editing what it read. */
  list(channel: string): StoredMessage[] {
    return clone(this.channels.get(channel) ?? []);
  }

  addEphemeral(message: EphemeralMessage): void {
    this.ephemeral.push(message);
  }

  findEphemeral(ts: string): EphemeralMessage | undefined {
    return this.ephemeral.find((m) => m.ts === ts);
  }

  updateEphemeral(ts: string, patch: Pick<EphemeralMessage, 'text' | 'blocks'>): boolean {
    const message = this.findEphemeral(ts);
    if (message === undefined) return false;
    message.text = patch.text;
    if (patch.blocks === undefined) delete message.blocks;
    else message.blocks = patch.blocks;
    return true;
  }

  deleteEphemeral(ts: string): boolean {
    const before = this.ephemeral.length;
    this.ephemeral = this.ephemeral.filter((m) => m.ts !== ts);
    return this.ephemeral.length < before;
  }

  listEphemeral(channel?: string): EphemeralMessage[] {
    return clone(
      channel === undefined ? this.ephemeral : this.ephemeral.filter((m) => m.channel === channel),
    );
  }

  clear(): void {
    this.channels.clear();
    this.ephemeral = [];
  }

  /** Everything stored, for a snapshot; `load` puts it back. */
  dump(): { channels: StoredMessage[]; ephemeral: EphemeralMessage[] } {
    return clone({ channels: [...this.channels.values()].flat(), ephemeral: this.ephemeral });
  }

  load(dump: { channels: StoredMessage[]; ephemeral: EphemeralMessage[] }): void {
    this.clear();
    for (const message of clone(dump.channels)) this.add(message);
    this.ephemeral = clone(dump.ephemeral);
  }
}
