import type { Server } from 'node:http';
import { SIGNATURE_HEADER, type SimulatorEvent } from '@parley/common';
import request from 'supertest';
import { hmacSha256 } from '../connectors/signature';
import { RawEvent, type RawEventDoc } from '../ingest/raw-event.model';
import { eventually } from './eventually';
import type { TestMetaChannel } from './meta-channels';
import type { TestXChannel } from './x-channels';

/**
 * A platform's signed webhook delivery, as the platform sends it: the body is POSTed with its
 * signature, Parley answers 200, and the worker's processing of the raw event is awaited.
 * Answers the raw event as it settled (processed or failed), for the test to look at.
 */
async function deliverSigned(server: Server, path: string, body: string, headers: Record<string, string>): Promise<RawEventDoc> {
  const { id } = (await request(server).post(path).set('content-type', 'application/json').set(headers).send(body).expect(200)).body as { id: string };
  const settled = await eventually(() => RawEvent.findById(id).lean<RawEventDoc>(), (raw) => raw !== null && raw.status !== 'pending', `raw event ${id}`);
  return settled!;
}

/** An Account Activity body for the channel's account (for_user_id), signed with its consumer secret. */
export function deliverToX(server: Server, channel: TestXChannel, body: object): Promise<RawEventDoc> {
  const text = JSON.stringify({ for_user_id: channel.externalAccountId, ...body });
  return deliverSigned(server, `/webhooks/x/${channel._id.toHexString()}`, text, { 'x-twitter-webhooks-signature': `sha256=${hmacSha256(channel.consumerSecret, text, 'base64')}` });
}

/** A Meta webhook body (Facebook or Instagram), signed with the channel's app secret. */
export function deliverToMeta(server: Server, channel: TestMetaChannel, body: object): Promise<RawEventDoc> {
  const text = JSON.stringify(body);
  return deliverSigned(server, `/webhooks/${channel.kind}/${channel._id.toHexString()}`, text, { 'x-hub-signature-256': `sha256=${hmacSha256(channel.appSecret, text, 'hex')}` });
}

/** A simulator channel's delivery of these events, signed with its secret; answers when the worker has processed it. */
export function deliverToSimulator(server: Server, channel: { _id: { toHexString(): string }; secret: string }, events: SimulatorEvent[]): Promise<RawEventDoc> {
  const text = JSON.stringify({ events });
  return deliverSigned(server, `/webhooks/simulator/${channel._id.toHexString()}`, text, { [SIGNATURE_HEADER]: `sha256=${hmacSha256(channel.secret, text, 'hex')}` });
}
