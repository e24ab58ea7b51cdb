import type { Role } from '@parley/common';
import { Link, Navigate } from 'react-router';
import { useMe } from '../api/auth.queries';
import { BotStatsPanel } from './bot-stats';
import { botStrings } from './bot.strings';
import { TryBotPanel } from './try-bot';

/** Who sees the Bot page (and its link in the main navigation). */
export const canSeeBot = (role: Role | undefined) => role === 'supervisor' || role === 'admin';

/** /bot, for supervisors and admins: how the bot did, and a place to talk to it. */
export function BotRoute() {
  const me = useMe();
  if (!canSeeBot(me.data?.user.role)) return <Navigate to="/inbox/mine" replace />;
  return (
    <div className="bot-page">
      <div className="bot-page-head">
        <h1>{botStrings.page.title}</h1>
        <p className="muted" style={{ margin: 0 }}>
          {botStrings.page.intro}
        </p>
        <Link to="/admin/bot-answers">{botStrings.page.editAnswers}</Link>
      </div>
      <BotStatsPanel />
      <TryBotPanel />
    </div>
  );
}
