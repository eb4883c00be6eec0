/**
 * A channel that cannot take a notification, in the service's words (the presenter translates the
 * chat platform's answers into this). A channel that is `gone` (deleted, archived) never will again;
 * one the bot is merely not in can be fixed by inviting it.
 */
export class ChannelUnavailable extends Error {
  constructor(
    readonly channel: string,
    /** The platform's own word for it, for the log: `not_in_channel`, `is_archived`, ... */
    readonly reason: string,
    readonly gone: boolean,
  ) {
    super(`cannot post in ${channel} (${reason})`);
    this.name = 'ChannelUnavailable';
  }
}
