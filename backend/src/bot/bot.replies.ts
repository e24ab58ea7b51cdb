import { ActionTypes, ActivityTypes, type Activity, type CardAction } from 'botbuilder-core';
import { MOVE_TO_PRIVATE_EVENT, type HandoffValue, type MoveToPrivateValue } from './bot.activity';

/** The activities the bot sends, built in one place so the adapter's contract is kept in one place. */

export interface QuickAction {
  title: string;
  value: string;
  /** postBack: a payload the bot acts on (HANDOFF_HUMAN); imBack: words the customer "says" by tapping. */
  kind: 'imBack' | 'postBack';
}

/** One message a turn: on social platforms every message is a post or a DM, so lines are joined, not sent apart. */
export function messageActivity(lines: readonly string[], actions: readonly QuickAction[], customerId: string | undefined): Partial<Activity> {
  const message: Partial<Activity> = { type: ActivityTypes.Message, text: lines.join('\n') };
  if (actions.length > 0) {
    const cardActions: CardAction[] = actions.map((action) => ({
      type: action.kind === 'postBack' ? ActionTypes.PostBack : ActionTypes.ImBack,
      title: action.title,
      value: action.value,
    }));
    message.suggestedActions = { actions: cardActions, to: customerId ? [customerId] : [] };
  }
  return message;
}

export const handoffActivity = (value: HandoffValue): Partial<Activity> => ({ type: ActivityTypes.Handoff, value });

export const moveToPrivateActivity = (value: MoveToPrivateValue): Partial<Activity> => ({ type: ActivityTypes.Event, name: MOVE_TO_PRIVATE_EVENT, value });
