import { HANDOFF_PAYLOAD, type BotLanguage, type BotLearnt, type HandoffReason, type Sentiment } from '@parley/common';
import { ActivityHandler, type ConversationState, type StatePropertyAccessor, type TurnContext, type UserState } from 'botbuilder-core';
import { analyzeText, type TextAnalysis } from '../triage/analysis';
import { hasLetters } from '../triage/text';
import type { AnswerMatch, AnswerMatcher } from './answers.matcher';
import { BotEvents } from './bot.activity';
import { handoffActivity, messageActivity, moveToPrivateActivity, type QuickAction } from './bot.replies';
import { textsFor, type Availability, type BotTexts, type HandoffOpener } from './bot.texts';
import { newConversationMemory, newCustomerProfile, type ConversationMemory, type CustomerProfile } from './conversation.memory';
import { findEmail, findReference, hasInvalidEmail, isSkip, mentionsOwnCase, withoutCustomerData } from './customer-data.validators';
import { handoffReasonOf, LONG_MESSAGE_CHARACTERS, misunderstoodTooOften } from './handoff.triggers';
import { openingPhrase } from './opening.phrase';
import { isGreetingOnly } from './small-talk.matcher';
import { determinedLanguage, firstNameOf, hasAttachments, hasPicture, readChannelData, replyLanguage, saidIn, type BotChannelView } from './turn.reader';

/** Parley raises it when an agent hands the conversation back: the bot listens again, silently. */
export const RESUME_EVENT = BotEvents.resume;

export interface ParleyBotDeps {
  conversationState: ConversationState;
  userState: UserState;
  answers: AnswerMatcher;
  now?: () => Date;
  /** Common questions offered after a misunderstanding (buttons, or words), per language: e.g. the knowledge base's most asked. */
  topics?: Partial<Record<BotLanguage, readonly string[]>>;
}

/** One customer message being answered: what was read, and what the bot will say. */
interface Turn {
  context: TurnContext;
  memory: ConversationMemory;
  profile: CustomerProfile;
  channel: BotChannelView;
  language: BotLanguage;
  texts: BotTexts;
  said: string;
  sentiment: Sentiment | null;
  firstName: string | null;
  firstTurn: boolean;
  lines: string[];
  actions: QuickAction[];
  /** The reply already tells how to reach a person in words. */
  namedPersonWord: boolean;
}

/**
 * Parley's chatbot: greets, tells when people will answer, answers common questions from the
 * knowledge base, gathers what an agent will need (privately only), and hands over to people.
 * Every message is checked for a hand-off before anything else, and a handed-off conversation
 * gets no word from the bot until Parley resumes it.
 */
export class ParleyBot extends ActivityHandler {
  private readonly memory: StatePropertyAccessor<ConversationMemory>;
  private readonly profile: StatePropertyAccessor<CustomerProfile>;
  private readonly now: () => Date;

