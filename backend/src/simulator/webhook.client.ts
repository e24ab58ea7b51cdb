import { SIGNATURE_HEADER, type SimulatorEvent } from '@parley/common';
import { hmacSha256 } from '../connectors/signature';

/** The simulator as a platform: signed webhook deliveries to Parley's simulator endpoint. */

export class DeliveryRejected extends Error {
  constructor(readonly status: number, body: string) {
    super(`Parley answered ${status}: ${body.slice(0, 200)}`);
    this.name = 'DeliveryRejected';
  }
}

export interface DeliveryTarget {
  baseUrl: string;
  channelId: string;
  secret: string;
}

const RETRIES = 3;

const wait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/**
 * Posts one signed delivery. Like a platform, it retries when Parley is unreachable or
 * answers 429/5xx (event ids make a repeat harmless) and gives up on any other refusal.
 * Answers the raw event id Parley stored it as.
 */
export async function postDelivery(target: DeliveryTarget, events: SimulatorEvent[], signal?: AbortSignal): Promise<string> {
  const body = JSON.stringify({ events });
  const url = `${target.baseUrl.replace(/\/$/, '')}/webhooks/simulator/${target.channelId}`;
  const headers = { 'content-type': 'application/json', [SIGNATURE_HEADER]: `sha256=${hmacSha256(target.secret, body, 'hex')}` };
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, { method: 'POST', headers, body, ...(signal ? { signal } : {}) });
      const text = await response.text();
      if (response.ok) return (JSON.parse(text) as { id: string }).id;
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable || attempt >= RETRIES) throw new DeliveryRejected(response.status, text);
    } catch (error) {
      if (error instanceof DeliveryRejected || signal?.aborted || attempt >= RETRIES) throw error;
    }
    await wait(250 * 2 ** attempt, signal);
  }
}
