import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { vipListKindSchema, type VipList, type VipListKind } from '@parley/common';
import { ApiError } from '../api/client';
import { useCreateVipList, useDeleteVipList, useUpdateVipList, useVipLists } from '../api/vip-lists.queries';
import { ConfirmDialog } from '../components/confirm-dialog';
import { useToast } from '../components/toast';
import { strings } from '../i18n/strings';
import { errorAt } from './rule-draft';
import { FieldError, type ServerError } from './rule-fields';
import { vipStrings as t } from './vip-lists.strings';

export const serverErrorOf = (error: unknown): NonNullable<ServerError> => ({
  message: error instanceof ApiError ? error.message : String(error),
  ...(error instanceof ApiError && error.field ? { field: error.field } : {}),
});

const invalid = (error: ServerError, field: string) => errorAt(error, field) !== undefined || undefined;

function NewListForm() {
  const create = useCreateVipList();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<VipListKind>('vip');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<ServerError>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    create.mutate(
      { name, kind, description },
      {
        onSuccess: () => {
          setName('');
          setDescription('');
        },
        onError: (failure) => setError(serverErrorOf(failure)),
      },
    );
  };
  return (
    <form className="vip-form" onSubmit={submit} noValidate aria-labelledby="vip-new-list-title">
      <h3 id="vip-new-list-title">{t.newList}</h3>
      {error && !error.field && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      <div className="vip-form-row">
        <div className="field">
          <label htmlFor="vip-list-name">{t.name}</label>
          <input id="vip-list-name" type="text" value={name} onChange={(event) => setName(event.target.value)} aria-invalid={invalid(error, 'name')} aria-describedby="vip-list-name-error" dir="auto" />
          <FieldError id="vip-list-name-error" error={error} path="name" />
        </div>
        <div className="field">
          <label htmlFor="vip-list-kind">{t.kind}</label>
          <select id="vip-list-kind" value={kind} onChange={(event) => setKind(vipListKindSchema.parse(event.target.value))} aria-invalid={invalid(error, 'kind')} aria-describedby="vip-list-kind-error">
            {vipListKindSchema.options.map((option) => (
              <option key={option} value={option}>
                {t.kinds[option]}
              </option>
            ))}
          </select>
          <FieldError id="vip-list-kind-error" error={error} path="kind" />
        </div>
        <div className="field vip-field-wide">
          <label htmlFor="vip-list-description">{t.description}</label>
          <input id="vip-list-description" type="text" value={description} onChange={(event) => setDescription(event.target.value)} aria-invalid={invalid(error, 'description')} aria-describedby="vip-list-description-error" dir="auto" />
          <FieldError id="vip-list-description-error" error={error} path="description" />
        </div>
        <button type="submit" className="button primary-inline" disabled={create.isPending}>
          {create.isPending ? t.creating : t.create}
        </button>
      </div>
    </form>
  );
}

/** A list's name, or the field to rename it in. */
function ListName({ list, renaming, onDone }: { list: VipList; renaming: boolean; onDone: () => void }) {
  const update = useUpdateVipList();
  const [name, setName] = useState(list.name);
  const [error, setError] = useState<ServerError>(null);
  if (!renaming) {
    return (
      <Link to={`/admin/vip-lists/${list.id}`} dir="auto">
        {list.name}
      </Link>
    );
  }
  const id = `vip-rename-${list.id}`;
  return (
    <form
      className="vip-rename"
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate({ id: list.id, patch: { name } }, { onSuccess: onDone, onError: (failure) => setError(serverErrorOf(failure)) });
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onDone();
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        {t.renameLabel(list.name)}
      </label>
      <input id={id} type="text" value={name} autoFocus onChange={(event) => setName(event.target.value)} aria-invalid={invalid(error, 'name')} aria-describedby={`${id}-error`} dir="auto" />
      <button type="submit" className="button primary-inline small" disabled={update.isPending}>
        {t.save}
      </button>
      <button type="button" className="button secondary small" onClick={onDone}>
        {t.cancel}
      </button>
      <FieldError id={`${id}-error`} error={error} path="name" />
      {error && !error.field && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
    </form>
  );
}

/** /admin/vip-lists: the lists with their kind and size; new ones, renames and deletions. */
export function VipListsPage() {
  const lists = useVipLists();
  const remove = useDeleteVipList();
  const toast = useToast();
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<VipList | undefined>(undefined);

  return (
    <div className="vip-lists">
      <h2>{t.title}</h2>
      <p className="muted">{t.intro}</p>
      {lists.isPending && <p role="status">{strings.shell.loading}</p>}
      {lists.isError && <p role="alert">{strings.admin.loadFailed}</p>}
      {lists.data && lists.data.length === 0 && <p>{t.none}</p>}
      {lists.data && lists.data.length > 0 && (
        <table className="admin-table vip-table">
          <thead>
            <tr>
              <th scope="col">{t.columns.name}</th>
              <th scope="col">{t.columns.kind}</th>
              <th scope="col" className="vip-count">
                {t.columns.entries}
              </th>
              <th scope="col">{t.columns.actions}</th>
            </tr>
          </thead>
          <tbody>
            {lists.data.map((list) => (
              <tr key={list.id} data-vip-list-id={list.id}>
                <td>
                  <ListName key={`${list.id}:${String(renaming === list.id)}`} list={list} renaming={renaming === list.id} onDone={() => setRenaming(null)} />
                  {list.description && (
                    <div className="muted vip-description" dir="auto">
                      {list.description}
                    </div>
                  )}
                </td>
                <td>
                  <span className={`badge vip-kind vip-kind-${list.kind}`}>{t.kinds[list.kind]}</span>
                </td>
                <td className="vip-count">{list.entryCount.toLocaleString()}</td>
                <td className="vip-actions">
                  {renaming !== list.id && (
                    <button type="button" className="button secondary small" aria-label={`${t.rename} ${list.name}`} onClick={() => setRenaming(list.id)}>
                      {t.rename}
                    </button>
                  )}
                  <button type="button" className="button secondary small" aria-label={t.deleteList(list.name)} onClick={() => setDeleting(list)}>
                    {t.delete}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewListForm />
      <ConfirmDialog
        subject={deleting}
        id="delete-vip-list"
        title={t.deleteTitle}
        body={(list) => t.deleteBody(list.name, list.entryCount)}
        confirmLabel={t.delete}
        cancelLabel={t.cancel}
        tone="danger"
        onCancel={() => setDeleting(undefined)}
        onConfirm={(list) => {
          setDeleting(undefined);
          remove.mutate(list.id, { onError: (failure) => toast(t.notChanged(serverErrorOf(failure).message)) });
        }}
      />
    </div>
  );
}
