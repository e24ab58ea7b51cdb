import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { Channel, type ChannelDoc } from '../channels/channel.model';
import { encryptCredentials } from '../channels/credentials';
import { TEST_CREDENTIALS_KEY } from './factories';

export interface XChannelFields {
  accountId?: string;
  consumerSecret?: string;
  accessToken?: string;
  settings?: Record<string, unknown>;
  teamId?: Types.ObjectId;
}

/** The channel with its credentials in the clear, for tests that sign or check signatures. */
export type TestXChannel = ChannelDoc & { consumerKey: string; consumerSecret: string; accessToken: string; accessTokenSecret: string };

/** An X channel with OAuth 1.0a user-context credentials (consumer key/secret, access token/secret). */
export async function makeXChannel(fields: XChannelFields = {}): Promise<TestXChannel> {
  const accountId = fields.accountId ?? BigInt(`0x${randomBytes(6).toString('hex')}`).toString();
  const consumerSecret = fields.consumerSecret ?? `cs-${randomBytes(8).toString('hex')}`;
  const accessToken = fields.accessToken ?? `${accountId}-${randomBytes(8).toString('hex')}`;
  const consumerKey = `ck-${accountId}`;
  const accessTokenSecret = `ats-${accountId}`;
  const channel = await Channel.create({
    kind: 'x',
    name: 'Acme Air on X',
    externalAccountId: accountId,
    status: 'active',
    settings: fields.settings ?? {},
    ...(fields.teamId ? { teamId: fields.teamId } : {}),
    credentialsEncrypted: encryptCredentials({ consumerKey, consumerSecret, accessToken, accessTokenSecret }, TEST_CREDENTIALS_KEY),
  });
  return { ...channel.toObject<ChannelDoc>(), consumerKey, consumerSecret, accessToken, accessTokenSecret };
}
