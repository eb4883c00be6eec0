import type { ChainableCommander, Redis, RedisOptions } from 'ioredis';
import { errorFields, type Logger } from '../log.js';
import { LeaseLostError, StoreUnavailableError } from './errors.js';
import { PENDING_SCRIPTS } from './redis-pending-scripts.js';
import { SCRIPTS } from './redis-scripts.js';

/** A command that got no answer in this long fails, so that nothing waits on a hung Redis. */
const COMMAND_TIMEOUT_MS = 1000;
const CONNECT_TIMEOUT_MS = 2000;
/** Reconnect backoff: 50 ms doubling, at most this long between attempts, forever. */
const MAX_RECONNECT_DELAY_MS = 1000;

/**
 * One connection to Redis that never makes a caller wait for it: while it is down, every command
 * fails at once (no offline queue), a command in flight when it drops fails rather than being sent
 * again after the reconnect (it may already have run), and it reconnects by itself.
 */
export class RedisConnection {
  readonly client: Redis;
  readonly #logger: Logger;
  #wasReady = false;
  #closing = false;
  /** The last command failed for want of an answer. */
  #unanswered = false;
  /** A refused password was logged at error already. */
  #saidRefused = false;

  /** Loads the client only now: a bot on the file store never pays for it. */
  static async open(url: string, logger: Logger): Promise<RedisConnection> {
    const { Redis } = await import('ioredis');
    return new RedisConnection(new Redis(url, RedisConnection.#options), logger);
  }

  static readonly #options: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, MAX_RECONNECT_DELAY_MS),
    connectionName: 'vps-bot',
    scripts: { ...SCRIPTS, ...PENDING_SCRIPTS },
  };

  private constructor(client: Redis, logger: Logger) {
    this.#logger = logger;
    this.client = client;
    this.client.on('ready', () => {
      this.#wasReady = true;
      this.#unanswered = false;
      this.#saidRefused = false;
      this.#logger.info('connected to the state store (Redis)');
    });
    this.client.on('close', () => {
      if (this.#wasReady && !this.#closing) {
        this.#logger.error('lost the state store (Redis); reconnecting, and refusing changes meanwhile');
      }
      this.#wasReady = false;
    });
    // Every failed reconnect emits one; the state change is logged above, the detail only at debug,
    // except a refused password: a setting to fix, said once at error (the password itself never is).
    this.client.on('error', (error: unknown) => {
      const refused = error instanceof Error && /^(WRONGPASS|NOAUTH)\b/.test(error.message);
      if (refused && !this.#saidRefused) {
        this.#saidRefused = true;
        this.#logger.error(
          errorFields(error),
          'the state store (Redis) refused the credentials: check the user and password in REDIS_URL',
        );
      } else this.#logger.debug(errorFields(error), 'state store connection error');
    });
  }

  /**
   * Connected, and the last command got an answer: a Redis that is connected but does not answer
   * (stopped with SIGSTOP, swapping) counts as unreachable until a command gets through again.
   */
  get ready(): boolean {
    return this.client.status === 'ready' && !this.#unanswered;
  }

  /** Resolves once connected, or after `timeoutMs` either way: a bot starts while Redis is down. */
  async waitUntilReady(timeoutMs: number): Promise<boolean> {
    if (this.ready) return true;
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        resolve(value);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.client.on('ready', onReady);
    });
  }

  /**
   * Runs commands, turning a lost or silent connection into StoreUnavailableError and a stale fence
   * into LeaseLostError. An error Redis itself answers (a bug in a script) is thrown as it is.
   */
  async run<T>(what: string, command: (client: Redis) => Promise<T>, lease?: string): Promise<T> {
    try {
      const answer = await command(this.client);
      this.#unanswered = false;
      return answer;
    } catch (error) {
      if (error instanceof Error && error.name === 'ReplyError') {
        this.#unanswered = false;
        if (/\bFENCED\b/.test(error.message)) throw new LeaseLostError(lease ?? 'tracker');
        throw error;
      }
      this.#unanswered = this.client.status === 'ready';
      throw new StoreUnavailableError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      // Not connected: nothing to say goodbye to.
      this.client.disconnect();
    }
  }
}

/** Runs a transaction, failing as a whole when one of its commands failed (EXEC reports them one by one). */
export async function execAll(transaction: ChainableCommander): Promise<void> {
  const results = await transaction.exec();
  const failure = results?.find(([error]) => error !== null)?.[0];
  if (failure) throw failure;
}
