import { randomBytes } from 'node:crypto';
import { ActivityTypes, BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder-core';
import {
  DEFAULT_BOT_HANDOFF_REACH,
  DEFAULT_BOT_NAME,
  type botTryInputSchema,
  isWithinBusinessHours,
  nextOpeningAfter,
  type BotLearnt,
  type BotTryResponse,
} from '@parley/common';
import type { z } from 'zod';
import { analyzeText } from '../triage/analysis';
import { BotState } from './bot-state.model';
import { MOVE_TO_PRIVATE_EVENT, type HandoffValue, type MoveToPrivateValue, type ParleyChannelData } from './bot.activity';
import { businessHoursById } from '../sla/sla.service';
import { handoffSummary } from './handoff.service';
import { quickRepliesOf } from './parley.adapter';
import type { ParleyBot } from './parley.bot';

type Reply = BotTryResponse['replies'][number];

/** The bot without a platform: what it would send is collected for the supervisor's screen. */
class TranscriptAdapter extends BotAdapter {
  readonly replies: Reply[] = [];
  handoff: HandoffValue | null = null;

  async run(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    for (const activity of activities) {
      if (activity.type === ActivityTypes.Message && activity.text) this.replies.push({ text: activity.text, quickReplies: quickRepliesOf(activity) });
      if (activity.type === ActivityTypes.Handoff) this.handoff = activity.value as HandoffValue;
      if (activity.type === ActivityTypes.Event && activity.name === MOVE_TO_PRIVATE_EVENT) {
        const move = activity.value as MoveToPrivateValue;
        this.replies.push({ text: `${move.publicText}\n\n→ (in private) ${move.privateText}`, quickReplies: [] });
      }
    }
    return Promise.resolve(activities.map(() => ({ id: randomBytes(6).toString('hex') })));
  }

  updateActivity(): Promise<void> {
    return Promise.reject(new Error('not supported'));
  }

  deleteActivity(): Promise<void> {
    return Promise.reject(new Error('not supported'));
  }

  continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return this.run(TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true), logic);
  }
}

/** Where a try session keeps its hand-off between turns (the bot's own state says only that it happened). */
const handoffKey = (conversationId: string) => `try/handoffs/${conversationId}`;

/**
 * One turn of a supervisor's conversation with the bot: the same bot, state and knowledge base
 * as customers get, with the triage of the words typed, the real (or a pretended) clock, and no
 * platform: nothing is stored as a ticket, nothing is sent anywhere.
 */
export async function tryBot(bot: ParleyBot, input: z.infer<typeof botTryInputSchema>, brandName: string): Promise<BotTryResponse> {
  const conversationId = input.conversationId ?? randomBytes(9).toString('base64url');
  const analysis = analyzeText(input.text);
  const hours = await businessHoursById(null);
  const now = new Date();
  const afterHours = input.afterHours ?? (hours ? !isWithinBusinessHours(now, hours) : false);
  const opening = afterHours ? (nextOpeningAfter(now, hours) ?? null) : null;
  const channelData: ParleyChannelData = {
    visibility: input.visibility,
    ticketId: `try-${conversationId}`,
    platform: {},
    language: input.text.trim() ? analysis.language : null,
    sentiment: input.text.trim() ? analysis.sentiment : null,
    followers: input.followers ?? 0,
    influenceTier: 'standard',
    vip: false,
    handoffReach: DEFAULT_BOT_HANDOFF_REACH,
    afterHours,
    // Pretending the team is away with no schedule: it is back in an hour.
    nextOpeningAt: afterHours ? (opening && opening > now ? opening : new Date(now.getTime() + 60 * 60_000)).toISOString() : null,
    timezone: hours?.timezone ?? 'UTC',
    quickReplies: true,
    botName: DEFAULT_BOT_NAME,
    brandName,
  };
  const stored = await BotState.findById(handoffKey(conversationId)).lean();
  const earlier = stored ? (JSON.parse(stored.item) as { at: string; reason: HandoffValue['reason']; summary: string; learnt: BotLearnt }) : null;
  const adapter = new TranscriptAdapter();
  let learnt: BotLearnt = { intent: null, reference: null, email: null, language: null };
  await adapter.run(
    {
      type: ActivityTypes.Message,
      id: randomBytes(8).toString('hex'),
      channelId: 'try',
      serviceUrl: 'parley://try',
      conversation: { id: `try-${conversationId}`, isGroup: input.visibility === 'public', conversationType: input.visibility, name: 'Try the bot' },
      from: { id: `try-${conversationId}`, name: 'Sam Tester', role: 'user' },
      recipient: { id: 'parley-bot', name: DEFAULT_BOT_NAME, role: 'bot' },
      text: input.text,
      ...(input.value ? { value: input.value } : {}),
      timestamp: now,
      channelData,
    },
    async (context) => {
      await bot.run(context);
      learnt = await bot.learntOf(context);
    },
  );
  let handoff = earlier;
  if (!handoff && adapter.handoff) {
    handoff = { at: new Date().toISOString(), reason: adapter.handoff.reason, summary: handoffSummary(adapter.handoff.reason, adapter.handoff.learnt), learnt: adapter.handoff.learnt };
    await BotState.create({ _id: handoffKey(conversationId), eTag: '1', item: JSON.stringify(handoff), updatedAt: new Date() }).catch(() => undefined);
  }
  return { conversationId, replies: adapter.replies, handoff, learnt };
}
