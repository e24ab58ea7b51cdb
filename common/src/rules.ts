import { z } from 'zod';
import { connectorKindSchema } from './channels';
import { influenceTierSchema } from './influence';
import { isSearchableKeyword } from './keywords';
import { prioritySchema, ticketStatusSchema } from './tickets';
import { objectIdSchema, teamSchema } from './users';

/**
 * Automation rules (GET/POST/PATCH/DELETE /api/rules): when a customer's message arrives,
 * the active rules are tried in their order; a rule whose conditions hold runs its actions,
 * and may stop the rules after it. Every shape here is validated on save, so a rule that is
 * stored can always be evaluated: the 400 names the field that could not be.
 */

/** ticket.created: the customer's message opened a ticket. message.created: any customer message, the opening one included. */
export const ruleTriggerSchema = z.enum(['ticket.created', 'message.created']);
export type RuleTrigger = z.infer<typeof ruleTriggerSchema>;

const membership = z.enum(['in', 'not_in']);
const ids = z.array(objectIdSchema).min(1, 'name at least one').max(100);

/** A language code as triage and the platforms write it: en, es, fr, pt-BR, zh-Hant. */
export const languageCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'use a language code such as en, es or pt-BR')
  .transform((code) => code.toLowerCase());

/** Whether a pattern compiles as a JavaScript regular expression with the flags rules use (case-insensitive, Unicode). */
export function isValidRulePattern(pattern: string): boolean {
  try {
    new RegExp(pattern, 'iu');
    return true;
  } catch {
    return false;
  }
}

const keywordSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100)
  .refine(isSearchableKeyword, 'has no word to look for (only spaces, punctuation or symbols)');

export const ruleConditionSchema = z.discriminatedUnion('field', [
  /** The channel the message came in on, by id. */
  z.strictObject({ field: z.literal('channel'), op: membership, channelIds: ids }),
  /** The kind of channel: x, facebook, instagram, webhook, simulator. */
  z.strictObject({ field: z.literal('channelKind'), op: membership, kinds: z.array(connectorKindSchema).min(1, 'name at least one') }),
  /** Whether the customer wrote in public (a mention, a comment) or privately (a DM). */
  z.strictObject({ field: z.literal('visibility'), op: z.literal('is'), value: z.enum(['public', 'private']) }),
  /**
   * The message's language (from the platform or triage; empty until known). "en" also
   * matches en-GB. A message whose language is not known matches neither `in` nor `not_in`,
   * only `unknown`.
   */
  z
    .strictObject({ field: z.literal('language'), op: z.enum(['in', 'not_in', 'known', 'unknown']), values: z.array(languageCodeSchema).max(50).optional() })
    .superRefine((condition, context) => {
      const needsValues = condition.op === 'in' || condition.op === 'not_in';
      if (needsValues && !condition.values?.length) context.addIssue({ code: 'custom', path: ['values'], message: `name at least one language for "${condition.op}"` });
      if (!needsValues && condition.values?.length) context.addIssue({ code: 'custom', path: ['values'], message: `"${condition.op}" takes no languages` });
    }),
  /** Whole words or phrases in the text, in any language, whatever the case and accents: any of them, all of them, or none. */
  z.strictObject({ field: z.literal('keywords'), op: z.enum(['any', 'all', 'none']), words: z.array(keywordSchema).min(1, 'name at least one word').max(100) }),
  /** A regular expression on the text (case-insensitive, Unicode); one that runs too long counts as no match. */
  z.strictObject({
    field: z.literal('text'),
    op: z.enum(['matches', 'not_matches']),
    pattern: z.string().min(1, 'must not be empty').max(500).refine(isValidRulePattern, 'is not a valid regular expression'),
  }),
  /** The author's follower count on that platform; an author whose count is unknown matches neither. */
  z.strictObject({ field: z.literal('authorFollowers'), op: z.enum(['gte', 'lte']), value: z.number().int().nonnegative() }),
  /** Whether the platform marks the author verified (unknown counts as not verified). */
  z.strictObject({ field: z.literal('authorVerified'), op: z.literal('is'), value: z.boolean() }),
  /**
   * Whether the team is on shift when the customer wrote: in the schedule named, else in the
   * schedule of the ticket's SLA policy (open around the clock when it has none).
   */
  z.strictObject({ field: z.literal('businessHours'), op: z.enum(['open', 'closed']), businessHoursId: objectIdSchema.nullable().optional() }),
  /** The message's sentiment as triage read it (a message triage could not read yet matches neither). */
  z.strictObject({ field: z.literal('sentiment'), op: membership, values: z.array(z.enum(['negative', 'neutral', 'positive'])).min(1, 'name at least one') }),
  /** The author's influence tier (common/src/influence.ts: celebrity, high, notable, standard, vip). */
  z.strictObject({ field: z.literal('influence'), op: membership, values: z.array(influenceTierSchema).min(1, 'name at least one') }),
  /** The ticket's status and priority as they are when the rule runs (after earlier rules' actions). */
  z.strictObject({ field: z.literal('status'), op: membership, values: z.array(ticketStatusSchema).min(1, 'name at least one') }),
  z.strictObject({ field: z.literal('priority'), op: membership, values: z.array(prioritySchema).min(1, 'name at least one') }),
]);
export type RuleCondition = z.infer<typeof ruleConditionSchema>;
export type RuleConditionField = RuleCondition['field'];
export const ruleConditionFields = ruleConditionSchema.options.map((option) => option.shape.field.value);

