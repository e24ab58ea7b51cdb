import { connectRedis } from './redis';
import { testConfig, testLog } from './test/harness';

describe('the Redis handle', () => {
  it('gives publishers whose failed publish (after close) resolves instead of rejecting unhandled', async () => {
    const redis = connectRedis(testConfig().REDIS_URL, testLog());
    const publisher = redis.publisher('test-publisher');
    await expect(publisher.publish('parley-test-channel', 'hello')).resolves.toBe(0);
    await redis.close();
    // The socket.io adapter publishes and never looks at the answer.
    await expect(publisher.publish('parley-test-channel', 'too late')).resolves.toBe(0);
    await expect(redis.client.publish('parley-test-channel', 'too late')).rejects.toThrow('Connection is closed');
  });
});
