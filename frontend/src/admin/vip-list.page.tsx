import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { connectorKindSchema, VIP_IMPORT_COLUMNS, type ConnectorKind, type VipEntry, type VipImportReport, type VipList } from '@parley/common';
import { useAddVipEntry, useImportVipCsv, useRemoveVipEntry, useVipEntries, useVipLists } from '../api/vip-lists.queries';
import { useToast } from '../components/toast';
import { strings } from '../i18n/strings';
import { errorAt } from './rule-draft';
import { FieldError, type ServerError } from './rule-fields';
import { serverErrorOf } from './vip-lists.page';
import { vipStrings as t } from './vip-lists.strings';

const accountOf = (entry: Pick<VipEntry, 'handle' | 'externalId'>) => (entry.handle ? `@${entry.handle}` : (entry.externalId ?? ''));

function EntryField({ id, label, hint, value, onChange, error, field }: { id: string; label: string; hint?: string; value: string; onChange: (value: string) => void; error: ServerError; field: string }) {
  const describedBy = [hint ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="text" value={value} onChange={(event) => onChange(event.target.value)} aria-invalid={errorAt(error, field) !== undefined || undefined} aria-describedby={describedBy} dir="auto" />
      {hint && (
        <span id={`${id}-hint`} className="muted vip-hint">
          {hint}
        </span>
      )}
      <FieldError id={`${id}-error`} error={error} path={field} />
    </div>
  );
}

const emptyEntry = { platform: 'x' as ConnectorKind, handle: '', externalId: '', displayName: '', note: '' };

