import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { loginResponseSchema, meResponseSchema, type LoginRequest, type MeResponse } from '@parley/common';
import { ApiError, apiFetch } from './client';
import { session } from './session';

export const meQueryKey = ['me'] as const;

/** The signed-in user, or null when nobody is signed in (a 401 is an answer, not an error). */
export function useMe() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: async ({ signal }): Promise<MeResponse | null> => {
      try {
        return await apiFetch('/api/me', meResponseSchema, { signal });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
    retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 3,
  });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: LoginRequest) => apiFetch('/api/auth/login', loginResponseSchema, { method: 'POST', body: credentials }),
    onSuccess: async (signedIn) => {
      session.set(signedIn.token);
      // /api/me also answers the user's teams. staleTime 0: the cached answer is "nobody".
      await queryClient.fetchQuery({ queryKey: meQueryKey, queryFn: () => apiFetch('/api/me', meResponseSchema), staleTime: 0 });
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch('/api/auth/logout', null, { method: 'POST' }),
    onSettled: () => {
      session.set(undefined);
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, null);
    },
  });
}
