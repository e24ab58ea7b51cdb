import { randomBytes } from 'node:crypto';
import { Channel, type ChannelDoc } from '../channels/channel.model';
import { encryptCredentials } from '../channels/credentials';
import { TEST_CREDENTIALS_KEY } from './factories';

/** A numeric id, as Meta's Page and Instagram account ids are. */
export const metaId = (prefix = '10'): string => `${prefix}${BigInt(`0x${randomBytes(6).toString('hex')}`).toString().padStart(15, '0')}`;

export interface MetaChannelFields {
  accountId?: string;
  appSecret?: string;
  token?: string;
  verifyToken?: string;
  apiBaseUrl?: string;
  humanAgentTag?: boolean;
  pageId?: string;
}

export type TestMetaChannel = ChannelDoc & { appSecret: string; token: string; verifyToken: string };

/** A Facebook Page channel (credentials {appSecret, pageAccessToken, verifyToken}). */
export async function makeFacebookChannel(fields: MetaChannelFields = {}): Promise<TestMetaChannel> {
  const appSecret = fields.appSecret ?? `app-${randomBytes(6).toString('hex')}`;
  const token = fields.token ?? `EAAB${randomBytes(8).toString('hex')}`;
  const verifyToken = fields.verifyToken ?? `verify-${randomBytes(4).toString('hex')}`;
  const channel = await Channel.create({
    kind: 'facebook',
    name: 'Acme Air on Facebook',
    externalAccountId: fields.accountId ?? metaId(),
    status: 'active',
    settings: { ...(fields.apiBaseUrl ? { apiBaseUrl: fields.apiBaseUrl } : {}), ...(fields.humanAgentTag ? { humanAgentTag: true } : {}) },
    credentialsEncrypted: encryptCredentials({ appSecret, pageAccessToken: token, verifyToken }, TEST_CREDENTIALS_KEY),
  });
  return { ...channel.toObject<ChannelDoc>(), appSecret, token, verifyToken };
}

/** An Instagram account channel (credentials {appSecret, accessToken, verifyToken}, settings.pageId). */
export async function makeInstagramChannel(fields: MetaChannelFields = {}): Promise<TestMetaChannel> {
  const appSecret = fields.appSecret ?? `app-${randomBytes(6).toString('hex')}`;
  const token = fields.token ?? `IGQ${randomBytes(8).toString('hex')}`;
  const verifyToken = fields.verifyToken ?? `verify-${randomBytes(4).toString('hex')}`;
  const channel = await Channel.create({
    kind: 'instagram',
    name: 'Acme Air on Instagram',
    externalAccountId: fields.accountId ?? metaId('178'),
    status: 'active',
    settings: { pageId: fields.pageId ?? metaId(), ...(fields.apiBaseUrl ? { apiBaseUrl: fields.apiBaseUrl } : {}), ...(fields.humanAgentTag ? { humanAgentTag: true } : {}) },
    credentialsEncrypted: encryptCredentials({ appSecret, accessToken: token, verifyToken }, TEST_CREDENTIALS_KEY),
  });
  return { ...channel.toObject<ChannelDoc>(), appSecret, token, verifyToken };
}