/** Every condition of `all`, and at least one of `any` when it names some. Both empty: every message of the trigger. */
export const ruleConditionsSchema = z.strictObject({
  all: z.array(ruleConditionSchema).max(50).default([]),
  any: z.array(ruleConditionSchema).max(50).default([]),
});
export type RuleConditions = z.infer<typeof ruleConditionsSchema>;

/** Placeholders a rule's texts may hold; there is no agent to name, so {{agent_name}} is refused. */
export const rulePlaceholders = ['first_name'] as const;

const ruleText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max)
    .superRefine((text, context) => {
      for (const [, name] of text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
        if (!(rulePlaceholders as readonly string[]).includes(name ?? '')) {
          context.addIssue({ code: 'custom', message: `{{${name ?? ''}}} cannot be filled in by a rule; use ${rulePlaceholders.map((p) => `{{${p}}}`).join(', ')}` });
        }
      }
    });

export const ruleActionSchema = z.discriminatedUnion('type', [
  /** The ticket goes to the team's queue (its assignee is cleared unless a member; auto-assignment may pick one). */
  z.strictObject({ type: z.literal('assign_team'), teamId: objectIdSchema }),
  z.strictObject({ type: z.literal('assign_agent'), agentId: objectIdSchema }),
  z.strictObject({ type: z.literal('set_priority'), priority: prioritySchema }),
  z.strictObject({ type: z.literal('add_tag'), tag: z.string().trim().min(1, 'must not be empty').max(50) }),
  /** A public answer to the customer's public message, through the same checks as an agent's. {{first_name}} is filled in. */
  z.strictObject({ type: z.literal('public_reply'), text: ruleText(5_000) }),
  /** A short public reply, then the private message, as "Reply & move to private" does. */
  z.strictObject({ type: z.literal('move_to_private'), publicText: ruleText(5_000), privateText: ruleText(5_000) }),
]);
export type RuleAction = z.infer<typeof ruleActionSchema>;
export type RuleActionType = RuleAction['type'];
export const ruleActionTypes = ruleActionSchema.options.map((option) => option.shape.type.value);

/** Actions a rule may take once: two of them would contradict each other (or answer the customer twice in public). */
const onceOnly: Partial<Record<RuleActionType, string>> = {
  assign_team: 'team',
  assign_agent: 'agent',
  set_priority: 'priority',
  public_reply: 'public answer',
  move_to_private: 'public answer',
};

const ruleActionsSchema = z
  .array(ruleActionSchema)
  .min(1, 'a rule needs at least one action')
  .max(20)
  .superRefine((actions, context) => {
    const seen = new Map<string, RuleActionType>();
    actions.forEach((action, index) => {
      const what = onceOnly[action.type];
      if (!what) return;
      const earlier = seen.get(what);
      if (earlier) context.addIssue({ code: 'custom', path: [index, 'type'], message: `a rule sets one ${what}: ${earlier} already does` });
      else seen.set(what, action.type);
    });
  });

