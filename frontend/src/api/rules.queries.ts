import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  businessHoursListSchema,
  ruleDryRunSchema,
  ruleListSchema,
  ruleOptionsSchema,
  ruleSchema,
  type BusinessHours,
  type Rule,
  type RuleInput,
  type RuleUpdate,
} from '@parley/common';
import { apiFetch } from './client';

export const ruleKeys = {
  all: ['rules'] as const,
  options: ['rules', 'options'] as const,
  businessHours: ['business-hours'] as const,
};

/** Every rule, in the order the worker tries them; read again whenever a rules screen opens (another admin may have changed them). */
export function useRules() {
  return useQuery({
    queryKey: ruleKeys.all,
    queryFn: async ({ signal }): Promise<Rule[]> => (await apiFetch('/api/rules', ruleListSchema, { signal })).items,
    staleTime: 0,
  });
}

/** What a rule can assign to: teams and active people. */
export function useRuleOptions() {
  return useQuery({ queryKey: ruleKeys.options, queryFn: ({ signal }) => apiFetch('/api/rules/options', ruleOptionsSchema, { signal }), staleTime: 60_000 });
}

export function useBusinessHoursList() {
  return useQuery({
    queryKey: ruleKeys.businessHours,
    queryFn: async ({ signal }): Promise<BusinessHours[]> => (await apiFetch('/api/business-hours', businessHoursListSchema, { signal })).items,
    staleTime: 60_000,
  });
}

const byOrder = (a: Rule, b: Rule) => a.order - b.order;

export function useCreateRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RuleInput) => apiFetch('/api/rules', ruleSchema, { method: 'POST', body: input }),
    onSuccess: (created) => {
      // In the cache at once, so its editor opens on it; the others' places are read again.
      queryClient.setQueryData<Rule[]>(ruleKeys.all, (old) => [...(old ?? []).filter((rule) => rule.id !== created.id), created].sort(byOrder));
      void queryClient.invalidateQueries({ queryKey: ruleKeys.all });
    },
  });
}

/** A change to one rule; a move changes the places of others, so the list is read again. */
export function useUpdateRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: RuleUpdate }) => apiFetch(`/api/rules/${id}`, ruleSchema, { method: 'PATCH', body: patch }),
    onMutate: async ({ id, patch }) => {
      // A switch or a move shows at once; the server's answer (or the list read again) settles it.
      await queryClient.cancelQueries({ queryKey: ruleKeys.all });
      const previous = queryClient.getQueryData<Rule[]>(ruleKeys.all);
      if (previous && patch.order === undefined && patch.active !== undefined) {
        queryClient.setQueryData<Rule[]>(ruleKeys.all, previous.map((rule) => (rule.id === id ? { ...rule, active: patch.active ?? rule.active } : rule)));
      }
      if (previous && patch.order !== undefined) {
        const moving = previous.find((rule) => rule.id === id);
        const others = previous.filter((rule) => rule.id !== id);
        if (moving) {
          others.splice(patch.order - 1, 0, moving);
          queryClient.setQueryData<Rule[]>(ruleKeys.all, others.map((rule, index) => ({ ...rule, order: index + 1 })));
        }
      }
      return { previous };
    },
    onSuccess: (updated) => {
      queryClient.setQueryData<Rule[]>(ruleKeys.all, (old) => old?.map((rule) => (rule.id === updated.id ? updated : rule)));
    },
    onError: (_error, _variables, context) => {
      if (context?.previous) queryClient.setQueryData(ruleKeys.all, context.previous);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ruleKeys.all }),
  });
}

export function useDeleteRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(`/api/rules/${id}`, null, { method: 'DELETE' }),
    onSuccess: (_nothing, id) => {
      queryClient.setQueryData<Rule[]>(ruleKeys.all, (old) => old?.filter((rule) => rule.id !== id).sort(byOrder));
      void queryClient.invalidateQueries({ queryKey: ruleKeys.all });
    },
  });
}

/** Which of the last 500 tickets the saved rule would match, and what it would do: changes nothing. */
export function useDryRun() {
  return useMutation({ mutationFn: (id: string) => apiFetch(`/api/rules/${id}/dry-run`, ruleDryRunSchema, { method: 'POST', body: {} }) });
}
