import { HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createBot } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';

const logger = createLogger({ level: 'error', secrets: [], write: () => {} });
const base = { SLACK_BOT_TOKEN: 'xoxb-1-test', VPS_API_TOKEN: 'vps-token', PORT: '0' };

describe('createBot', () => {
  it('uses Socket Mode when SLACK_APP_TOKEN is set (no signing secret needed)', () => {
    const bot = createBot({ config: loadConfig({ ...base, SLACK_APP_TOKEN: 'xapp-1-test' }), logger });
    expect(Reflect.get(bot.app, 'receiver')).toBeInstanceOf(SocketModeReceiver);
  });

  it('uses HTTP mode otherwise', () => {
    const bot = createBot({ config: loadConfig({ ...base, SLACK_SIGNING_SECRET: 'secret' }), logger });
    expect(Reflect.get(bot.app, 'receiver')).toBeInstanceOf(HTTPReceiver);
  });
});
