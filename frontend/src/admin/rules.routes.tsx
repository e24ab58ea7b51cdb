import type { RouteObject } from 'react-router';
import { RuleEditorPage } from './rule-editor.page';
import { RulesPage } from './rules.page';

/** /admin/rules: the list, a new rule, one rule. */
export const ruleRoutes: RouteObject[] = [
  { index: true, element: <RulesPage /> },
  { path: 'new', element: <RuleEditorPage /> },
  { path: ':ruleId', element: <RuleEditorPage /> },
];
