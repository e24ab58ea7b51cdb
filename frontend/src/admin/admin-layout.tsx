import { NavLink, Navigate, Outlet } from 'react-router';
import { useMe } from '../api/auth.queries';
import { strings } from '../i18n/strings';
import { adminSections } from './sections';

/** The admin area: its sections on the left, the open one on the right. Only for those who may see a section. */
export function AdminLayout() {
  const me = useMe();
  const role = me.data?.user.role;
  const sections = adminSections.filter((section) => role && section.roles.includes(role));
  if (sections.length === 0) return <Navigate to="/inbox/mine" replace />;
  return (
    <div className="admin">
      <nav className="admin-nav" aria-label={strings.admin.sections}>
        <h1 className="admin-title">{strings.admin.title}</h1>
        <ul>
          {sections.map((section) => (
            <li key={section.path}>
              <NavLink to={`/admin/${section.path}`}>{section.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <section className="admin-page">
        <Outlet />
      </section>
    </div>
  );
}

/** /admin itself: the first section this user may see. */
export function AdminIndex() {
  const me = useMe();
  const role = me.data?.user.role;
  const first = adminSections.find((section) => role && section.roles.includes(role));
  return <Navigate to={first ? `/admin/${first.path}` : '/inbox/mine'} replace />;
}
