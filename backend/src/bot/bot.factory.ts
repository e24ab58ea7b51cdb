import { ConversationState, UserState } from 'botbuilder-core';
import type { Locks } from '../lib/locks';
import type { AnswerMatcher } from './answers.matcher';
import { MongoBotStorage } from './bot-state.storage';
import { ParleyBot } from './parley.bot';

/** The Bot Framework bot with its conversation and user state in MongoDB. */
export function createParleyBot(locks: Locks, answers: AnswerMatcher, now?: () => Date): ParleyBot {
  const storage = new MongoBotStorage(locks);
  return new ParleyBot({ conversationState: new ConversationState(storage), userState: new UserState(storage), answers, ...(now ? { now } : {}) });
}
