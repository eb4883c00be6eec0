import { z } from 'zod';
import type { ChangeAction } from './records.js';
import { blankIsUnset } from './settings-rules.js';

/** Every change the bot makes, once each: a Record, so an action added to ChangeAction must be added here. */
const ACTION_WORDS: Record<ChangeAction, true> = {
  start: true,
  stop: true,
  reboot: true,
  delete: true,
  rename: true,
  hostname: true,
  backups: true,
  edit: true,
  create: true,
};

/** The words VPS_APPROVAL_REQUIRED may name. */
export const CHANGE_ACTIONS = Object.keys(ACTION_WORDS) as ChangeAction[];

function isChangeAction(word: string): word is ChangeAction {
  return Object.hasOwn(ACTION_WORDS, word);
}

/**
 * A comma-separated list of change actions (`delete,stop`); blank is none. Every word that is not an
 * action is named in the message, with the ones that are.
 */
export const changeActions = () =>
  z.preprocess(
    blankIsUnset,
    z
      .string()
      .optional()
      .transform((value, ctx): ChangeAction[] => {
        const words = (value ?? '')
          .split(',')
          .map((word) => word.trim().toLowerCase())
          .filter((word) => word !== '');
        const unknown = words.filter((word) => !isChangeAction(word));
        if (unknown.length > 0) {
          const named = unknown.map((word) => `"${word}"`).join(', ');
          ctx.addIssue({
            code: 'custom',
            message: `${named} ${unknown.length === 1 ? 'is not an action' : 'are not actions'}; use a comma-separated list of ${CHANGE_ACTIONS.join(', ')}`,
          });
          return z.NEVER;
        }
        return [...new Set(words.filter(isChangeAction))];
      }),
  );
