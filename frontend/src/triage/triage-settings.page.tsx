import { useEffect, useId, useState } from 'react';
import type { TriageKeyword, TriageKeywordLevel, TriageSettings } from '@parley/common';
import { useMe } from '../api/auth.queries';
import { ApiError } from '../api/client';
import { useSaveTriageSettings, useTriageSettings } from '../api/triage.queries';
import { triageStrings } from './triage.strings';

const t = triageStrings.settings;
const levels: TriageKeywordLevel[] = ['urgent', 'high', 'raise'];

/** The field an error names ("settings.keywords.2.term"), for showing it next to that field. */
const fieldOf = (error: unknown) => (error instanceof ApiError ? (error.field ?? '') : '');

/** Admin (supervisors read): the keywords that weigh on priority, and the storm thresholds. */
export function TriageSettingsPage() {
  const id = useId();
  const me = useMe();
  const settings = useTriageSettings();
  const save = useSaveTriageSettings();
  const [draft, setDraft] = useState<TriageSettings>();
  const [newTerm, setNewTerm] = useState('');
  const [newLevel, setNewLevel] = useState<TriageKeywordLevel>('raise');
  const canEdit = me.data?.user.role === 'admin';

  useEffect(() => {
    if (settings.data && !draft) setDraft(settings.data.settings);
  }, [settings.data, draft]);

  if (settings.isPending || !draft) return <p role="status">…</p>;
  const errorField = fieldOf(save.error);
  const setKeywords = (keywords: TriageKeyword[]) => setDraft({ ...draft, keywords });
  const setStorm = (field: keyof TriageSettings['storm'], value: number) => setDraft({ ...draft, storm: { ...draft.storm, [field]: value } });

  return (
    <section aria-labelledby={`${id}-title`} className="admin-page">
      <h1 id={`${id}-title`}>{t.title}</h1>
      <p className="muted">{t.intro}</p>
      {settings.data?.updatedBy && settings.data.updatedAt && <p className="muted">{t.lastSaved(settings.data.updatedBy, new Date(settings.data.updatedAt).toLocaleString())}</p>}
      <fieldset disabled={!canEdit}>
        <legend>{t.keywords}</legend>
        <p className="muted">{t.keywordsHelp}</p>
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t.term}</th>
              <th scope="col">{t.level}</th>
              <th scope="col">
                <span className="visually-hidden">{t.remove('')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {draft.keywords.map((keyword, index) => (
              <tr key={`${keyword.term}-${index}`}>
                <td dir="auto">
                  {keyword.term}
                  {errorField.startsWith(`settings.keywords.${index}.`) && (
                    <span className="field-error" role="alert">
                      {' '}
                      {save.error instanceof Error ? save.error.message : ''}
                    </span>
                  )}
                </td>
                <td>
                  <select aria-label={`${t.level}: ${keyword.term}`} value={keyword.level} onChange={(event) => setKeywords(draft.keywords.map((entry, at) => (at === index ? { ...entry, level: event.target.value as TriageKeywordLevel } : entry)))}>
                    {levels.map((level) => (
                      <option key={level} value={level}>
                        {t.levels[level]}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <button type="button" className="button secondary small" aria-label={t.remove(keyword.term)} onClick={() => setKeywords(draft.keywords.filter((_, at) => at !== index))}>
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="inline-form">
          <label htmlFor={`${id}-term`}>{t.term}</label>
          <input id={`${id}-term`} value={newTerm} dir="auto" onChange={(event) => setNewTerm(event.target.value)} />
          <select aria-label={t.level} value={newLevel} onChange={(event) => setNewLevel(event.target.value as TriageKeywordLevel)}>
            {levels.map((level) => (
              <option key={level} value={level}>
                {t.levels[level]}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button secondary small"
            disabled={newTerm.trim() === ''}
            onClick={() => {
              setKeywords([...draft.keywords, { term: newTerm.trim(), level: newLevel }]);
              setNewTerm('');
            }}
          >
            {t.add}
          </button>
        </div>
      </fieldset>
      <fieldset disabled={!canEdit}>
        <legend>{t.storm}</legend>
        {(
          [
            ['minMentions', t.minMentions, 1],
            ['deviations', t.deviations, 0.5],
            ['baselineHalfLifeMinutes', t.halfLife, 5],
          ] as const
        ).map(([field, label, step]) => (
          <div className="field" key={field}>
            <label htmlFor={`${id}-${field}`}>{label}</label>
            <input
              id={`${id}-${field}`}
              type="number"
              step={step}
              value={draft.storm[field]}
              aria-invalid={errorField === `settings.storm.${field}` ? true : undefined}
              onChange={(event) => setStorm(field, Number(event.target.value))}
            />
            {errorField === `settings.storm.${field}` && <p className="field-error">{save.error instanceof Error ? save.error.message : ''}</p>}
          </div>
        ))}
      </fieldset>
      {canEdit && (
        <div className="save-row">
          <button type="button" className="button primary-inline" disabled={save.isPending} onClick={() => save.mutate(draft)}>
            {t.save}
          </button>
          <span role="status">{save.isSuccess && !save.isPending ? t.saved : ''}</span>
          {save.isError && !errorField.startsWith('settings.') && (
            <p className="form-error" role="alert">
              {save.error instanceof Error ? save.error.message : String(save.error)}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
