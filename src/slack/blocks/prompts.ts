import type { Confirmation } from '../../records.js';
import type { Catalogue } from '../../service/catalogue.js';
import type { CreateServerInput } from '../../vps/inputs.js';
import { ACTION } from '../ids.js';
import { planText } from './card.js';
import { context, type KnownBlock, label, type SlackMessage, section } from './kit.js';
import { scheduleText } from './plans.js';
import { CONFIRMATION_LIFETIME, question } from './sentences.js';
import { escapeText } from './text.js';

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
  const ask = confirmation.timing
    ? `${scheduleText(request, name, confirmation.timing, confirmation.createdAt)}?`
    : request.action === 'create'
      ? `Create *${escapeText(name)}*?`
      : question(request, name);
  const blocks: KnownBlock[] = [section(ask)];
  if (details.length > 0) blocks.push(section(details.join('\n')));
  blocks.push(context(`Only you can confirm this. It works once and expires in ${CONFIRMATION_LIFETIME}.`), {
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
  });
  return { text: ask.replace(/\*/g, ''), blocks };
}

/** A one-section ephemeral answer. */
export function notice(text: string): SlackMessage {
  const block = section(text);
  return { text: block.text?.text ?? '', blocks: [block] };
}
