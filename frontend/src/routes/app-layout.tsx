import { NavLink, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { canSeeAdmin } from '../admin/sections';
import { useLogout, useMe } from '../api/auth.queries';
import { ToastProvider } from '../components/toast';
import { strings } from '../i18n/strings';
import { RealtimeProvider } from '../realtime/socket';
import { StormBanner } from '../triage/storm-banner';
import { triageStrings } from '../triage/triage.strings';
import { botStrings } from '../bot/bot.strings';

/** The signed-in frame of the app: a header, and the page below it. Sends strangers to /login. */
export function AppLayout() {
  const me = useMe();
  const logout = useLogout();
  const location = useLocation();
  const navigate = useNavigate();

  if (me.isPending) {
    return (
      <p className="page-status" role="status">
        {strings.shell.loading}
      </p>
    );
  }
  if (me.isError) {
    return (
      <p className="page-status" role="alert">
        {strings.login.unexpected}
      </p>
    );
  }
  if (!me.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }

  const { user } = me.data;
  const supervises = user.role === 'supervisor' || user.role === 'admin';
  return (
    <ToastProvider>
    <RealtimeProvider>
    <div className="shell">
      <header className="shell-header">
        <span className="brand">{strings.appName}</span>
        <nav className="shell-nav" aria-label={strings.nav.main}>
          <NavLink to="/inbox/mine" className={({ isActive }) => (isActive || location.pathname.startsWith('/inbox') ? 'active' : undefined)}>
            {strings.nav.inbox}
          </NavLink>
          {supervises && <NavLink to="/alerts">{triageStrings.nav}</NavLink>}
          {supervises && <NavLink to="/bot">{botStrings.nav}</NavLink>}
          {canSeeAdmin(user.role) && <NavLink to="/admin">{strings.nav.admin}</NavLink>}
        </nav>
        <div className="shell-user">
          <span>
            <span className="visually-hidden">{strings.shell.signedInAs} </span>
            <strong>{user.name}</strong> <span className="role-badge">{strings.roles[user.role]}</span>
          </span>
          <button type="button" className="button secondary" disabled={logout.isPending} onClick={() => logout.mutate(undefined, { onSettled: () => void navigate('/login') })}>
            {strings.shell.signOut}
          </button>
        </div>
      </header>
      <StormBanner enabled={supervises} />
      <main className="shell-main" id="main">
        <Outlet />
      </main>
    </div>
    </RealtimeProvider>
    </ToastProvider>
  );
}