const triggersSchema = z
  .array(ruleTriggerSchema)
  .min(1, 'choose when the rule runs')
  .refine((triggers) => new Set(triggers).size === triggers.length, 'names a trigger twice');

const ruleFields = {
  name: z.string().trim().min(1, 'must not be empty').max(120),
  active: z.boolean(),
  /** Where the rule stands among all rules, 1 first. */
  order: z.number().int().positive(),
  /** When this rule matches, the rules after it are not tried for that message. */
  stopProcessing: z.boolean(),
  triggers: triggersSchema,
  conditions: ruleConditionsSchema,
  actions: ruleActionsSchema,
};

/** POST /api/rules. Without `order` the rule goes last; with it, it takes that place and the rules from there move down. */
export const ruleInputSchema = z.strictObject({
  ...ruleFields,
  active: ruleFields.active.default(true),
  order: ruleFields.order.optional(),
  stopProcessing: ruleFields.stopProcessing.default(false),
  conditions: ruleFields.conditions.default({ all: [], any: [] }),
});
export type RuleInput = z.input<typeof ruleInputSchema>;

/** PATCH /api/rules/:id: any of the fields; `order` moves the rule to that place (the others close up). */
export const ruleUpdateSchema = z.strictObject(ruleFields).partial();
export type RuleUpdate = z.input<typeof ruleUpdateSchema>;

export const ruleSchema = z.object({
  id: objectIdSchema,
  name: z.string(),
  active: z.boolean(),
  order: z.number().int().positive(),
  stopProcessing: z.boolean(),
  triggers: z.array(ruleTriggerSchema),
  conditions: z.object({ all: z.array(ruleConditionSchema), any: z.array(ruleConditionSchema) }),
  actions: z.array(ruleActionSchema),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Rule = z.infer<typeof ruleSchema>;

export const ruleListSchema = z.object({ items: z.array(ruleSchema) });
export type RuleList = z.infer<typeof ruleListSchema>;

/** What the rule editor offers to assign to (GET /api/rules/options): teams and the active people who can take tickets. */
export const ruleOptionsSchema = z.object({
  teams: z.array(teamSchema),
  agents: z.array(z.object({ id: objectIdSchema, name: z.string(), teamIds: z.array(objectIdSchema) })),
});
export type RuleOptions = z.infer<typeof ruleOptionsSchema>;

/**
 * What one action would do (dry run) or did (the audit trail): change the ticket, leave it
 * as it is (the tag is there already), or fail with the reason (a public reply to a DM, a
 * reply the guardrails hold back).
 */
export const ruleActionEffectSchema = z.object({
  type: z.enum(ruleActionTypes as [RuleActionType, ...RuleActionType[]]),
  effect: z.enum(['change', 'unchanged', 'fail']),
  /** In words: what changes, or why nothing does. */
  detail: z.string(),
  /** The text a reply would carry, its placeholders filled in. */
  text: z.string().optional(),
});
export type RuleActionEffect = z.infer<typeof ruleActionEffectSchema>;

/** POST /api/rules/:id/dry-run: the last 500 tickets, newest first, those the rule matches, and what it would do to each. */
export const ruleDryRunSchema = z.object({
  ruleId: objectIdSchema,
  /** How many tickets were looked at (at most 500). */
  evaluated: z.number().int().nonnegative(),
  matched: z.number().int().nonnegative(),
  items: z.array(
    z.object({
      ticket: z.object({
        id: objectIdSchema,
        number: z.number().int(),
        subject: z.string(),
        channelId: objectIdSchema,
        channelKind: connectorKindSchema,
        status: ticketStatusSchema,
        priority: prioritySchema,
      }),
      /** The customer message the rule was tried on: the opening one for ticket.created, the latest for message.created. */
      trigger: ruleTriggerSchema,
      message: z.object({ id: objectIdSchema, text: z.string(), visibility: z.enum(['public', 'private']), language: z.string().nullable(), sentAt: z.iso.datetime() }),
      actions: z.array(ruleActionEffectSchema),
    }),
  ),
});
export type RuleDryRun = z.infer<typeof ruleDryRunSchema>;

/** How many of the newest tickets a dry run looks at. */
export const RULE_DRY_RUN_TICKETS = 500;
