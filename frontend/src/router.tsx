import { createBrowserRouter } from 'react-router';
import { AppLayout } from './routes/app-layout';
import { InboxRoute } from './routes/inbox.route';
import { LoginRoute } from './routes/login.route';
import { NotFoundRoute } from './routes/not-found.route';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginRoute /> },
  {
    path: '/',
    element: <AppLayout />,
    children: [{ index: true, element: <InboxRoute /> }],
  },
  { path: '*', element: <NotFoundRoute /> },
]);
