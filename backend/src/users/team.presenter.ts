import type { TeamDetail } from '@parley/common';
import type { TeamWithMembers } from './teams.service';

export function presentTeamDetail({ team, members }: TeamWithMembers): TeamDetail {
  return {
    id: team._id.toHexString(),
    name: team.name,
    autoAssign: team.autoAssign ?? false,
    publicReplyApproval: {
      required: team.publicReplyApproval?.required ?? false,
      agentIds: (team.publicReplyApproval?.agentIds ?? []).map((id) => id.toHexString()),
    },
    members: members.map((member) => ({ id: member._id.toHexString(), name: member.name, role: member.role })),
    createdAt: team.createdAt.toISOString(),
    updatedAt: team.updatedAt.toISOString(),
  };
}
