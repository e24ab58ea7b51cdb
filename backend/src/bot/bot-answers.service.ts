import { botAnswerInputSchema, botAnswerMatchInputSchema, type BotAnswerMatchResponse } from '@parley/common';
import type { z } from 'zod';
import { withConflict } from '../db/errors';
import { NotFound } from '../http/errors';
import type { Logger } from '../logger';
import type { UserDoc } from '../users/user.model';
import { BotAnswer, type BotAnswerDoc } from './bot-answer.model';
import { createAnswerMatcher, forgetBotAnswers, MATCH_THRESHOLD } from './answers.matcher';

type AnswerFields = z.output<typeof botAnswerInputSchema>;
type MatchQuestion = z.output<typeof botAnswerMatchInputSchema>;

const INTENT_TAKEN = 'An entry with this intent exists';
const isObjectId = (id: string) => /^[a-f0-9]{24}$/.test(id);

/** The knowledge base, by intent (it holds tens of entries, not thousands). */
export function listBotAnswers(): Promise<BotAnswerDoc[]> {
  return BotAnswer.find().sort({ intent: 1 }).limit(2_000).lean<BotAnswerDoc[]>();
}

async function findBotAnswer(id: string): Promise<BotAnswerDoc> {
  const found = isObjectId(id) ? await BotAnswer.findById(id).lean<BotAnswerDoc>() : null;
  if (!found) throw new NotFound('Bot answer');
  return found;
}

export async function createBotAnswer(input: AnswerFields, by: UserDoc, log: Logger): Promise<BotAnswerDoc> {
  const created = await withConflict(() => BotAnswer.create(input), INTENT_TAKEN, 'intent');
  forgetBotAnswers();
  log.info({ answerId: created._id.toHexString(), intent: input.intent, by: by._id.toHexString() }, 'bot answer created');
  return created.toObject<BotAnswerDoc>();
}

/** Replaces the entry as a whole with the input (a PUT): what the input leaves out takes its default. */
export async function replaceBotAnswer(id: string, input: AnswerFields, by: UserDoc, log: Logger): Promise<BotAnswerDoc> {
  const existing = await findBotAnswer(id);
  // FerretDB reports a duplicate caused by an update as code 1; withConflict maps both.
  await withConflict(() => BotAnswer.updateOne({ _id: existing._id }, { $set: input }), INTENT_TAKEN, 'intent');
  forgetBotAnswers();
  log.info({ answerId: id, intent: input.intent, by: by._id.toHexString() }, 'bot answer replaced');
  return findBotAnswer(id);
}

export async function deleteBotAnswer(id: string, by: UserDoc, log: Logger): Promise<void> {
  const existing = await findBotAnswer(id);
  await BotAnswer.deleteOne({ _id: existing._id });
  forgetBotAnswers();
  log.info({ answerId: id, intent: existing.intent, by: by._id.toHexString() }, 'bot answer deleted');
}

const matcher = createAnswerMatcher();

/** What the bot would answer to these words, with the closest entry for an admin to see how near it came. */
export async function tryBotAnswer(question: MatchQuestion): Promise<BotAnswerMatchResponse> {
  const language = question.language ?? null;
  const [match, closest] = await Promise.all([matcher.match(question.text, language, question.visibility), matcher.closest(question.text, language, question.visibility)]);
  return { match, closest, threshold: MATCH_THRESHOLD };
}
