import { useState, type FormEvent } from 'react';
import { BOT_DEFAULT_LANGUAGE, botAnswerVisibilitySchema, botLanguages, type BotLanguage } from '@parley/common';
import { useSaveBotAnswer } from '../api/bot-answers.queries';
import { useToast } from '../components/toast';
import { errorAt } from './rule-draft';
import { FieldError, type ServerError } from './rule-fields';
import { serverErrorOf } from './vip-lists.page';
import { inputOf, newRow, orderedRows, sentAnswerLanguages, type BotAnswerDraft } from './bot-answer-draft';
import { botAnswerStrings as t } from './bot-answers.strings';

/** A server error with what the input looked like when it was sent, to find the row it names. */
interface SentError {
  error: NonNullable<ServerError>;
  questionKeys: number[];
  answerLanguages: BotLanguage[];
}

const invalid = (error: ServerError, field: string) => errorAt(error, field) !== undefined || undefined;
const exactly = (sent: SentError | null, field: string) => (sent?.error.field === field ? sent.error.message : undefined);

function GroupError({ id, message, field }: { id: string; message: string | undefined; field: string }) {
  if (!message) return null;
  const words = message.startsWith(`${field} `) ? message.slice(field.length + 1) : message;
  return (
    <p id={id} className="field-error" role="alert">
      {words.charAt(0).toUpperCase() + words.slice(1)}
    </p>
  );
}

/** Add or edit one entry: its intent, question rows per language, one answer per language, where it is given and whether it is on. */
export function BotAnswerEditor({ initial, onDone }: { initial: BotAnswerDraft; onDone: () => void }) {
  const save = useSaveBotAnswer();
  const toast = useToast();
  const [draft, setDraft] = useState(initial);
  const [sent, setSent] = useState<SentError | null>(null);
  const error = sent?.error ?? null;
  const formId = initial.id ?? 'new';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const questionKeys = orderedRows(draft).map((row) => row.key);
    const answerLanguages = sentAnswerLanguages(draft);
    setSent(null);
    save.mutate(
      { id: draft.id, input: inputOf(draft) },
      {
        onSuccess: (saved) => {
          toast(t.saved(saved.intent));
          onDone();
        },
        onError: (failure) => setSent({ error: serverErrorOf(failure), questionKeys, answerLanguages }),
      },
    );
  };

  const setRow = (key: number, text: string) => setDraft({ ...draft, questions: draft.questions.map((row) => (row.key === key ? { ...row, text } : row)) });
  const removeRow = (key: number) => setDraft({ ...draft, questions: draft.questions.filter((row) => row.key !== key) });
  const addRow = (language: BotLanguage) => setDraft({ ...draft, questions: [...draft.questions, newRow(language)] });

  return (
    <form className="vip-form bot-answer-editor" onSubmit={submit} noValidate aria-labelledby={`bot-answer-${formId}-title`}>
      <h3 id={`bot-answer-${formId}-title`}>{initial.id ? t.editTitle(initial.intent) : t.newTitle}</h3>
      {error && (!error.field || !/^(intent|questions|answers|visibility|active)/.test(error.field)) && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      <div className="vip-form-row">
        <div className="field">
          <label htmlFor={`bot-answer-${formId}-intent`}>{t.intent}</label>
          <input
            id={`bot-answer-${formId}-intent`}
            type="text"
            value={draft.intent}
            onChange={(event) => setDraft({ ...draft, intent: event.target.value })}
            aria-invalid={invalid(error, 'intent')}
            aria-describedby={`bot-answer-${formId}-intent-hint bot-answer-${formId}-intent-error`}
          />
          <span id={`bot-answer-${formId}-intent-hint`} className="muted bot-hint">
            {t.intentHint}
          </span>
          <FieldError id={`bot-answer-${formId}-intent-error`} error={error} path="intent" />
        </div>
        <div className="field">
          <label htmlFor={`bot-answer-${formId}-visibility`}>{t.visibility}</label>
          <select
            id={`bot-answer-${formId}-visibility`}
            value={draft.visibility}
            onChange={(event) => setDraft({ ...draft, visibility: botAnswerVisibilitySchema.parse(event.target.value) })}
            aria-invalid={invalid(error, 'visibility')}
          >
            {botAnswerVisibilitySchema.options.map((option) => (
              <option key={option} value={option}>
                {t.visibilities[option]}
              </option>
            ))}
          </select>
          <FieldError id={`bot-answer-${formId}-visibility-error`} error={error} path="visibility" />
        </div>
        <label className="bot-active">
          <input type="checkbox" checked={draft.active} onChange={(event) => setDraft({ ...draft, active: event.target.checked })} /> {t.active}
        </label>
      </div>
      <GroupError id={`bot-answer-${formId}-questions-error`} message={exactly(sent, 'questions')} field="questions" />

      <div className="bot-languages">
        {botLanguages.map((language) => {
          const name = t.languages[language];
          const rows = draft.questions.filter((row) => row.language === language);
          const answerIndex = sent?.answerLanguages.indexOf(language) ?? -1;
          const answerPath = `answers.${answerIndex}`;
          const answerId = `bot-answer-${formId}-answer-${language}`;
          return (
            <fieldset key={language} className="bot-language">
              <legend>{t.questionsIn(name)}</legend>
              {rows.map((row, index) => {
                const sentIndex = sent?.questionKeys.indexOf(row.key) ?? -1;
                const path = `questions.${sentIndex}`;
                const rowId = `bot-question-${row.key}`;
                const rowError = sentIndex >= 0 ? error : null;
                return (
                  <div key={row.key} className="bot-question-row">
                    <label htmlFor={rowId} className="visually-hidden">
                      {t.question(name, index)}
                    </label>
                    <input id={rowId} type="text" value={row.text} dir="auto" onChange={(event) => setRow(row.key, event.target.value)} aria-invalid={invalid(rowError, path)} aria-describedby={`${rowId}-error`} />
                    <button type="button" className="button secondary small" aria-label={t.removeQuestion(name, index)} onClick={() => removeRow(row.key)}>
                      ×
                    </button>
                    <FieldError id={`${rowId}-error`} error={rowError} path={path} />
                  </div>
                );
              })}
              <button type="button" className="button secondary small" onClick={() => addRow(language)}>
                {t.addQuestion(name)}
              </button>
              <label htmlFor={answerId} className="bot-answer-label">
                {t.answerIn(name, language === BOT_DEFAULT_LANGUAGE)}
              </label>
              <textarea
                id={answerId}
                rows={3}
                dir="auto"
                value={draft.answers[language]}
                onChange={(event) => setDraft({ ...draft, answers: { ...draft.answers, [language]: event.target.value } })}
                aria-invalid={(answerIndex >= 0 && invalid(error, answerPath)) || (language === BOT_DEFAULT_LANGUAGE && exactly(sent, 'answers') !== undefined) || undefined}
                aria-describedby={`${answerId}-error`}
              />
              {answerIndex >= 0 && <FieldError id={`${answerId}-error`} error={error} path={answerPath} />}
              {language === BOT_DEFAULT_LANGUAGE && <GroupError id={`${answerId}-error`} message={exactly(sent, 'answers')} field="answers" />}
            </fieldset>
          );
        })}
      </div>
      <p className="muted">{t.answersHint}</p>
      <div className="bot-editor-actions">
        <button type="submit" className="button primary-inline" disabled={save.isPending}>
          {save.isPending ? t.saving : t.save}
        </button>
        <button type="button" className="button secondary" onClick={onDone}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
