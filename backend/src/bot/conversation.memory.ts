import type { BotLanguage, BotLearnt } from '@parley/common';

/** What the bot remembers of one conversation, between turns (botbuilder's ConversationState). */
export interface ConversationMemory {
  greeted: boolean;
  /** The language the bot answers in, kept for turns whose text tells none ("ABC123", a picture, an event). */
  language: BotLanguage | null;
  /** People have the conversation: the bot stays silent until a resume event. */
  handedOff: boolean;
  /** Misunderstandings in a row. */
  misunderstood: number;
  /** The question the bot asked and waits an answer to. */
  awaiting: 'reference' | 'email' | null;
  /** Each asked once: a customer who skipped is not asked again. */
  asked: { reference: boolean; email: boolean };
  /** The public thread was already moved to private once. */
  movedToPrivate: boolean;
  learnt: BotLearnt;
}

export const newConversationMemory = (): ConversationMemory => ({
  greeted: false,
  language: null,
  handedOff: false,
  misunderstood: 0,
  awaiting: null,
  asked: { reference: false, email: false },
  movedToPrivate: false,
  learnt: { intent: null, reference: null, email: null, language: null },
});

/** What the bot remembers of a customer across conversations (UserState). */
export interface CustomerProfile {
  /** The language they write in, for a first message that tells none ("ABC123"). */
  language: BotLanguage | null;
  /**
   * A public thread was moved to private: the private message Parley opened with already greeted
   * and asked for the reference, so the first private message from them answers it.
   */
  invitedToPrivate: boolean;
}

export const newCustomerProfile = (): CustomerProfile => ({ language: null, invitedToPrivate: false });
