import { INPUT_LIMITS } from '../../input-limits.js';
import type { Confirmation } from '../../records.js';
import type { Catalogue } from '../../service/catalogue.js';
import type { Server } from '../../vps/schemas.js';
import { INPUT, VIEW } from '../ids.js';
import { type KnownBlock, LIMITS, label, type ModalView, type PlainTextOption, section } from './kit.js';
import { question } from './sentences.js';
import { escapeText, gigabytes, megabytes } from './text.js';

/** Where a form was opened from: the change it leads to is announced there. */
export interface FormOrigin {
  channelId?: string | undefined;
  replyUrl?: string | undefined;
  serverId?: number | undefined;
}

export function encodeOrigin(origin: FormOrigin): string {
  const text = JSON.stringify({ c: origin.channelId, r: origin.replyUrl, s: origin.serverId });
  // A reply URL is a convenience; drop it rather than exceed Slack's limit.
  return text.length <= LIMITS.privateMetadata
    ? text
    : JSON.stringify({ c: origin.channelId, s: origin.serverId });
}

export function decodeOrigin(metadata: string): FormOrigin {
  try {
    const { c, r, s } = JSON.parse(metadata) as { c?: unknown; r?: unknown; s?: unknown };
    return {
      channelId: typeof c === 'string' ? c : undefined,
      replyUrl: typeof r === 'string' ? r : undefined,
      serverId: typeof s === 'number' ? s : undefined,
    };
  } catch {
    return {};
  }
}

function modal(title: string, blocks: KnownBlock[], extra: Partial<ModalView> = {}): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: label(title, LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Close' },
    blocks,
    ...extra,
  };
}

/**
 * The most a field takes: its bound, or more when the value VPS.org gave is longer (Slack refuses a
 * field whose initial value exceeds its max_length), never more than Slack allows.
 */
function fieldMax(bound: number, initial = ''): number {
  return Math.min(INPUT_LIMITS.field.any, Math.max(bound, initial.length));
}

function plainInput(
  blockId: string,
  title: string,
  options: {
    /** Slack stops the typing here; the submission is checked against the same bound. */
    maxLength: number;
    initial?: string | undefined;
    optional?: boolean;
    placeholder?: string;
    hint?: string;
  },
): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: options.optional ?? false,
    label: { type: 'plain_text', text: title },
    ...(options.hint ? { hint: { type: 'plain_text', text: options.hint } } : {}),
    element: {
      type: 'plain_text_input',
      action_id: INPUT.value,
      max_length: options.maxLength,
      // A value longer than any field takes (Slack would refuse the form) is left for the person to type.
      ...(options.initial && options.initial.length <= options.maxLength
        ? { initial_value: options.initial }
        : {}),
      ...(options.placeholder
        ? { placeholder: { type: 'plain_text', text: label(options.placeholder, LIMITS.placeholder) } }
        : {}),
    },
  };
}

function backupsInput(initial: boolean | undefined): KnownBlock {
  const option: PlainTextOption = { text: { type: 'plain_text', text: 'Automatic backups' }, value: 'on' };
  return {
    type: 'input',
    block_id: INPUT.backups,
    optional: true,
    label: { type: 'plain_text', text: 'Backups' },
    element: {
      type: 'checkboxes',
      action_id: INPUT.value,
      options: [option],
      ...(initial ? { initial_options: [option] } : {}),
    },
  };
}

function selectInput(
  blockId: string,
  title: string,
  placeholder: string,
  options: PlainTextOption[],
): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: { type: 'plain_text', text: title },
    element: {
      type: 'static_select',
      action_id: INPUT.value,
      placeholder: { type: 'plain_text', text: placeholder },
      options: options.slice(0, LIMITS.selectOptions),
    },
  };
}

function option(text: string, value: string): PlainTextOption {
  return { text: { type: 'plain_text', text: label(text, LIMITS.optionText) }, value };
}

/** A value too long for a select (a location code VPS.org gave) is left to the "other" field. */
function fitsOption(option: PlainTextOption): boolean {
  return (option.value ?? '').length <= LIMITS.optionValue;
}

/** Shown at once, so the trigger is used within Slack's 3 seconds, then replaced. */
export function loadingView(title: string, text: string): ModalView {
  return modal(title, [section(`:hourglass_flowing_sand: ${text}`)]);
}

export function messageView(title: string, text: string): ModalView {
  return modal(title, [section(text)]);
}

