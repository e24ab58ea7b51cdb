import { useState } from 'react';
import { Link } from 'react-router';
import type { Rule } from '@parley/common';
import { useMe } from '../api/auth.queries';
import { ApiError } from '../api/client';
import { useBusinessHoursList, useRuleOptions, useRules, useUpdateRule } from '../api/rules.queries';
import { useChannels } from '../api/tickets.queries';
import { useToast } from '../components/toast';
import { strings } from '../i18n/strings';
import { describeAction, describeConditions, type RuleNames } from './rule-summary';
import { ruleStrings as t } from './rules.strings';
import './rules.css';

/** The rules in the order they run: admins switch them on and off and move them; everyone here opens them. */
export function RulesPage() {
  const me = useMe();
  const rules = useRules();
  const update = useUpdateRule();
  const toast = useToast();
  const channels = useChannels();
  const schedules = useBusinessHoursList();
  const options = useRuleOptions();
  const names: RuleNames = {
    channel: (id) => channels.data?.find((channel) => channel.id === id)?.name,
    schedule: (id) => schedules.data?.find((schedule) => schedule.id === id)?.name,
    team: (id) => options.data?.teams.find((team) => team.id === id)?.name,
    agent: (id) => options.data?.agents.find((agent) => agent.id === id)?.name,
  };
  const canEdit = me.data?.user.role === 'admin';
  const failed = (error: unknown) => toast(t.changeFailed(error instanceof ApiError ? error.message : String(error)));
  const change = (rule: Rule, patch: { active?: boolean; order?: number }) => update.mutate({ id: rule.id, patch }, { onError: failed });
  // A switch flips the moment it is clicked; the server's answer settles it (a refusal flips it back).
  const [switching, setSwitching] = useState<Record<string, boolean>>({});
  const toggle = (rule: Rule, active: boolean) => {
    setSwitching((current) => ({ ...current, [rule.id]: active }));
    update.mutate(
      { id: rule.id, patch: { active } },
      {
        onError: failed,
        onSettled: () =>
          setSwitching((current) => {
            const { [rule.id]: _settled, ...rest } = current;
            return rest;
          }),
      },
    );
  };

  return (
    <>
      <div className="rules-heading">
        <h2>{t.title}</h2>
        {canEdit && (
          <Link className="button primary-inline" to="/admin/rules/new">
            {t.newRule}
          </Link>
        )}
      </div>
      <p className="muted">{t.intro}</p>
      {!canEdit && <p className="muted">{t.readOnly}</p>}
      {rules.isPending && <p role="status">{strings.shell.loading}</p>}
      {rules.isError && <p role="alert">{strings.admin.loadFailed}</p>}
      {rules.data && rules.data.length === 0 && <p>{t.none}</p>}
      {rules.data && rules.data.length > 0 && (
        <table className="admin-table rules-table">
          <thead>
            <tr>
              <th scope="col">{t.columns.order}</th>
              <th scope="col">{t.columns.name}</th>
              <th scope="col">{t.columns.when}</th>
              <th scope="col">{t.columns.does}</th>
              <th scope="col">{t.columns.active}</th>
              {canEdit && <th scope="col">{t.columns.move}</th>}
            </tr>
          </thead>
          <tbody>
            {rules.data.map((rule, index, all) => (
              <tr key={rule.id} className={rule.active ? undefined : 'rule-inactive'} data-rule-id={rule.id}>
                <td className="rule-order">{rule.order}</td>
                <td>
                  <Link to={`/admin/rules/${rule.id}`} dir="auto">
                    {rule.name}
                  </Link>
                  <div className="muted rule-when" dir="auto">
                    {describeConditions(rule, names)}
                  </div>
                </td>
                <td>{rule.triggers.map((trigger) => t.triggers[trigger]).join(', ')}</td>
                <td>
                  <ul className="rule-does">
                    {rule.actions.map((action, at) => (
                      <li key={at} dir="auto">
                        {describeAction(action, names)}
                      </li>
                    ))}
                  </ul>
                  {rule.stopProcessing && <span className="badge rule-stops"> {t.stops}</span>}
                </td>
                <td>
                  <input type="checkbox" className="rule-switch" aria-label={t.activeToggle(rule.name)} checked={switching[rule.id] ?? rule.active} disabled={!canEdit} onChange={(event) => toggle(rule, event.target.checked)} />
                </td>
                {canEdit && (
                  <td className="rule-move">
                    <button type="button" className="button secondary small" aria-label={t.moveUp(rule.name)} disabled={index === 0} onClick={() => change(rule, { order: rule.order - 1 })}>
                      ↑
                    </button>
                    <button type="button" className="button secondary small" aria-label={t.moveDown(rule.name)} disabled={index === all.length - 1} onClick={() => change(rule, { order: rule.order + 1 })}>
                      ↓
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
