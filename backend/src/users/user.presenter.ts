import type { Team as TeamShape, User as UserShape } from '@parley/common';
import type { TeamDoc } from './team.model';
import type { UserDoc } from './user.model';

export function presentUser(user: UserDoc): UserShape {
  return {
    id: user._id.toHexString(),
    email: user.email,
    name: user.name,
    role: user.role,
    teamIds: user.teamIds.map((id) => id.toHexString()),
    capacity: user.capacity,
    active: user.active,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

export function presentTeam(team: TeamDoc): TeamShape {
  return { id: team._id.toHexString(), name: team.name };
}
