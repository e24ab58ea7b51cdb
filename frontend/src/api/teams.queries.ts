import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { teamDetailSchema, teamListResponseSchema, type TeamDetail, type TeamUpdate } from '@parley/common';
import { apiFetch } from './client';

export const teamKeys = { all: ['teams'] as const };

/** Every team with its members and settings (supervisors and admins). */
export function useTeams() {
  return useQuery({
    queryKey: teamKeys.all,
    queryFn: async ({ signal }): Promise<TeamDetail[]> => (await apiFetch('/api/teams', teamListResponseSchema, { signal })).items,
  });
}

export function useUpdateTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: TeamUpdate }) => apiFetch(`/api/teams/${id}`, teamDetailSchema, { method: 'PATCH', body: patch }),
    onSuccess: (updated) => queryClient.setQueryData<TeamDetail[]>(teamKeys.all, (old) => old?.map((team) => (team.id === updated.id ? updated : team))),
  });
}
