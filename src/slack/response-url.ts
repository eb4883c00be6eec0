import ky from 'ky';
import type { SlackMessage } from './blocks/kit.js';

export interface ResponseUrlMessage extends Partial<SlackMessage> {
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  delete_original?: boolean;
}

/**
 * Posts to a response_url outside a Bolt listener (the tracker updates cards long after the request
 * that gave the URL). Bolt's respond() does the same inside a listener.
 */
export async function postToResponseUrl(url: string, message: ResponseUrlMessage): Promise<void> {
  await ky.post(url, { json: message, timeout: 10_000, retry: 0 });
}
