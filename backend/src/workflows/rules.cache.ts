import type Redis from 'ioredis';
import { ruleActionSchema, ruleConditionsSchema, ruleTriggerSchema, type RuleAction, type RuleTrigger } from '@parley/common';
import { z } from 'zod';
import type { Logger } from '../logger';
import { Rule, type RuleDoc } from './rule.model';
import { compileConditions, type CompiledConditions } from './rules.conditions';
import { rulesVersionKey } from './rules.service';

/** A rule ready to run: its conditions compiled (keywords segmented, patterns built) once. */
export interface CompiledRule {
  rule: RuleDoc;
  triggers: RuleTrigger[];
  conditions: CompiledConditions;
  actions: RuleAction[];
}

const storedRuleSchema = z.object({
  triggers: z.array(ruleTriggerSchema),
  conditions: ruleConditionsSchema,
  actions: z.array(ruleActionSchema),
});

/**
 * A stored rule, compiled; undefined (and logged) if it no longer fits the schema, which
 * only a hand edit of the database could cause: one broken rule must not stop the others.
 */
export function compileRule(rule: RuleDoc, log: Logger): CompiledRule | undefined {
  const parsed = storedRuleSchema.safeParse(rule);
  if (!parsed.success) {
    log.error({ ruleId: rule._id.toHexString(), issues: parsed.error.issues.slice(0, 3) }, 'stored rule does not fit the rule schema; skipped');
    return undefined;
  }
  return { rule, triggers: parsed.data.triggers, conditions: compileConditions(parsed.data.conditions), actions: parsed.data.actions };
}

export interface RuleCache {
  /** The active rules in their order. */
  active(): Promise<CompiledRule[]>;
}

/** A process trusts its copy this long even if nobody bumped the version (a change made outside the API). */
const MAX_AGE_MS = 60_000;

/**
 * The active rules, read once and kept: every rule change bumps a version in Redis, which is
 * all a worker reads per message (one GET) until it changes.
 */
export function createRuleCache(redis: Redis, prefix: string, log: Logger): RuleCache {
  let cached: { version: string | null; at: number; rules: CompiledRule[] } | null = null;
  let loading: Promise<CompiledRule[]> | null = null;
  return {
    async active() {
      const version = await redis.get(rulesVersionKey(prefix));
      if (cached && cached.version === version && Date.now() - cached.at < MAX_AGE_MS) return cached.rules;
      loading ??= (async () => {
        try {
          const docs = await Rule.find({ active: true }).lean<RuleDoc[]>();
          const rules = docs
            .sort((a, b) => a.order - b.order)
            .map((rule) => compileRule(rule, log))
            .filter((rule): rule is CompiledRule => rule !== undefined);
          cached = { version, at: Date.now(), rules };
          return rules;
        } finally {
          loading = null;
        }
      })();
      return loading;
    },
  };
}
