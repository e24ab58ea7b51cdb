import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ruleTriggerSchema, type Rule } from '@parley/common';
import { useMe } from '../api/auth.queries';
import { useCannedResponses } from '../api/canned.queries';
import { ApiError } from '../api/client';
import { useBusinessHoursList, useCreateRule, useDeleteRule, useRuleOptions, useRules, useUpdateRule } from '../api/rules.queries';
import { useChannels } from '../api/tickets.queries';
import { strings } from '../i18n/strings';
import { ActionsEditor } from './rule-actions';
import { ConditionGroupEditor, type ConditionChoices } from './rule-conditions';
import { draftOf, emptyDraft, errorAt, inputOf, type RuleDraft } from './rule-draft';
import { DryRunPanel } from './rule-dry-run';
import { FieldError, type ServerError } from './rule-fields';
import { ruleStrings as t } from './rules.strings';
import './rules.css';

/** /admin/rules/new and /admin/rules/:ruleId: the rule's editor, its dry run beside it. */
export function RuleEditorPage() {
  const { ruleId } = useParams();
  const rules = useRules();
  if (ruleId === undefined || ruleId === 'new') return <RuleEditor key="new" rule={undefined} />;
  if (rules.isPending) return <p role="status">{strings.shell.loading}</p>;
  if (rules.isError) return <p role="alert">{strings.admin.loadFailed}</p>;
  const rule = rules.data.find((candidate) => candidate.id === ruleId);
  if (!rule) {
    return (
      <>
        <p role="alert">{t.editor.unknownRule}</p>
        <Link to="/admin/rules">{t.editor.back}</Link>
      </>
    );
  }
  return <RuleEditor key={rule.id} rule={rule} />;
}

const messageOf = (error: unknown) => (error instanceof ApiError ? error.message : String(error));

