import type { Catalogue } from '../../service/catalogue.js';
import type { Confirmation } from '../../service/types.js';
import type { CreateServerInput } from '../../vps/inputs.js';
import { ACTION } from '../ids.js';
import { planText } from './card.js';
import { type KnownBlock, LIMITS, type SlackMessage } from './kit.js';
import { question } from './sentences.js';
import { escapeText, label, truncate } from './text.js';

const CONFIRM_LABEL: Record<string, string> = {
  stop: 'Stop',
  reboot: 'Reboot',
  delete: 'Delete',
  backups: 'Turn backups off',
  create: 'Create',
  edit: 'Save',
};

/** What a create will make, in words: plan specs, OS and location as the account's servers show them. */
export function createPreview(input: CreateServerInput, catalogue: Catalogue): string[] {
  const plan = catalogue.plans.find((p) => p.id === input.plan_id);
  const os = catalogue.systems.find((o) => o.id === input.os_id);
  const knownLocation = catalogue.locations.includes(input.location);
  const unseen = '(not seen on this account: VPS.org will check it)';
  return [
    `*Name:* ${escapeText(input.name)}`,
    `*Plan:* ${plan ? planText(plan) : `plan ${input.plan_id} ${unseen}`}`,
    `*OS:* ${os ? escapeText(os.name) : `OS ${input.os_id} ${unseen}`}`,
    `*Location:* ${escapeText(input.location)}${knownLocation ? '' : ` ${unseen}`}`,
    `*Hostname:* ${input.hostname ? escapeText(input.hostname) : '—'}`,
    ...(input.ssh_key_id === undefined ? [] : [`*SSH key:* ${input.ssh_key_id}`]),
    `*Backups:* ${input.backups_enabled ? 'on' : 'off'}`,
  ];
}

/** The ephemeral question with Confirm and Cancel, bound to one confirmation. */
export function confirmPrompt(confirmation: Confirmation, details: string[] = []): SlackMessage {
  const { request } = confirmation;
  const name = confirmation.server?.name ?? (request.action === 'create' ? request.input.name : '');
  const ask = request.action === 'create' ? `Create *${escapeText(name)}*?` : question(request, name);
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: ask } }];
  if (details.length > 0)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: details.join('\n') } });
  blocks.push(
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: 'Only you can confirm this. It works once and expires in 10 minutes.' },
      ],
    },
    {
      type: 'actions',
      block_id: 'confirm',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: label(`${CONFIRM_LABEL[request.action] ?? 'Confirm'} ${name}`) },
          action_id: ACTION.confirm,
          value: confirmation.id,
          style: request.action === 'create' ? 'primary' : 'danger',
        },
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Cancel' },
          action_id: ACTION.cancel,
          value: confirmation.id,
        },
      ],
    },
  );
  return { text: ask.replace(/\*/g, ''), blocks };
}

/** A one-section ephemeral answer. */
export function notice(text: string): SlackMessage {
  const fitted = truncate(text, LIMITS.sectionText);
  return { text: fitted, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: fitted } }] };
}
