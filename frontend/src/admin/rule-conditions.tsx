import { useId } from 'react';
import { connectorKindSchema, influenceTierSchema, prioritySchema, sentimentLabelSchema, ruleConditionFields, ticketStatusSchema, type BusinessHours, type RuleCondition, type RuleConditionField } from '@parley/common';
import type { ChannelSummary } from '../api/tickets.queries';
import { errorAt, keyed, newCondition, operatorsOf, withOperator, type ConditionGroup, type Keyed } from './rule-draft';
import { Choices, FieldError, LabelledInput, LabelledSelect, ListInput, type ServerError } from './rule-fields';
import { ruleStrings as t } from './rules.strings';

export interface ConditionChoices {
  channels: readonly ChannelSummary[];
  schedules: readonly BusinessHours[];
}

interface ValueProps {
  condition: RuleCondition;
  path: string;
  onChange: (condition: RuleCondition) => void;
  choices: ConditionChoices;
  error: ServerError;
  errorId: string;
  disabled: boolean;
}

const kindOptions = connectorKindSchema.options.map((kind) => ({ value: kind, label: t.kinds[kind] }));
const statusOptions = ticketStatusSchema.options.map((status) => ({ value: status, label: t.statuses[status] }));
const priorityOptions = prioritySchema.options.map((priority) => ({ value: priority, label: t.priorities[priority] }));
const sentimentOptions = sentimentLabelSchema.options.map((label) => ({ value: label, label: t.sentiments[label] }));
const tierOptions = influenceTierSchema.options.map((tier) => ({ value: tier, label: t.tiers[tier] }));

/** The value part of a condition: what it compares with, in the input that suits it. */
function ConditionValue({ condition, path, onChange, choices, error, errorId, disabled }: ValueProps) {
  const invalid = (key: string) => errorAt(error, `${path}.${key}`) !== undefined;
  const shared = { describedBy: errorId, disabled };
  switch (condition.field) {
    case 'channel':
      return (
        <Choices legend={t.editor.channels} options={choices.channels.map((channel) => ({ value: channel.id, label: channel.name }))} value={condition.channelIds} onChange={(channelIds) => onChange({ ...condition, channelIds })} invalid={invalid('channelIds')} {...shared} />
      );
    case 'channelKind':
      return <Choices legend={t.editor.kinds} options={kindOptions} value={condition.kinds} onChange={(kinds) => onChange({ ...condition, kinds })} invalid={invalid('kinds')} {...shared} />;
    case 'visibility':
      return (
        <LabelledSelect
          label={t.editor.visibility}
          value={condition.value}
          options={[
            { value: 'public', label: t.visibilities.public },
            { value: 'private', label: t.visibilities.private },
          ]}
          onChange={(value) => onChange({ ...condition, value: value === 'private' ? 'private' : 'public' })}
          {...shared}
        />
      );
    case 'language':
      if (condition.op !== 'in' && condition.op !== 'not_in') return null;
      return <ListInput label={t.editor.languages} by="comma" value={condition.values ?? []} onChange={(values) => onChange({ ...condition, values })} invalid={invalid('values')} {...shared} />;
    case 'keywords':
      return <ListInput label={t.editor.words} by="line" value={condition.words} onChange={(words) => onChange({ ...condition, words })} invalid={invalid('words')} {...shared} />;
    case 'text':
      return <LabelledInput label={t.editor.pattern} value={condition.pattern} onChange={(pattern) => onChange({ ...condition, pattern })} invalid={invalid('pattern')} {...shared} />;
    case 'authorFollowers':
      return (
        <LabelledInput
          label={t.editor.followers}
          type="number"
          value={String(condition.value)}
          onChange={(value) => onChange({ ...condition, value: value === '' ? 0 : Number(value) })}
          invalid={invalid('value')}
          {...shared}
        />
      );
    case 'authorVerified':
      return (
        <LabelledSelect
          label={t.editor.verified}
          value={condition.value ? 'yes' : 'no'}
          options={[
            { value: 'yes', label: t.yesNo.yes },
            { value: 'no', label: t.yesNo.no },
          ]}
          onChange={(value) => onChange({ ...condition, value: value === 'yes' })}
          {...shared}
        />
      );
    case 'businessHours':
      return (
        <LabelledSelect
          label={t.editor.schedule}
          value={condition.businessHoursId ?? ''}
          placeholder={t.editor.ticketSchedule}
          options={choices.schedules.map((schedule) => ({ value: schedule.id, label: `${schedule.name} (${schedule.timezone})` }))}
          onChange={(value) => onChange({ ...condition, businessHoursId: value || null })}
          invalid={invalid('businessHoursId')}
          {...shared}
        />
      );
    case 'sentiment':
      return <Choices legend={t.editor.sentiments} options={sentimentOptions} value={condition.values} onChange={(values) => onChange({ ...condition, values })} invalid={invalid('values')} {...shared} />;
    case 'influence':
      return <Choices legend={t.editor.tiers} options={tierOptions} value={condition.values} onChange={(values) => onChange({ ...condition, values })} invalid={invalid('values')} {...shared} />;
    case 'status':
      return <Choices legend={t.editor.statuses} options={statusOptions} value={condition.values} onChange={(values) => onChange({ ...condition, values })} invalid={invalid('values')} {...shared} />;
    case 'priority':
      return <Choices legend={t.editor.priorities} options={priorityOptions} value={condition.values} onChange={(values) => onChange({ ...condition, values })} invalid={invalid('values')} {...shared} />;
  }
}

