import request from 'supertest';
import { rawEventListResponseSchema } from '@parley/common';
import { Channel } from '../channels/channel.model';
import { encryptCredentials } from '../channels/credentials';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeSimulatorChannel, makeSimulatorEvent, makeUser } from '../test/factories';
import { httpServer, testLog, useParley } from '../test/harness';
import { processRawEvent } from './inbound.processor';
import { RawEvent } from './raw-event.model';

// No worker: the test runs the processor's attempts itself, as the inbound queue would.
const parley = useParley(['api'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });

async function supervisor() {
  const user = await makeUser({ role: 'supervisor' });
  const response = await request(httpServer(parley())).post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
  return { authorization: `Bearer ${(response.body as { token: string }).token}` };
}

describe('inbound processing', () => {
  it('keeps an event whose normalizing throws pending between attempts and fails it, with the reason, after the last', async () => {
    // Credentials sealed with a key this process does not have (a rotation without CREDENTIALS_KEY_PREVIOUS).
    const channel = await makeSimulatorChannel();
    await Channel.updateOne({ _id: channel._id }, { $set: { credentialsEncrypted: encryptCredentials({ secret: channel.secret }, Buffer.alloc(32, 7).toString('base64')) } });
    const raw = await RawEvent.create({
      channelId: channel._id,
      kind: 'simulator',
      body: JSON.stringify({ events: [makeSimulatorEvent()] }),
      status: 'pending',
      receivedAt: new Date(),
      enqueuedAt: new Date(),
    });
    const { config, ingestDeps } = parley();
    const attempt = (final: boolean) => processRawEvent(raw._id.toHexString(), config, ingestDeps, testLog(), final);

    await expect(attempt(false)).rejects.toThrow(/cannot be read/);
    expect(await RawEvent.findById(raw._id).lean()).toMatchObject({ status: 'pending', attempts: 1, error: expect.stringMatching(/^normalize: .*cannot be read/) as string });

    await expect(attempt(true)).rejects.toThrow(/cannot be read/);
    expect(await RawEvent.findById(raw._id).lean()).toMatchObject({ status: 'failed', attempts: 2 });
    const listed = rawEventListResponseSchema.parse(
      (await request(httpServer(parley())).get('/api/raw-events').query({ status: 'failed', channelId: channel._id.toHexString() }).set(await supervisor()).expect(200)).body,
    ).items;
    expect(listed).toEqual([expect.objectContaining({ id: raw._id.toHexString(), status: 'failed', error: expect.stringMatching(/^normalize: channel credentials cannot be read/) as string })]);
  });
});
