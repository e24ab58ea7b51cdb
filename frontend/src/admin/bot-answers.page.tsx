import { useId, useState, type FormEvent } from 'react';
import { botLanguages, type BotAnswer, type BotAnswerMatchResponse } from '@parley/common';
import { useMe } from '../api/auth.queries';
import { useBotAnswers, useDeleteBotAnswer, useTryBotAnswer } from '../api/bot-answers.queries';
import { ConfirmDialog } from '../components/confirm-dialog';
import { useToast } from '../components/toast';
import { strings } from '../i18n/strings';
import { serverErrorOf } from './vip-lists.page';
import { BotAnswerEditor } from './bot-answer-editor';
import { draftOf, emptyDraft, languagesOf, type BotAnswerDraft } from './bot-answer-draft';
import { botAnswerStrings as t, percent } from './bot-answers.strings';

function TryResult({ result }: { result: BotAnswerMatchResponse }) {
  if (result.match) {
    return (
      <div className="bot-try-result" data-testid="bot-try-result">
        <p className="field-ok">{t.tryIt.answers(result.match.intent, percent(result.match.confidence))}</p>
        <blockquote dir="auto" lang={result.match.language}>
          {result.match.text}
        </blockquote>
      </div>
    );
  }
  return (
    <div className="bot-try-result" data-testid="bot-try-result">
      <p>{t.tryIt.noAnswer(percent(result.threshold))}</p>
      <p className="muted">{result.closest ? t.tryIt.closest(result.closest.intent, percent(result.closest.confidence)) : t.tryIt.nothingClose}</p>
    </div>
  );
}

/** A customer's words tried on the saved entries, as the bot would read them. */
function TryQuestion() {
  const id = useId();
  const tryIt = useTryBotAnswer();
  const [text, setText] = useState('');
  const [language, setLanguage] = useState('');
  const [visibility, setVisibility] = useState<'private' | 'public'>('private');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    tryIt.mutate({ text, visibility, ...(language ? { language } : {}) });
  };
  return (
    <form className="vip-form bot-try" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t.tryIt.title}</h3>
      <p className="muted">{t.tryIt.hint}</p>
      <div className="field">
        <label htmlFor={`${id}-text`}>{t.tryIt.text}</label>
        <textarea id={`${id}-text`} rows={2} dir="auto" value={text} onChange={(event) => setText(event.target.value)} />
      </div>
      <div className="vip-form-row">
        <div className="field">
          <label htmlFor={`${id}-language`}>{t.tryIt.language}</label>
          <select id={`${id}-language`} value={language} onChange={(event) => setLanguage(event.target.value)}>
            <option value="">{t.tryIt.anyLanguage}</option>
            {botLanguages.map((option) => (
              <option key={option} value={option}>
                {t.languages[option]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-visibility`}>{t.tryIt.visibility}</label>
          <select id={`${id}-visibility`} value={visibility} onChange={(event) => setVisibility(event.target.value === 'public' ? 'public' : 'private')}>
            <option value="private">{t.tryIt.visibilities.private}</option>
            <option value="public">{t.tryIt.visibilities.public}</option>
          </select>
        </div>
        <button type="submit" className="button primary-inline" disabled={tryIt.isPending}>
          {tryIt.isPending ? t.tryIt.testing : t.tryIt.submit}
        </button>
      </div>
      {tryIt.isError && (
        <p className="form-error" role="alert">
          {t.tryIt.failed(serverErrorOf(tryIt.error).message)}
        </p>
      )}
      {tryIt.data && !tryIt.isPending && <TryResult result={tryIt.data} />}
    </form>
  );
}

/** /admin/bot-answers: the bot's knowledge base; admins add, edit and delete entries, supervisors read and test. */
export function BotAnswersPage() {
  const me = useMe();
  const entries = useBotAnswers();
  const remove = useDeleteBotAnswer();
  const toast = useToast();
  const [editing, setEditing] = useState<BotAnswerDraft | null>(null);
  const [deleting, setDeleting] = useState<BotAnswer | undefined>(undefined);
  const admin = me.data?.user.role === 'admin';

  return (
    <div className="bot-answers">
      <h2>{t.title}</h2>
      <p className="muted">{t.intro}</p>
      {!admin && <p className="muted">{t.readOnly}</p>}
      {entries.isPending && <p role="status">{strings.shell.loading}</p>}
      {entries.isError && <p role="alert">{strings.admin.loadFailed}</p>}
      {entries.data && entries.data.length === 0 && <p>{t.none}</p>}
      {entries.data && entries.data.length > 0 && (
        <table className="admin-table bot-answers-table">
          <thead>
            <tr>
              <th scope="col">{t.columns.intent}</th>
              <th scope="col">{t.columns.languages}</th>
              <th scope="col">{t.columns.questions}</th>
              <th scope="col">{t.columns.visibility}</th>
              <th scope="col">{t.columns.active}</th>
              {admin && <th scope="col">{t.columns.actions}</th>}
            </tr>
          </thead>
          <tbody>
            {entries.data.map((entry) => (
              <tr key={entry.id} data-bot-answer={entry.intent} className={entry.active ? undefined : 'bot-inactive'}>
                <td>
                  <code>{entry.intent}</code>
                </td>
                <td>
                  {languagesOf(entry).map((language) => (
                    <span key={language} className="badge language" title={t.languages[language]}>
                      {language}
                    </span>
                  ))}
                </td>
                <td>{entry.questions.length}</td>
                <td>{t.visibilities[entry.visibility]}</td>
                <td>{entry.active ? t.yes : t.no}</td>
                {admin && (
                  <td className="vip-actions">
                    <button type="button" className="button secondary small" aria-label={t.editEntry(entry.intent)} onClick={() => setEditing(draftOf(entry))}>
                      {t.edit}
                    </button>
                    <button type="button" className="button secondary small" aria-label={t.deleteEntry(entry.intent)} onClick={() => setDeleting(entry)}>
                      {t.delete}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {admin && !editing && (
        <p>
          <button type="button" className="button primary-inline" onClick={() => setEditing(emptyDraft())}>
            {t.newEntry}
          </button>
        </p>
      )}
      {admin && editing && <BotAnswerEditor key={editing.id ?? 'new'} initial={editing} onDone={() => setEditing(null)} />}
      <TryQuestion />
      <ConfirmDialog
        subject={deleting}
        id="delete-bot-answer"
        title={t.deleteTitle}
        body={(entry) => t.deleteBody(entry.intent)}
        confirmLabel={t.delete}
        cancelLabel={t.cancel}
        tone="danger"
        onCancel={() => setDeleting(undefined)}
        onConfirm={(entry) => {
          setDeleting(undefined);
          if (editing?.id === entry.id) setEditing(null);
          remove.mutate(entry.id, { onSuccess: () => toast(t.deleted(entry.intent)), onError: (failure) => toast(t.notChanged(serverErrorOf(failure).message)) });
        }}
      />
    </div>
  );
}
