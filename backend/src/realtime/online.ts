import type Redis from 'ioredis';

/**
 * Which agents have Parley open: a Redis set of socket ids per user, shared by all api
 * nodes. A set left behind by a crashed node expires within a day.
 */
export function onlineAgents(redis: Redis, prefix: string) {
  const key = (userId: string) => `${prefix}:online:${userId}`;
  return {
    async connected(userId: string, socketId: string): Promise<void> {
      await redis.multi().sadd(key(userId), socketId).expire(key(userId), 86_400).exec();
    },
    /** Answers whether the user still has a socket anywhere. */
    async disconnected(userId: string, socketId: string): Promise<boolean> {
      await redis.srem(key(userId), socketId);
      return (await redis.scard(key(userId))) > 0;
    },
    async isOnline(userId: string): Promise<boolean> {
      return (await redis.scard(key(userId))) > 0;
    },
  };
}
export type OnlineAgents = ReturnType<typeof onlineAgents>;
