import type { Rule, RuleAction, RuleActionType, RuleCondition, RuleConditionField, RuleTrigger } from '@parley/common';

/** A row of the editor: a condition or action with a key of its own, so a row keeps its inputs when others go. */
export interface Keyed<T> {
  key: string;
  value: T;
}

let nextKey = 0;
export const keyed = <T>(value: T): Keyed<T> => ({ key: `row-${++nextKey}`, value });

/** The rule being edited: the API's input shape, kept whole while the admin changes it. */
export interface RuleDraft {
  name: string;
  active: boolean;
  stopProcessing: boolean;
  triggers: RuleTrigger[];
  conditions: { all: Keyed<RuleCondition>[]; any: Keyed<RuleCondition>[] };
  actions: Keyed<RuleAction>[];
}

/** What the API is sent: the draft without the editor's row keys. */
export function inputOf(draft: RuleDraft) {
  return {
    name: draft.name,
    active: draft.active,
    stopProcessing: draft.stopProcessing,
    triggers: draft.triggers,
    conditions: { all: draft.conditions.all.map((row) => row.value), any: draft.conditions.any.map((row) => row.value) },
    actions: draft.actions.map((row) => row.value),
  };
}

export type ConditionGroup = 'all' | 'any';

/** A new rule starts switched off, so it can be tried with a dry run before it acts. */
export const emptyDraft = (): RuleDraft => ({
  name: '',
  active: false,
  stopProcessing: false,
  triggers: ['ticket.created'],
  conditions: { all: [], any: [] },
  actions: [],
});

export const draftOf = (rule: Rule): RuleDraft => ({
  name: rule.name,
  active: rule.active,
  stopProcessing: rule.stopProcessing,
  triggers: [...rule.triggers],
  conditions: { all: rule.conditions.all.map(keyed), any: rule.conditions.any.map(keyed) },
  actions: rule.actions.map(keyed),
});

/** A condition of this field with its first operator and no value yet (the server names what is missing). */
export function newCondition(field: RuleConditionField): RuleCondition {
  switch (field) {
    case 'channel':
      return { field, op: 'in', channelIds: [] };
    case 'channelKind':
      return { field, op: 'in', kinds: [] };
    case 'visibility':
      return { field, op: 'is', value: 'public' };
    case 'language':
      return { field, op: 'in', values: [] };
    case 'keywords':
      return { field, op: 'any', words: [] };
    case 'text':
      return { field, op: 'matches', pattern: '' };
    case 'authorFollowers':
      return { field, op: 'gte', value: 10_000 };
    case 'authorVerified':
      return { field, op: 'is', value: true };
    case 'businessHours':
      return { field, op: 'closed', businessHoursId: null };
    case 'sentiment':
      return { field, op: 'in', values: ['negative'] };
    case 'influence':
      return { field, op: 'in', values: [] };
    case 'status':
      return { field, op: 'in', values: [] };
    case 'priority':
      return { field, op: 'in', values: [] };
  }
}

export function newAction(type: RuleActionType): RuleAction {
  switch (type) {
    case 'assign_team':
      return { type, teamId: '' };
    case 'assign_agent':
      return { type, agentId: '' };
    case 'set_priority':
      return { type, priority: 'high' };
    case 'add_tag':
      return { type, tag: '' };
    case 'public_reply':
      return { type, text: '' };
    case 'move_to_private':
      return { type, publicText: '', privateText: '' };
  }
}

/** The operators each field offers, in the order the editor lists them. */
export const operatorsOf: { [F in RuleConditionField]: ReadonlyArray<Extract<RuleCondition, { field: F }>['op']> } = {
  channel: ['in', 'not_in'],
  channelKind: ['in', 'not_in'],
  visibility: ['is'],
  language: ['in', 'not_in', 'unknown', 'known'],
  keywords: ['any', 'all', 'none'],
  text: ['matches', 'not_matches'],
  authorFollowers: ['gte', 'lte'],
  authorVerified: ['is'],
  businessHours: ['closed', 'open'],
  sentiment: ['in', 'not_in'],
  influence: ['in', 'not_in'],
  status: ['in', 'not_in'],
  priority: ['in', 'not_in'],
};

/** The condition with another operator, its value kept where the operator takes one. */
export function withOperator(condition: RuleCondition, op: string): RuleCondition {
  if (condition.field === 'language') {
    const takesValues = op === 'in' || op === 'not_in';
    const { values, ...rest } = condition;
    return { ...rest, op: op as typeof condition.op, ...(takesValues ? { values: values ?? [] } : {}) };
  }
  return { ...condition, op } as RuleCondition;
}

/** A server error's field falls under an input's path: `conditions.all.0.words.1` belongs to `conditions.all.0.words`. */
export function errorAt(error: { field?: string; message: string } | null, path: string): string | undefined {
  if (!error?.field) return undefined;
  return error.field === path || error.field.startsWith(`${path}.`) ? error.message : undefined;
}

/** Moves an item of a list up (-1) or down (+1); a move past either end leaves it. */
export function moved<T>(items: readonly T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (target < 0 || target >= items.length) return [...items];
  const copy = [...items];
  const [item] = copy.splice(index, 1);
  if (item !== undefined) copy.splice(target, 0, item);
  return copy;
}

/** Splits what the admin typed into a list: by commas (languages) or lines (keywords, which may hold spaces). */
export function splitList(text: string, by: 'comma' | 'line'): string[] {
  return text
    .split(by === 'comma' ? /[,\n]/ : /\n/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
