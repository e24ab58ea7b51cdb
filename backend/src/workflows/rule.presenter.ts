import type { Rule as RuleShape } from '@parley/common';
import type { RuleDoc } from './rule.model';

export function presentRule(rule: RuleDoc): RuleShape {
  return {
    id: rule._id.toHexString(),
    name: rule.name,
    active: rule.active,
    order: rule.order,
    stopProcessing: rule.stopProcessing,
    triggers: rule.triggers,
    conditions: { all: rule.conditions.all, any: rule.conditions.any },
    actions: rule.actions,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}
