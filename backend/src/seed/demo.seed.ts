import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger';
import { Channel } from '../channels/channel.model';
import { encryptCredentials } from '../channels/credentials';
import { hashPassword } from '../users/auth.service';
import { Team } from '../users/team.model';
import { User } from '../users/user.model';

export const demoUsers = [
  { email: 'admin@demo.parley', name: 'Ada Admin', role: 'admin' },
  { email: 'supervisor@demo.parley', name: 'Sam Supervisor', role: 'supervisor' },
  { email: 'agent@demo.parley', name: 'Alex Agent', role: 'agent' },
] as const;

/**
 * The demo brand of the embedded default: three users, one team and a simulator
 * channel. Runs only on an empty database, so a second start keeps what the first made.
 */
export async function seedDemo(password: string, credentialsKey: string | undefined, log: Logger): Promise<boolean> {
  if ((await User.estimatedDocumentCount()) > 0) return false;
  const team = await Team.findOneAndUpdate({ name: 'Customer Care' }, { $setOnInsert: { name: 'Customer Care' } }, { upsert: true, returnDocument: 'after' });
  const passwordHash = await hashPassword(password);
  for (const user of demoUsers) {
    await User.updateOne(
      { email: user.email },
      { $setOnInsert: { ...user, passwordHash, teamIds: [team._id], capacity: 10, active: true } },
      { upsert: true },
    );
  }
  await Channel.updateOne(
    { kind: 'simulator', externalAccountId: 'demo-brand' },
    {
      $setOnInsert: {
        kind: 'simulator',
        name: 'Demo simulator',
        externalAccountId: 'demo-brand',
        status: 'active',
        settings: {},
        teamId: team._id,
        // The signing secret of the simulator's webhook deliveries.
        ...(credentialsKey ? { credentialsEncrypted: encryptCredentials({ secret: randomBytes(24).toString('base64url') }, credentialsKey) } : {}),
      },
    },
    { upsert: true },
  );
  log.info({ users: demoUsers.map((user) => user.email) }, 'demo brand seeded');
  return true;
}
