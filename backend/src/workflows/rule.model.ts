import { Schema, model, type Types } from 'mongoose';
import { ruleTriggerSchema, type RuleAction, type RuleConditions, type RuleTrigger } from '@parley/common';

/** An automation rule as stored: its conditions and actions exactly as ruleInputSchema parsed them. */
export interface RuleDoc {
  _id: Types.ObjectId;
  name: string;
  active: boolean;
  /** 1 first; unique, so two rules never share a place. */
  order: number;
  stopProcessing: boolean;
  triggers: RuleTrigger[];
  conditions: RuleConditions;
  actions: RuleAction[];
  createdBy: Types.ObjectId | null;
  updatedBy: Types.ObjectId | null;
  createdAt: Date;
  updatedAt: Date;
}

const ruleSchema = new Schema<RuleDoc>(
  {
    name: { type: String, required: true, trim: true },
    active: { type: Boolean, required: true, default: true },
    order: { type: Number, required: true },
    stopProcessing: { type: Boolean, required: true, default: false },
    triggers: { type: [{ type: String, enum: ruleTriggerSchema.options }], required: true },
    // Plain JSON, validated by the schemas in common/ on the way in and again when read.
    conditions: { type: Schema.Types.Mixed, required: true },
    actions: { type: Schema.Types.Mixed, required: true },
    createdBy: { type: Schema.Types.ObjectId, default: null },
    updatedBy: { type: Schema.Types.ObjectId, default: null },
  },
  { timestamps: true, minimize: false },
);
ruleSchema.index({ name: 1 }, { unique: true });
ruleSchema.index({ order: 1 }, { unique: true });
ruleSchema.index({ active: 1 });

export const Rule = model<RuleDoc>('Rule', ruleSchema, 'rules');

/** What one action of a rule run came to, in the order the actions ran. */
export interface RuleActionOutcome {
  type: RuleAction['type'];
  effect: 'change' | 'unchanged' | 'fail';
  detail: string;
  /** The reply a public_reply action posted. */
  messageId?: string;
  /** Guardrail findings that held a reply back. */
  findings?: unknown[];
}

/**
 * One rule's run on one customer message: its _id "<ruleId>:<messageId>" is the claim that
 * makes the run happen once, whatever redelivers the message; the outcomes recorded as each
 * action finishes let a run cut short (a crash, a lost lock) resume where it stopped.
 */
export interface RuleRunDoc {
  _id: string;
  ruleId: Types.ObjectId;
  ruleName: string;
  messageId: Types.ObjectId;
  ticketId: Types.ObjectId;
  trigger: RuleTrigger;
  state: 'running' | 'done';
  /** The rule's actions when it matched: a resumed run finishes those, whatever the rule became since. */
  actions: RuleAction[];
  outcomes: RuleActionOutcome[];
  /** Chosen when the run is claimed: the id of each reply it posts (by action index) and of its audit entry. */
  replyIds: string[];
  auditId: Types.ObjectId;
  stopProcessing: boolean;
  startedAt: Date;
  finishedAt: Date | null;
}

const ruleRunSchema = new Schema<RuleRunDoc>(
  {
    _id: String,
    ruleId: { type: Schema.Types.ObjectId, required: true },
    ruleName: { type: String, required: true },
    messageId: { type: Schema.Types.ObjectId, required: true },
    ticketId: { type: Schema.Types.ObjectId, required: true },
    trigger: { type: String, required: true, enum: ruleTriggerSchema.options },
    state: { type: String, required: true, enum: ['running', 'done'] },
    actions: { type: Schema.Types.Mixed, required: true },
    outcomes: { type: Schema.Types.Mixed, default: [] },
    replyIds: { type: [String], default: [] },
    auditId: { type: Schema.Types.ObjectId, required: true },
    stopProcessing: { type: Boolean, required: true },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
  },
  { minimize: false },
);
ruleRunSchema.index({ ticketId: 1 });

export const RuleRun = model<RuleRunDoc>('RuleRun', ruleRunSchema, 'ruleRuns');

export const ruleRunId = (ruleId: Types.ObjectId, messageId: Types.ObjectId) => `${ruleId.toHexString()}:${messageId.toHexString()}`;