/** Delete asks the person to type the server's name. */
export function deleteView(confirmation: Confirmation): ModalView {
  const name = confirmation.server?.name ?? '';
  return modal(
    'Delete server',
    [
      section(`:warning: ${question(confirmation.request, name)}`),
      plainInput(INPUT.confirmName, `Type ${label(name, 60)} to delete it`, {
        placeholder: name,
        maxLength: fieldMax(INPUT_LIMITS.field.name, name),
      }),
    ],
    {
      callback_id: VIEW.delete,
      private_metadata: confirmation.id,
      submit: { type: 'plain_text', text: 'Delete' },
      close: { type: 'plain_text', text: 'Cancel' },
    },
  );
}

/** Edit: prefilled with the current values; saving first shows what changes. */
export function editFormView(server: Server, origin: FormOrigin): ModalView {
  return modal(
    'Edit server',
    [
      section(
        `Editing *${escapeText(server.name)}* (ID ${server.id}). Saving shows what changes before anything is sent.`,
      ),
      plainInput(INPUT.name, 'Name', {
        initial: server.name,
        hint: 'Letters, digits and hyphens',
        maxLength: fieldMax(INPUT_LIMITS.field.name, server.name),
      }),
      plainInput(INPUT.hostname, 'Hostname', {
        initial: server.hostname ?? undefined,
        placeholder: 'web01.example.com',
        maxLength: fieldMax(INPUT_LIMITS.field.hostname, server.hostname ?? ''),
      }),
      backupsInput(server.backups_enabled),
    ],
    {
      callback_id: VIEW.editForm,
      private_metadata: encodeOrigin({ ...origin, serverId: server.id }),
      submit: { type: 'plain_text', text: 'Review' },
      close: { type: 'plain_text', text: 'Cancel' },
    },
  );
}

/** Create: plan, OS and location from what the account's servers show, or any other ID or code. */
export function createFormView(catalogue: Catalogue, origin: FormOrigin): ModalView {
  const blocks: KnownBlock[] = [
    plainInput(INPUT.name, 'Name', {
      placeholder: 'web-server-02',
      hint: 'Letters, digits and hyphens',
      maxLength: INPUT_LIMITS.field.name,
    }),
  ];
  const plans = catalogue.plans.map((plan) =>
    option(
      `${plan.name} · ${plan.vcpus} vCPU · ${megabytes(plan.memory)} · ${gigabytes(plan.storage)}`,
      String(plan.id),
    ),
  );
  const systems = catalogue.systems.map((os) => option(os.name, String(os.id)));
  const locations = catalogue.locations.map((code) => option(code, code)).filter(fitsOption);
  if (plans.length > 0) blocks.push(selectInput(INPUT.plan, 'Plan', 'Choose a plan', plans));
  blocks.push(
    plainInput(INPUT.planOther, plans.length > 0 ? 'Or another plan ID' : 'Plan ID', {
      optional: true,
      maxLength: INPUT_LIMITS.field.id,
    }),
  );
  if (systems.length > 0)
    blocks.push(selectInput(INPUT.os, 'Operating system', 'Choose an operating system', systems));
  blocks.push(
    plainInput(INPUT.osOther, systems.length > 0 ? 'Or another OS ID' : 'OS ID', {
      optional: true,
      maxLength: INPUT_LIMITS.field.id,
    }),
  );
  if (locations.length > 0)
    blocks.push(selectInput(INPUT.location, 'Location', 'Choose a location', locations));
  blocks.push(
    plainInput(INPUT.locationOther, locations.length > 0 ? 'Or another location code' : 'Location code', {
      optional: true,
      maxLength: INPUT_LIMITS.field.location,
    }),
    plainInput(INPUT.hostname, 'Hostname', {
      optional: true,
      placeholder: 'web02.example.com',
      maxLength: INPUT_LIMITS.field.hostname,
    }),
    plainInput(INPUT.sshKey, 'SSH key ID', { optional: true, maxLength: INPUT_LIMITS.field.id }),
    backupsInput(false),
  );
  return modal('Create server', blocks, {
    callback_id: VIEW.createForm,
    private_metadata: encodeOrigin(origin),
    submit: { type: 'plain_text', text: 'Review' },
    close: { type: 'plain_text', text: 'Cancel' },
  });
}

/** The second step of a form: what will change, bound to a confirmation. */
export function reviewView(
  title: string,
  confirmation: Confirmation,
  lines: string[],
  submit: string,
): ModalView {
  return modal(
    title,
    [section(lines.join('\n')), section('_Nothing is sent to VPS.org until you press the button._')],
    {
      callback_id: VIEW.review,
      private_metadata: confirmation.id,
      submit: { type: 'plain_text', text: label(submit, LIMITS.modalButton) },
      close: { type: 'plain_text', text: 'Cancel' },
    },
  );
}
