import type { Role } from '@parley/common';

/**
 * The sections of the admin area, in the order its navigation lists them. A new screen adds
 * its line here and its route in admin/admin.routes.tsx.
 */
export interface AdminSection {
  /** Path under /admin. */
  path: string;
  label: string;
  /** Who sees it (admins always; supervisors where they may read). */
  roles: readonly Role[];
}

export const adminSections: readonly AdminSection[] = [
  { path: 'channels', label: 'Channels', roles: ['admin', 'supervisor'] },
  { path: 'guardrails', label: 'Guardrails', roles: ['admin'] },
  { path: 'teams', label: 'Teams', roles: ['admin', 'supervisor'] },
  { path: 'rules', label: 'Rules', roles: ['admin', 'supervisor'] },
  { path: 'triage', label: 'Triage', roles: ['admin', 'supervisor'] },
  { path: 'vip-lists', label: 'VIP lists', roles: ['admin', 'supervisor'] },
  { path: 'bot-answers', label: 'Bot answers', roles: ['admin', 'supervisor'] },
];

export const canSeeAdmin = (role: Role) => adminSections.some((section) => section.roles.includes(role));