interface RowProps extends Omit<ValueProps, 'errorId'> {
  label: string;
  onRemove: () => void;
}

function ConditionRow({ condition, path, onChange, onRemove, choices, error, disabled, label }: RowProps) {
  const errorId = useId();
  const operators = operatorsOf[condition.field] as readonly string[];
  const operatorLabels = t.operators[condition.field] as Record<string, string>;
  return (
    <li className="rule-row" role="group" aria-label={label} data-path={path}>
      <div className="rule-row-inputs">
        <LabelledSelect
          label={t.editor.field}
          value={condition.field}
          options={ruleConditionFields.map((field) => ({ value: field, label: t.fields[field] }))}
          onChange={(field) => onChange(newCondition(field as RuleConditionField))}
          invalid={errorAt(error, `${path}.field`) !== undefined}
          describedBy={errorId}
          disabled={disabled}
        />
        {operators.length > 1 ? (
          <LabelledSelect
            label={t.editor.operator}
            value={condition.op}
            options={operators.map((op) => ({ value: op, label: operatorLabels[op] ?? op }))}
            onChange={(op) => onChange(withOperator(condition, op))}
            invalid={errorAt(error, `${path}.op`) !== undefined}
            describedBy={errorId}
            disabled={disabled}
          />
        ) : (
          <span className="rule-operator">{operatorLabels[condition.op]}</span>
        )}
        <ConditionValue condition={condition} path={path} onChange={onChange} choices={choices} error={error} errorId={errorId} disabled={disabled} />
        {!disabled && (
          <button type="button" className="button secondary small rule-remove" onClick={onRemove} aria-label={`${t.editor.removeCondition}: ${label}`}>
            ×
          </button>
        )}
      </div>
      <FieldError id={errorId} error={error} path={path} />
    </li>
  );
}

interface GroupProps {
  group: ConditionGroup;
  conditions: Keyed<RuleCondition>[];
  onChange: (conditions: Keyed<RuleCondition>[]) => void;
  choices: ConditionChoices;
  error: ServerError;
  disabled: boolean;
}

/** "All of these" or "at least one of these": a list of conditions, each with its own error. */
export function ConditionGroupEditor({ group, conditions, onChange, choices, error, disabled }: GroupProps) {
  const title = group === 'all' ? t.editor.all : t.editor.any;
  const path = `conditions.${group}`;
  return (
    <section className="rule-group" aria-label={title}>
      <h4>{title}</h4>
      {conditions.length === 0 && <p className="muted">{t.editor.noneYet}</p>}
      <ol className="rule-rows">
        {conditions.map((row, index) => (
          <ConditionRow
            // The field is part of the key: a row that changes field starts its inputs afresh.
            key={`${row.key}-${row.value.field}`}
            label={`${title} ${index + 1}`}
            condition={row.value}
            path={`${path}.${index}`}
            choices={choices}
            error={error}
            disabled={disabled}
            onChange={(next) => onChange(conditions.map((item) => (item.key === row.key ? { key: row.key, value: next } : item)))}
            onRemove={() => onChange(conditions.filter((item) => item.key !== row.key))}
          />
        ))}
      </ol>
      {errorAt(error, path) !== undefined && error?.field === path && <FieldError id={`${path}-error`} error={error} path={path} />}
      {!disabled && (
        <button type="button" className="button secondary small" onClick={() => onChange([...conditions, keyed(newCondition('keywords'))])}>
          {t.editor.addCondition} ({title.toLowerCase()})
        </button>
      )}
    </section>
  );
}