function RuleEditor({ rule }: { rule: Rule | undefined }) {
  const me = useMe();
  const navigate = useNavigate();
  const canEdit = me.data?.user.role === 'admin';
  const channels = useChannels();
  const schedules = useBusinessHoursList();
  const options = useRuleOptions();
  const canned = useCannedResponses();
  const create = useCreateRule();
  const update = useUpdateRule();
  const remove = useDeleteRule();

  const [saved, setSaved] = useState<RuleDraft>(() => (rule ? draftOf(rule) : emptyDraft()));
  const [draft, setDraft] = useState<RuleDraft>(saved);
  const [error, setError] = useState<ServerError>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const unsaved = JSON.stringify(inputOf(draft)) !== JSON.stringify(inputOf(saved));
  const saving = create.isPending || update.isPending;
  const disabled = !canEdit;

  const conditionChoices: ConditionChoices = { channels: channels.data ?? [], schedules: schedules.data ?? [] };
  const change = (patch: Partial<RuleDraft>) => {
    setDraft((old) => ({ ...old, ...patch }));
    setNotice(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const failed = (failure: unknown) => setError({ message: messageOf(failure), ...(failure instanceof ApiError && failure.field ? { field: failure.field } : {}) });
    if (rule) {
      update.mutate(
        { id: rule.id, patch: inputOf(draft) },
        {
          onSuccess: (updated) => {
            const next = draftOf(updated);
            setSaved(next);
            setDraft(next);
            setNotice(t.editor.saved);
          },
          onError: failed,
        },
      );
    } else {
      create.mutate(inputOf(draft), { onSuccess: (created) => void navigate(`/admin/rules/${created.id}`, { replace: true }), onError: failed });
    }
  };

  const toggleTrigger = (trigger: (typeof ruleTriggerSchema.options)[number], on: boolean) =>
    change({ triggers: on ? [...draft.triggers.filter((item) => item !== trigger), trigger] : draft.triggers.filter((item) => item !== trigger) });

  return (
    <div className="rule-editor">
      <p>
        <Link to="/admin/rules">← {t.editor.back}</Link>
      </p>
      <h2 dir="auto">{rule ? t.editor.editTitle(rule.name) : t.editor.newTitle}</h2>
      <div className="rule-editor-columns">
        <form className="rule-form" onSubmit={submit} noValidate aria-label={rule ? t.editor.editTitle(rule.name) : t.editor.newTitle}>
          {error && (
            <p className="form-error" role="alert">
              {t.editor.notSaved(error.field ? t.editor.seeBelow : error.message)}
            </p>
          )}
          <fieldset className="rule-fieldset" disabled={disabled}>
            <div className="field">
              <label htmlFor="rule-name">{t.editor.name}</label>
              <input id="rule-name" type="text" value={draft.name} onChange={(event) => change({ name: event.target.value })} aria-invalid={errorAt(error, 'name') !== undefined || undefined} aria-describedby="rule-name-error" dir="auto" />
              <FieldError id="rule-name-error" error={error} path="name" />
            </div>
            <label className="filter-check">
              <input type="checkbox" checked={draft.active} onChange={(event) => change({ active: event.target.checked })} /> {t.editor.active}
            </label>
            <fieldset className={`rule-choices${errorAt(error, 'triggers') ? ' invalid' : ''}`} aria-describedby="rule-triggers-error">
              <legend>{t.editor.when}</legend>
              {ruleTriggerSchema.options.map((trigger) => (
                <label key={trigger} className="rule-trigger">
                  <input type="checkbox" checked={draft.triggers.includes(trigger)} onChange={(event) => toggleTrigger(trigger, event.target.checked)} /> {t.triggers[trigger]}
                  <span className="muted"> — {t.triggerHints[trigger]}</span>
                </label>
              ))}
            </fieldset>
            <FieldError id="rule-triggers-error" error={error} path="triggers" />
          </fieldset>

          <h3>{t.editor.conditions}</h3>
          {(['all', 'any'] as const).map((group) => (
            <ConditionGroupEditor
              key={group}
              group={group}
              conditions={draft.conditions[group]}
              onChange={(conditions) => change({ conditions: { ...draft.conditions, [group]: conditions } })}
              choices={conditionChoices}
              error={error}
              disabled={disabled}
            />
          ))}
          {error?.field?.startsWith('conditions.') && !/^conditions\.(all|any)(\.|$)/.test(error.field) && <FieldError id="conditions-error" error={error} path="conditions" />}

          <h3>{t.editor.actions}</h3>
          <ActionsEditor actions={draft.actions} onChange={(actions) => change({ actions })} choices={{ options: options.data, canned: canned.data ?? [] }} error={error} disabled={disabled} />

          <fieldset className="rule-fieldset" disabled={disabled}>
            <label className="filter-check rule-stop">
              <input type="checkbox" checked={draft.stopProcessing} onChange={(event) => change({ stopProcessing: event.target.checked })} /> {t.editor.stopProcessing}
            </label>
          </fieldset>

          {canEdit && (
            <div className="rule-form-actions">
              <button type="submit" className="button primary-inline" disabled={saving}>
                {saving ? t.editor.saving : t.editor.save}
              </button>
              {notice && (
                <span role="status" className="rule-saved">
                  {notice}
                </span>
              )}
              {rule && !confirmingDelete && (
                <button type="button" className="button secondary rule-delete" onClick={() => setConfirmingDelete(true)}>
                  {t.editor.delete}
                </button>
              )}
              {rule && confirmingDelete && (
                <span className="rule-delete-confirm" role="alertdialog" aria-label={t.editor.delete}>
                  {t.editor.deleteConfirm(rule.name)}{' '}
                  <button type="button" className="button danger small" onClick={() => remove.mutate(rule.id, { onSuccess: () => void navigate('/admin/rules'), onError: (failure) => setError({ message: messageOf(failure) }) })}>
                    {t.editor.delete}
                  </button>{' '}
                  <button type="button" className="button secondary small" onClick={() => setConfirmingDelete(false)}>
                    {strings.savedViews.cancel}
                  </button>
                </span>
              )}
            </div>
          )}
        </form>
        <DryRunPanel ruleId={rule?.id} unsaved={unsaved} />
      </div>
    </div>
  );
}