function AddEntryForm({ list }: { list: VipList }) {
  const add = useAddVipEntry(list.id);
  const [entry, setEntry] = useState(emptyEntry);
  const [error, setError] = useState<ServerError>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const change = (patch: Partial<typeof emptyEntry>) => {
    setEntry((old) => ({ ...old, ...patch }));
    setNotice(null);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    add.mutate(entry, {
      onSuccess: (created) => {
        setEntry({ ...emptyEntry, platform: entry.platform });
        setNotice(t.add.added(accountOf(created)));
      },
      onError: (failure) => setError(serverErrorOf(failure)),
    });
  };
  return (
    <form className="vip-form" onSubmit={submit} noValidate aria-labelledby="vip-add-title">
      <h3 id="vip-add-title">{t.add.title}</h3>
      {error && !error.field && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      <div className="vip-form-row">
        <div className="field">
          <label htmlFor="vip-entry-platform">{t.add.platform}</label>
          <select
            id="vip-entry-platform"
            value={entry.platform}
            onChange={(event) => change({ platform: connectorKindSchema.parse(event.target.value) })}
            aria-invalid={errorAt(error, 'platform') !== undefined || undefined}
            aria-describedby="vip-entry-platform-error"
          >
            {connectorKindSchema.options.map((kind) => (
              <option key={kind} value={kind}>
                {strings.channelKinds[kind]}
              </option>
            ))}
          </select>
          <FieldError id="vip-entry-platform-error" error={error} path="platform" />
        </div>
        <EntryField id="vip-entry-handle" label={t.add.handle} hint={t.add.handleHint} value={entry.handle} onChange={(handle) => change({ handle })} error={error} field="handle" />
        <EntryField id="vip-entry-external-id" label={t.add.externalId} hint={t.add.externalIdHint} value={entry.externalId} onChange={(externalId) => change({ externalId })} error={error} field="externalId" />
        <EntryField id="vip-entry-name" label={t.add.displayName} value={entry.displayName} onChange={(displayName) => change({ displayName })} error={error} field="displayName" />
        <EntryField id="vip-entry-note" label={t.add.note} value={entry.note} onChange={(note) => change({ note })} error={error} field="note" />
        <button type="submit" className="button primary-inline" disabled={add.isPending}>
          {add.isPending ? t.add.adding : t.add.submit}
        </button>
      </div>
      {notice && (
        <p role="status" className="vip-notice">
          {notice}
        </p>
      )}
    </form>
  );
}

function ImportReport({ report }: { report: VipImportReport }) {
  return (
    <section className="vip-report" aria-labelledby="vip-report-title">
      <h4 id="vip-report-title">{t.import.report}</h4>
      <ul className="vip-report-figures">
        <li className="vip-report-imported">{t.import.imported(report.imported)}</li>
        <li>{t.import.duplicates(report.duplicates)}</li>
        <li className={report.errors.length > 0 ? 'vip-report-bad' : undefined}>{t.import.bad(report.errors.length)}</li>
      </ul>
      {report.errors.length === 0 ? (
        <p className="muted">{t.import.allGood}</p>
      ) : (
        <div className="vip-report-errors">
          <table className="admin-table">
            <caption className="visually-hidden">{t.import.badTable}</caption>
            <thead>
              <tr>
                <th scope="col">{t.import.columns.line}</th>
                <th scope="col">{t.import.columns.field}</th>
                <th scope="col">{t.import.columns.message}</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((error, index) => (
                <tr key={index}>
                  <td className="vip-count">{error.line.toLocaleString()}</td>
                  <td>{error.field ? <code>{error.field}</code> : <span className="muted">{t.import.wholeLine}</span>}</td>
                  <td dir="auto">{error.message.charAt(0).toUpperCase() + error.message.slice(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ImportForm({ list }: { list: VipList }) {
  const upload = useImportVipCsv(list.id);
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    upload.reset();
    if (!file) {
      setProblem(t.import.chooseFile);
      return;
    }
    upload.mutate(file, { onError: (failure) => setProblem(t.import.failed(serverErrorOf(failure).message)) });
  };
  return (
    <form className="vip-form" onSubmit={submit} noValidate aria-labelledby="vip-import-title">
      <h3 id="vip-import-title">{t.import.title}</h3>
      <p className="muted">{t.import.intro}</p>
      <ul className="vip-columns">
        {VIP_IMPORT_COLUMNS.map((column) => (
          <li key={column}>
            <code>{column}</code> <span className="muted">— {t.columnHints[column]}</span>
          </li>
        ))}
      </ul>
      <div className="vip-form-row">
        <div className="field">
          <label htmlFor="vip-import-file">{t.import.file}</label>
          <input
            id="vip-import-file"
            type="file"
            accept=".csv,text/csv"
            aria-invalid={problem !== null || undefined}
            aria-describedby="vip-import-problem"
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setProblem(null);
            }}
          />
        </div>
        <button type="submit" className="button primary-inline" disabled={upload.isPending}>
          {upload.isPending ? t.import.importing : t.import.submit}
        </button>
      </div>
      {problem && (
        <p id="vip-import-problem" className="form-error" role="alert">
          {problem}
        </p>
      )}
      {upload.data && <ImportReport report={upload.data} />}
    </form>
  );
}

function Entries({ list }: { list: VipList }) {
  const [q, setQ] = useState('');
  const entries = useVipEntries(list.id, q);
  const remove = useRemoveVipEntry(list.id);
  const toast = useToast();
  const items = entries.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="vip-entries-title">
      <h3 id="vip-entries-title">{t.entries.title}</h3>
      <form
        className="list-search vip-search"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          const field = new FormData(event.currentTarget).get('q');
          setQ(typeof field === 'string' ? field.trim() : '');
        }}
      >
        <label htmlFor="vip-entry-search">{t.entries.search}</label>
        <input id="vip-entry-search" name="q" type="search" defaultValue={q} maxLength={100} dir="auto" />
      </form>
      {entries.isPending && <p role="status">{strings.shell.loading}</p>}
      {entries.isError && <p role="alert">{strings.admin.loadFailed}</p>}
      {entries.isSuccess && items.length === 0 && <p>{q ? t.entries.noMatch : t.entries.none}</p>}
      {items.length > 0 && (
        <table className="admin-table vip-table">
          <thead>
            <tr>
              <th scope="col">{t.entries.columns.platform}</th>
              <th scope="col">{t.entries.columns.account}</th>
              <th scope="col">{t.entries.columns.name}</th>
              <th scope="col">{t.entries.columns.note}</th>
              <th scope="col">{t.entries.columns.added}</th>
              <th scope="col">
                <span className="visually-hidden">{t.entries.columns.remove}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((entry) => (
              <tr key={entry.id} data-vip-entry-id={entry.id}>
                <td>{strings.channelKinds[entry.platform]}</td>
                <td>
                  <span dir="auto">{accountOf(entry)}</span>
                  {entry.handle && entry.externalId && <div className="muted vip-description">{entry.externalId}</div>}
                </td>
                <td dir="auto">{entry.displayName ?? ''}</td>
                <td dir="auto" className="vip-note">
                  {entry.note ?? ''}
                </td>
                <td className="muted">{new Date(entry.createdAt).toLocaleDateString()}</td>
                <td>
                  <button
                    type="button"
                    className="button secondary small"
                    aria-label={t.entries.remove(accountOf(entry))}
                    disabled={remove.isPending && remove.variables === entry.id}
                    onClick={() =>
                      remove.mutate(entry.id, {
                        onSuccess: () => toast(t.entries.removed(accountOf(entry))),
                        onError: (failure) => toast(t.notChanged(serverErrorOf(failure).message)),
                      })
                    }
                  >
                    {t.entries.columns.remove}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {entries.hasNextPage && (
        <button type="button" className="button secondary vip-more" disabled={entries.isFetchingNextPage} onClick={() => void entries.fetchNextPage()}>
          {entries.isFetchingNextPage ? t.entries.loadingMore : t.entries.more}
        </button>
      )}
    </section>
  );
}

/** /admin/vip-lists/:listId: one list's entries, a form to add one, and the CSV import with its report. */
export function VipListPage() {
  const { listId } = useParams();
  const lists = useVipLists();
  if (lists.isPending) return <p role="status">{strings.shell.loading}</p>;
  if (lists.isError) return <p role="alert">{strings.admin.loadFailed}</p>;
  const list = lists.data.find((candidate) => candidate.id === listId);
  return (
    <div className="vip-lists">
      <p>
        <Link to="/admin/vip-lists">← {t.back}</Link>
      </p>
      {!list ? (
        <p role="alert">{t.unknownList}</p>
      ) : (
        <>
          <h2 dir="auto">{list.name}</h2>
          <p className="muted">
            <span className={`badge vip-kind vip-kind-${list.kind}`}>{t.kinds[list.kind]}</span> <span>{t.summary(list.entryCount)}</span>
            {list.description && <span dir="auto"> — {list.description}</span>}
          </p>
          <div className="vip-forms">
            <AddEntryForm key={`add-${list.id}`} list={list} />
            <ImportForm key={`import-${list.id}`} list={list} />
          </div>
          <Entries key={`entries-${list.id}`} list={list} />
        </>
      )}
    </div>
  );
}
