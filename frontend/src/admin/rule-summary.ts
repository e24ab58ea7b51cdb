import type { Rule, RuleAction, RuleCondition } from '@parley/common';
import { ruleStrings as t } from './rules.strings';

/** Names for the ids a rule holds; an id nobody knows (a channel removed since) shows as itself. */
export interface RuleNames {
  channel: (id: string) => string | undefined;
  schedule: (id: string) => string | undefined;
  team: (id: string) => string | undefined;
  agent: (id: string) => string | undefined;
}

const quoted = (items: readonly string[]) => items.map((item) => `“${item}”`).join(', ');

/** One condition in a line: "Keywords any of “refund”, “remboursement”". */
export function describeCondition(condition: RuleCondition, names: RuleNames): string {
  const field = t.fields[condition.field];
  const op = (t.operators[condition.field] as Record<string, string>)[condition.op] ?? condition.op;
  switch (condition.field) {
    case 'channel':
      return `${field} ${op} ${condition.channelIds.map((id) => names.channel(id) ?? id).join(', ')}`;
    case 'channelKind':
      return `${field} ${op} ${condition.kinds.map((kind) => t.kinds[kind]).join(', ')}`;
    case 'visibility':
      return `${field}: ${t.visibilities[condition.value]}`;
    case 'language':
      return condition.values?.length ? `${field} ${op} ${condition.values.join(', ')}` : `${field} ${op}`;
    case 'keywords':
      return `${field} ${op} ${quoted(condition.words)}`;
    case 'text':
      return `${field} ${op} /${condition.pattern}/`;
    case 'authorFollowers':
      return `${field} ${op} ${condition.value.toLocaleString('en')}`;
    case 'authorVerified':
      return `${field}: ${condition.value ? t.yesNo.yes : t.yesNo.no}`;
    case 'businessHours':
      return `${field} ${op} (${condition.businessHoursId ? (names.schedule(condition.businessHoursId) ?? condition.businessHoursId) : t.editor.ticketSchedule})`;
    case 'sentiment':
      return `${field} ${op} ${condition.values.map((label) => t.sentiments[label]).join(', ')}`;
    case 'influence':
      return `${field} ${op} ${condition.values.map((tier) => t.tiers[tier]).join(', ')}`;
    case 'status':
      return `${field} ${op} ${condition.values.map((status) => t.statuses[status]).join(', ')}`;
    case 'priority':
      return `${field} ${op} ${condition.values.map((priority) => t.priorities[priority]).join(', ')}`;
  }
}

/** When the rule acts, in a line: every condition of "all" and, if any, one of "any". */
export function describeConditions(rule: Pick<Rule, 'conditions'>, names: RuleNames): string {
  const all = rule.conditions.all.map((condition) => describeCondition(condition, names)).join(' and ');
  const any = rule.conditions.any.map((condition) => describeCondition(condition, names)).join(' or ');
  if (all && any) return `${all}, and ${any}`;
  return all || any || t.editor.noneYet;
}

export function describeAction(action: RuleAction, names: RuleNames): string {
  const label = t.actionTypes[action.type];
  switch (action.type) {
    case 'assign_team':
      return `${label}: ${names.team(action.teamId) ?? action.teamId}`;
    case 'assign_agent':
      return `${label}: ${names.agent(action.agentId) ?? action.agentId}`;
    case 'set_priority':
      return `${label}: ${t.priorities[action.priority]}`;
    case 'add_tag':
      return `${label}: ${action.tag}`;
    case 'public_reply':
    case 'move_to_private':
      return label;
  }
}
