import type { ConnectorKind, InboundEvent } from '@parley/common';
import type { Credentials } from '../channels/credentials';

/** A channel as a connector sees it: ids, settings and decrypted credentials. */
export interface ChannelContext {
  id: string;
  kind: ConnectorKind;
  externalAccountId: string;
  settings: Record<string, unknown>;
  credentials: Credentials;
}

export interface WebhookDelivery {
  rawBody: Buffer;
  headers: Record<string, string | undefined>;
}

export interface HandshakeAnswer {
  status: number;
  contentType: 'application/json' | 'text/plain';
  body: string;
}

/** A reply to send: the ids a platform needs, never a whole document. */
export interface OutboundMessage {
  messageId: string;
  text: string;
  visibility: 'public' | 'private';
  /** The platform id of the message answered, for a public reply in its thread. */
  inReplyToExternalId?: string;
  /** The customer's id on the platform, for a private message. */
  recipientExternalId?: string;
}

export interface SendResult {
  externalId: string;
}

/** A payload that passed the signature check but cannot be understood: stored as failed. */
export class MalformedPayload extends Error {}

/**
 * Everything Parley knows about one platform. Ingest, tickets and SLA code never name a
 * platform: they call these methods through the typed registry in connectors/index.ts.
 */
export interface Connector {
  readonly kind: ConnectorKind;
  /** Checks the signature of a webhook delivery against the raw body. */
  verify(channel: ChannelContext, delivery: WebhookDelivery): boolean;
  /** Answers the platform's GET handshake (CRC, hub.challenge). */
  handshake(channel: ChannelContext, query: Record<string, string | undefined>): HandshakeAnswer;
  /** Turns one delivery body into customer messages; throws MalformedPayload for nonsense. */
  normalize(channel: ChannelContext, body: unknown): InboundEvent[];
  send(channel: ChannelContext, message: OutboundMessage): Promise<SendResult>;
}