  constructor(private readonly deps: ParleyBotDeps) {
    super();
    this.memory = deps.conversationState.createProperty<ConversationMemory>('parleyConversation');
    this.profile = deps.userState.createProperty<CustomerProfile>('parleyCustomer');
    this.now = deps.now ?? (() => new Date());
    this.onMessage(async (context, next) => {
      await this.onCustomerMessage(context);
      await next();
    });
    this.onEvent(async (context, next) => {
      await this.onParleyEvent(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.save(context);
  }

  /** What the bot has learnt in this conversation so far: read after a turn, for the agent who may take over. */
  async learntOf(context: TurnContext): Promise<BotLearnt> {
    return { ...(await this.memory.get(context, newConversationMemory())).learnt };
  }

  private async save(context: TurnContext): Promise<void> {
    await this.deps.conversationState.saveChanges(context);
    // UserState is keyed by the sender; an event Parley raises may have none.
    if (context.activity.from?.id) await this.deps.userState.saveChanges(context);
  }

  private async onCustomerMessage(context: TurnContext): Promise<void> {
    const turn = await this.beginTurn(context, true);
    if (turn.memory.handedOff) return;
    if (turn.firstTurn && turn.channel.visibility === 'private' && turn.profile.invitedToPrivate) this.continueFromPublic(turn);
    if (turn.firstTurn) turn.lines.push(turn.texts.greeting(turn.firstName, turn.channel.botName, turn.channel.brandName));
    const reason = handoffReasonOf({ ...turn.channel, said: turn.said, value: context.activity.value, sentiment: turn.sentiment });
    if (reason) return this.handOff(turn, reason, reason === 'not_understood' && turn.said.length >= LONG_MESSAGE_CHARACTERS ? 'long_message' : reason);
    // A picture or sticker (perhaps with an emoji) is acknowledged, never guessed at.
    const attached = hasAttachments(context.activity);
    if (!turn.said || (attached && !hasLetters(turn.said))) {
      turn.lines.push(attached ? turn.texts.attachmentOnly(hasPicture(context.activity)) : turn.texts.howCanIHelp);
      return this.reply(turn);
    }
    if (turn.channel.visibility === 'public') return this.conversePublic(turn);
    return this.conversePrivate(turn);
  }

  private async onParleyEvent(context: TurnContext): Promise<void> {
    const memory = await this.memory.get(context, newConversationMemory());
    if (context.activity.name === RESUME_EVENT) {
      Object.assign(memory, { handedOff: false, misunderstood: 0, awaiting: null });
      return;
    }
    if (context.activity.name !== BotEvents.businessHoursOpen || memory.handedOff) return;
    const turn = await this.beginTurn(context, false);
    turn.lines.push(turn.texts.nextInLine);
    await this.handOffSaying(turn, 'business_hours');
  }

  /** The private conversation a move-to-private opened: it has greeted and asked for the reference already. */
  private continueFromPublic(turn: Turn): void {
    turn.profile.invitedToPrivate = false;
    turn.firstTurn = false;
    Object.assign(turn.memory, { awaiting: 'reference', asked: { reference: true, email: false } });
  }

  /** Reads the turn; a customer message (not an event) is what the greeting answers. */
  private async beginTurn(context: TurnContext, customerMessage: boolean): Promise<Turn> {
    const activity = context.activity;
    const channel = readChannelData(activity.channelData);
    const memory = await this.memory.get(context, newConversationMemory());
    const profile = activity.from?.id ? await this.profile.get(context, newCustomerProfile()) : newCustomerProfile();
    const said = customerMessage ? saidIn(activity) : '';
    // Local and bounded; only when triage has not read the message (the try-the-bot panel, events).
    const analysis: TextAnalysis | null = said && (!determinedLanguage(channel.language) || !channel.sentiment) ? analyzeText(said) : null;
    const read = determinedLanguage(channel.language) ?? determinedLanguage(analysis?.language);
    const language = replyLanguage(read, memory.language, profile.language);
    memory.language = profile.language = language;
    if (read) memory.learnt.language = read;
    const firstTurn = customerMessage && !memory.greeted;
    if (customerMessage) memory.greeted = true;
    const texts = textsFor(language);
    const sentiment = channel.sentiment ?? analysis?.sentiment ?? null;
    return { context, memory, profile, channel, language, texts, said, sentiment, firstName: firstNameOf(activity.from?.name), firstTurn, lines: [], actions: [], namedPersonWord: false };
  }

  /** Public: answer what can be answered in public, and take anything about the customer's own case to private. */
  private async conversePublic(turn: Turn): Promise<void> {
    const { memory, said } = turn;
    // Personal data posted in public is kept for the agent but never repeated back in the thread.
    const reference = findReference(said, false);
    const email = findEmail(said);
    memory.learnt.reference = reference ?? memory.learnt.reference;
    memory.learnt.email = email ?? memory.learnt.email;
    const match = isGreetingOnly(said) ? null : await this.match(turn, withoutCustomerData(said));
    if (match) this.answered(turn, match);
    if (!memory.movedToPrivate && (reference !== null || email !== null || mentionsOwnCase(said))) return this.moveToPrivate(turn);
    if (!match && !isGreetingOnly(said)) return this.notUnderstood(turn);
    if (!match) turn.lines.push(turn.texts.howCanIHelp);
    return this.reply(turn);
  }

  /** Private: answer, and gather the booking or order reference and an email for the agent. */
  private async conversePrivate(turn: Turn): Promise<void> {
    const { memory, said } = turn;
    let gathered = this.gather(turn);
    if (!gathered && memory.awaiting && isSkip(said)) {
      turn.lines.push(turn.texts.skipped);
      memory.awaiting = null;
      gathered = true;
    }
    const rest = withoutCustomerData(said);
    const match = hasLetters(rest) && !isSkip(rest) && !isGreetingOnly(rest) ? await this.match(turn, rest) : null;
    if (match) this.answered(turn, match);
    if (!gathered && !match) {
      if (memory.awaiting) return this.askAgain(turn);
      if (!isGreetingOnly(said)) return this.notUnderstood(turn);
      turn.lines.push(turn.texts.howCanIHelp);
      return this.reply(turn);
    }
    memory.misunderstood = 0;
    this.askNext(turn, gathered);
    return this.reply(turn);
  }

  /** Takes a reference or email from the message, asked for or not; says it noted them. */
  private gather(turn: Turn): boolean {
    const { memory, said, texts } = turn;
    const reference = findReference(said, memory.awaiting === 'reference');
    const email = findEmail(said);
    if (reference) {
      memory.learnt.reference = reference;
      turn.lines.push(texts.referenceNoted(reference));
      if (memory.awaiting === 'reference') memory.awaiting = null;
    }
    if (email) {
      memory.learnt.email = email;
      turn.lines.push(texts.emailNoted);
      if (memory.awaiting === 'email') memory.awaiting = null;
    }
    return reference !== null || email !== null;
  }

  /** The next thing the agent will need, asked once each: the reference, then an email. */
  private askNext(turn: Turn, gathered: boolean): void {
    const { memory, texts } = turn;
    if (memory.awaiting) return;
    if (!memory.learnt.reference && !memory.asked.reference) {
      memory.awaiting = 'reference';
      memory.asked.reference = true;
      turn.lines.push(texts.askReference);
    } else if (!memory.learnt.email && !memory.asked.email) {
      memory.awaiting = 'email';
      memory.asked.email = true;
      turn.lines.push(texts.askEmail);
    } else if (gathered) {
      turn.lines.push(texts.allSet);
    }
  }

  private async match(turn: Turn, text: string): Promise<AnswerMatch | null> {
    return this.deps.answers.match(text, turn.language, turn.channel.visibility);
  }

  private answered(turn: Turn, match: AnswerMatch): void {
    turn.lines.push(match.text);
    turn.memory.learnt.intent = match.intent;
    turn.memory.misunderstood = 0;
  }

  private async notUnderstood(turn: Turn): Promise<void> {
    if (misunderstoodTooOften(++turn.memory.misunderstood)) return this.handOff(turn, 'not_understood', 'not_understood');
    const topics = this.deps.topics?.[turn.language] ?? [];
    const buttons = turn.channel.quickReplies;
    turn.lines.push(turn.texts.notUnderstood, turn.texts.rephrase(buttons));
    turn.namedPersonWord = !buttons;
    if (buttons) turn.actions.push(...topics.map((topic): QuickAction => ({ title: topic, value: topic, kind: 'imBack' })));
    else if (topics.length > 0) turn.lines.push(turn.texts.topics(topics));
    return this.reply(turn);
  }

  /** The answer to the bot's question did not fit: say what one looks like. It counts as a misunderstanding. */
  private async askAgain(turn: Turn): Promise<void> {
    if (misunderstoodTooOften(++turn.memory.misunderstood)) return this.handOff(turn, 'not_understood', 'not_understood');
    const invalidEmail = turn.memory.awaiting === 'email' || hasInvalidEmail(turn.said);
    turn.lines.push(invalidEmail ? turn.texts.emailHint : turn.texts.referenceHint);
    return this.reply(turn);
  }

  private async moveToPrivate(turn: Turn): Promise<void> {
    const { texts, channel } = turn;
    turn.memory.movedToPrivate = true;
    turn.profile.invitedToPrivate = true;
    const publicText = [...this.withAfterHours(turn), texts.movedToPrivate].join('\n');
    const privateText = [texts.greeting(turn.firstName, channel.botName, channel.brandName), texts.askReference].join('\n');
    await turn.context.sendActivity(moveToPrivateActivity({ publicText, privateText }));
  }

  /** Sends the turn's lines as one message, with the quick replies or the words to reach a person. */
  private async reply(turn: Turn): Promise<void> {
    const { texts, channel, memory } = turn;
    const lines = this.withAfterHours(turn);
    if (turn.firstTurn && !channel.quickReplies && !turn.namedPersonWord) lines.push(texts.typeForPerson);
    const actions: QuickAction[] = [];
    if (channel.quickReplies) {
      const skip = memory.awaiting === 'reference' ? texts.quick.skipReference : memory.awaiting === 'email' ? texts.quick.skipEmail : null;
      if (skip) actions.push({ ...skip, kind: 'imBack' });
      actions.push(...turn.actions, { title: texts.quick.person, value: HANDOFF_PAYLOAD, kind: 'postBack' });
    }
    await turn.context.sendActivity(messageActivity(lines, actions, turn.context.activity.from?.id));
  }

  /** On the first turn, when the team is away, the line after the greeting says when a person will answer. */
  private withAfterHours(turn: Turn): string[] {
    if (!turn.firstTurn || !turn.channel.afterHours) return [...turn.lines];
    const [greeting, ...rest] = turn.lines;
    return [...(greeting ? [greeting] : []), turn.texts.afterHours(this.availability(turn)), ...rest];
  }

  private availability(turn: Turn): Availability {
    const { channel, language } = turn;
    if (!channel.afterHours) return { kind: 'open' };
    const when = openingPhrase(channel.nextOpeningAt, this.now(), channel.timezone, language);
    return when ? { kind: 'at', when } : { kind: 'soon' };
  }

  private async handOff(turn: Turn, reason: HandoffReason, opener: HandoffOpener): Promise<void> {
    turn.lines.push(turn.texts.handoffOpener[opener], turn.texts.personTakesOver(this.availability(turn)));
    await this.handOffSaying(turn, reason);
  }

  /** The decision is saved before anything is sent: a turn that fails while sending never leaves the bot talking over people. */
  private async handOffSaying(turn: Turn, reason: HandoffReason): Promise<void> {
    Object.assign(turn.memory, { handedOff: true, awaiting: null });
    await this.save(turn.context);
    if (turn.lines.length > 0) await turn.context.sendActivity(messageActivity(turn.lines, [], undefined));
    await turn.context.sendActivity(handoffActivity({ reason, learnt: turn.memory.learnt }));
  }
}
