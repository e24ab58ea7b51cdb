import { useId } from 'react';
import { prioritySchema, ruleActionTypes, type CannedResponse, type RuleAction, type RuleActionType, type RuleOptions } from '@parley/common';
import { errorAt, keyed, moved, newAction, type Keyed } from './rule-draft';
import { FieldError, LabelledInput, LabelledSelect, type ServerError } from './rule-fields';
import { ruleStrings as t } from './rules.strings';

export interface ActionChoices {
  options: RuleOptions | undefined;
  canned: readonly CannedResponse[];
}

interface ParamsProps {
  action: RuleAction;
  path: string;
  onChange: (action: RuleAction) => void;
  choices: ActionChoices;
  error: ServerError;
  errorId: string;
  disabled: boolean;
}

const priorityOptions = prioritySchema.options.map((priority) => ({ value: priority, label: t.priorities[priority] }));

/** What an action needs: a team, an agent, a priority, a tag, or the texts it sends. */
function ActionParams({ action, path, onChange, choices, error, errorId, disabled }: ParamsProps) {
  const invalid = (key: string) => errorAt(error, `${path}.${key}`) !== undefined;
  const shared = { describedBy: errorId, disabled };
  switch (action.type) {
    case 'assign_team':
      return (
        <LabelledSelect
          label={t.editor.team}
          value={action.teamId}
          placeholder={t.editor.choose}
          options={(choices.options?.teams ?? []).map((team) => ({ value: team.id, label: team.name }))}
          onChange={(teamId) => onChange({ ...action, teamId })}
          invalid={invalid('teamId')}
          {...shared}
        />
      );
    case 'assign_agent':
      return (
        <LabelledSelect
          label={t.editor.agent}
          value={action.agentId}
          placeholder={t.editor.choose}
          options={(choices.options?.agents ?? []).map((agent) => ({ value: agent.id, label: agent.name }))}
          onChange={(agentId) => onChange({ ...action, agentId })}
          invalid={invalid('agentId')}
          {...shared}
        />
      );
    case 'set_priority':
      return <LabelledSelect label={t.editor.priority} value={action.priority} options={priorityOptions} onChange={(priority) => onChange({ ...action, priority: prioritySchema.parse(priority) })} {...shared} />;
    case 'add_tag':
      return <LabelledInput label={t.editor.tag} value={action.tag} onChange={(tag) => onChange({ ...action, tag })} invalid={invalid('tag')} {...shared} />;
    case 'public_reply':
      return (
        <>
          {choices.canned.length > 0 && !disabled && (
            <LabelledSelect
              label={t.editor.cannedInsert}
              value=""
              placeholder={t.editor.choose}
              options={choices.canned.map((canned) => ({ value: canned.id, label: `/${canned.shortcut} — ${canned.title}` }))}
              onChange={(id) => {
                const canned = choices.canned.find((item) => item.id === id);
                if (canned) onChange({ ...action, text: canned.text });
              }}
            />
          )}
          <LabelledInput label={t.editor.replyText} multiline value={action.text} onChange={(text) => onChange({ ...action, text })} invalid={invalid('text')} {...shared} />
        </>
      );
    case 'move_to_private':
      return (
        <>
          <LabelledInput label={t.editor.publicText} multiline value={action.publicText} onChange={(publicText) => onChange({ ...action, publicText })} invalid={invalid('publicText')} {...shared} />
          <LabelledInput label={t.editor.privateText} multiline value={action.privateText} onChange={(privateText) => onChange({ ...action, privateText })} invalid={invalid('privateText')} {...shared} />
        </>
      );
  }
}

interface ListProps {
  actions: Keyed<RuleAction>[];
  onChange: (actions: Keyed<RuleAction>[]) => void;
  choices: ActionChoices;
  error: ServerError;
  disabled: boolean;
}

function ActionRow({ row, index, count, list }: { row: Keyed<RuleAction>; index: number; count: number; list: ListProps }) {
  const errorId = useId();
  const path = `actions.${index}`;
  const { actions, onChange, choices, error, disabled } = list;
  const label = `${t.editor.actionType} ${index + 1}`;
  return (
    <li className="rule-row" role="group" aria-label={label} data-path={path}>
      <div className="rule-row-inputs">
        <LabelledSelect
          label={t.editor.actionType}
          value={row.value.type}
          options={ruleActionTypes.map((type) => ({ value: type, label: t.actionTypes[type] }))}
          onChange={(type) => onChange(actions.map((item) => (item.key === row.key ? { key: row.key, value: newAction(type as RuleActionType) } : item)))}
          invalid={errorAt(error, `${path}.type`) !== undefined}
          describedBy={errorId}
          disabled={disabled}
        />
        <ActionParams
          action={row.value}
          path={path}
          choices={choices}
          error={error}
          errorId={errorId}
          disabled={disabled}
          onChange={(next) => onChange(actions.map((item) => (item.key === row.key ? { key: row.key, value: next } : item)))}
        />
        {!disabled && (
          <span className="rule-row-buttons">
            <button type="button" className="button secondary small" aria-label={`${t.editor.moveActionUp}: ${label}`} disabled={index === 0} onClick={() => onChange(moved(actions, index, -1))}>
              ↑
            </button>
            <button type="button" className="button secondary small" aria-label={`${t.editor.moveActionDown}: ${label}`} disabled={index === count - 1} onClick={() => onChange(moved(actions, index, 1))}>
              ↓
            </button>
            <button type="button" className="button secondary small rule-remove" aria-label={`${t.editor.removeAction}: ${label}`} onClick={() => onChange(actions.filter((item) => item.key !== row.key))}>
              ×
            </button>
          </span>
        )}
      </div>
      <FieldError id={errorId} error={error} path={path} />
    </li>
  );
}

/** The actions, in the order they run. */
export function ActionsEditor(props: ListProps) {
  const { actions, onChange, error, disabled } = props;
  return (
    <section className="rule-group" aria-label={t.editor.actions}>
      {actions.length === 0 && <p className="muted">{t.editor.noActions}</p>}
      <ol className="rule-rows">
        {actions.map((row, index) => (
          <ActionRow key={`${row.key}-${row.value.type}`} row={row} index={index} count={actions.length} list={props} />
        ))}
      </ol>
      {error?.field === 'actions' && <FieldError id="actions-error" error={error} path="actions" />}
      {!disabled && (
        <button type="button" className="button secondary small" onClick={() => onChange([...actions, keyed(newAction('add_tag'))])}>
          {t.editor.addAction}
        </button>
      )}
    </section>
  );
}
