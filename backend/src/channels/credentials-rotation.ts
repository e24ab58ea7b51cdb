import { Channel, type ChannelDoc } from './channel.model';
import { decryptCredentials, encryptCredentials } from './credentials';

/**
 * Re-encrypts every channel's credentials with the first CREDENTIALS_KEY (see
 * credentials.ts), reading them with any key listed. Safe to run again.
 */
export async function rotateCredentialsKey(credentialsKey: string | undefined): Promise<{ channels: number; rotated: number }> {
  const channels = await Channel.find({}, { _id: 1, credentialsEncrypted: 1 }).lean<Array<Pick<ChannelDoc, '_id' | 'credentialsEncrypted'>>>();
  let rotated = 0;
  for (const channel of channels) {
    if (!channel.credentialsEncrypted) continue;
    const credentials = decryptCredentials(channel.credentialsEncrypted, credentialsKey);
    await Channel.updateOne({ _id: channel._id }, { $set: { credentialsEncrypted: encryptCredentials(credentials, credentialsKey) } });
    rotated += 1;
  }
  return { channels: channels.length, rotated };
}
