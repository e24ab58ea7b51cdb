import type { RouteObject } from 'react-router';
import { VipListPage } from './vip-list.page';
import { VipListsPage } from './vip-lists.page';

/** /admin/vip-lists: the lists; one list's entries and import. */
export const vipListRoutes: RouteObject[] = [
  { index: true, element: <VipListsPage /> },
  { path: ':listId', element: <VipListPage /> },
];
