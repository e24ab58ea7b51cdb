import { randomBytes } from 'node:crypto';
import type { Role } from '@parley/common';
import { hashPassword } from '../users/auth.service';
import { Team } from '../users/team.model';
import { User, type UserDoc } from '../users/user.model';

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

const unique = () => randomBytes(4).toString('hex');

export async function makeTeam(name = `Team ${unique()}`) {
  return Team.create({ name });
}

export async function makeUser(fields: Partial<Pick<UserDoc, 'email' | 'name' | 'role' | 'teamIds' | 'active' | 'capacity'>> & { role?: Role } = {}): Promise<UserDoc> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const id = unique();
  const user = await User.create({
    email: `user-${id}@example.test`,
    name: `User ${id}`,
    role: 'agent',
    teamIds: [],
    passwordHash: await passwordHash,
    ...fields,
  });
  return user.toObject();
}
