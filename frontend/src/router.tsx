import { Navigate, createBrowserRouter } from 'react-router';
import { AdminIndex, AdminLayout } from './admin/admin-layout';
import { BotAnswersPage } from './admin/bot-answers.page';
import { ChannelsPage } from './admin/channels.page';
import { GuardrailsPage } from './admin/guardrails.page';
import { TeamsPage } from './admin/teams.page';
import { ruleRoutes } from './admin/rules.routes';
import { vipListRoutes } from './admin/vip-lists.routes';
import { AppLayout } from './routes/app-layout';
import { InboxRoute } from './routes/inbox.route';
import { LoginRoute } from './routes/login.route';
import { NotFoundRoute } from './routes/not-found.route';
import { AlertsRoute } from './triage/alerts.route';
import { BotRoute } from './bot/bot.route';
import { TriageSettingsPage } from './triage/triage-settings.page';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginRoute /> },
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: <Navigate to="/inbox/mine" replace /> },
      { path: 'inbox', element: <Navigate to="/inbox/mine" replace /> },
      // One InboxRoute for the list and the open ticket, so choosing a ticket keeps the list (and its scroll) mounted.
      { path: 'inbox/:view', element: <InboxRoute />, children: [{ path: 'tickets/:ticketId', element: null }] },
      { path: 'alerts', element: <AlertsRoute /> },
      { path: 'bot', element: <BotRoute /> },
      {
        path: 'admin',
        element: <AdminLayout />,
        // One route per section of admin/sections.ts.
        children: [
          { index: true, element: <AdminIndex /> },
          { path: 'channels', element: <ChannelsPage /> },
          { path: 'guardrails', element: <GuardrailsPage /> },
          { path: 'teams', element: <TeamsPage /> },
          { path: 'rules', children: ruleRoutes },
          { path: 'triage', element: <TriageSettingsPage /> },
          { path: 'vip-lists', children: vipListRoutes },
          { path: 'bot-answers', element: <BotAnswersPage /> },
        ],
      },
    ],
  },
  { path: '*', element: <NotFoundRoute /> },
]);
