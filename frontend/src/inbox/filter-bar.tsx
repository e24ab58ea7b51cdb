import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { prioritySchema, ticketStatusSchema, type Priority, type SavedView, type TicketListQuery } from '@parley/common';
import { strings } from '../i18n/strings';
import { narrowingCount, viewStatuses, type Narrowing } from './filters';
import { SaveFilterDialog } from './save-filter-dialog';

interface FilterBarProps {
  /** The current view's own filters: the bar narrows them and never widens them. */
  viewQuery: TicketListQuery;
  narrowing: Narrowing;
  /** The list's whole query (view, filters and search): what "Save as filter" keeps. */
  listQuery: TicketListQuery;
  /** Whether a filter or a search narrows the view, so there is something to save. */
  narrowed: boolean;
  channels: { id: string; name: string }[];
  tags: string[];
  canShare: boolean;
  onApply: (narrowing: Narrowing) => void;
  onSaved: (view: SavedView) => void;
  /** The name of the saved filter shown, when the user may change it: offered "Update". */
  updatable?: string;
  onUpdate?: () => void;
}

const parsePriority = (value: FormDataEntryValue | null): Priority | undefined => prioritySchema.safeParse(value).data;
const text = (value: FormDataEntryValue | null) => (typeof value === 'string' ? value.trim() : '');

/** "Filter" opens a panel under the search that narrows the view by status, priority, channel, tag and assignee. */
export function FilterBar({ viewQuery, narrowing, listQuery, narrowed, channels, tags, canShare, onApply, onSaved, updatable, onUpdate }: FilterBarProps) {
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLFormElement>(null);
  const ids = useId();
  const panelId = `${ids}-panel`;
  const count = narrowingCount(narrowing);
  const statuses = viewStatuses(viewQuery);
  const checkedStatuses = narrowing.status ? statuses.filter((status) => narrowing.status?.includes(status)) : statuses;

  // Opening moves focus into the panel; the first control is where an agent starts.
  useEffect(() => {
    if (open) panelRef.current?.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled])')?.focus();
  }, [open]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const kept = ticketStatusSchema.array().parse(form.getAll('status'));
    const next: Narrowing = {};
    // Every status of the view (or none) ticked is no narrowing at all.
    if (kept.length > 0 && kept.length < statuses.length) next.status = kept;
    const priority = parsePriority(form.get('priority'));
    if (priority) next.priority = priority;
    const channelId = text(form.get('channelId'));
    if (channelId) next.channelId = channelId;
    const tag = text(form.get('tag'));
    if (tag) next.tag = tag.slice(0, 100);
    const assignee = form.get('assignee');
    if (assignee === 'me' || assignee === 'none') next.assignee = assignee;
    onApply(next);
    close();
  };

  const fixed = (value: string | undefined) => value !== undefined;
  const fixedHint = <span className="filter-fixed">{strings.filters.setByView}</span>;

  return (
    <div className="filter-bar">
      <div className="filter-actions" role="group" aria-label={strings.filters.toolbar}>
        <button ref={buttonRef} type="button" className={`button secondary small${count > 0 ? ' filter-active' : ''}`} aria-expanded={open} aria-controls={panelId} onClick={() => (open ? close() : setOpen(true))}>
          {count > 0 ? strings.filters.buttonActive(count) : strings.filters.button}
        </button>
        {count > 0 && (
          <button type="button" className="button secondary small" aria-label={strings.filters.clearLabel} onClick={() => onApply({})}>
            {strings.filters.clear}
          </button>
        )}
        {narrowed && updatable !== undefined && onUpdate && (
          <button type="button" className="button secondary small filter-save" onClick={onUpdate}>
            {strings.filters.update(updatable)}
          </button>
        )}
        {narrowed && (
          <button type="button" className={`button secondary small${updatable === undefined ? ' filter-save' : ''}`} onClick={() => setSaving(true)}>
            {strings.filters.save}
          </button>
        )}
      </div>
      {open && (
        <form
          id={panelId}
          ref={panelRef}
          className="filter-panel"
          aria-label={strings.filters.panel}
          onSubmit={apply}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              close();
            }
          }}
        >
          <fieldset className="filter-statuses">
            <legend>{strings.filters.status}</legend>
            {statuses.map((status) => (
              <label key={status} className="filter-check">
                <input type="checkbox" name="status" value={status} defaultChecked={checkedStatuses.includes(status)} disabled={statuses.length === 1} />
                {strings.statuses[status]}
              </label>
            ))}
          </fieldset>
          <div className="filter-field">
            <label htmlFor={`${ids}-priority`}>{strings.filters.priority}</label>
            <select id={`${ids}-priority`} name="priority" defaultValue={viewQuery.priority ?? narrowing.priority ?? ''} disabled={fixed(viewQuery.priority)}>
              <option value="">{strings.filters.any}</option>
              {prioritySchema.options.map((priority) => (
                <option key={priority} value={priority}>
                  {strings.priorities[priority]}
                </option>
              ))}
            </select>
            {fixed(viewQuery.priority) && fixedHint}
          </div>
          <div className="filter-field">
            <label htmlFor={`${ids}-channel`}>{strings.filters.channel}</label>
            <select id={`${ids}-channel`} name="channelId" defaultValue={viewQuery.channelId ?? narrowing.channelId ?? ''} disabled={fixed(viewQuery.channelId)}>
              <option value="">{strings.filters.any}</option>
              {channels.map((channel) => (
                <option key={channel.id} value={channel.id}>
                  {channel.name}
                </option>
              ))}
            </select>
            {fixed(viewQuery.channelId) && fixedHint}
          </div>
          <div className="filter-field">
            <label htmlFor={`${ids}-tag`}>{strings.filters.tag}</label>
            <input id={`${ids}-tag`} name="tag" type="text" list={`${ids}-tags`} maxLength={100} dir="auto" autoComplete="off" defaultValue={viewQuery.tag ?? narrowing.tag ?? ''} disabled={fixed(viewQuery.tag)} />
            <datalist id={`${ids}-tags`}>
              {tags.map((tag) => (
                <option key={tag} value={tag} />
              ))}
            </datalist>
            {fixed(viewQuery.tag) && fixedHint}
          </div>
          <div className="filter-field">
            <label htmlFor={`${ids}-assignee`}>{strings.filters.assignee}</label>
            <select id={`${ids}-assignee`} name="assignee" defaultValue={viewQuery.assignee ?? narrowing.assignee ?? ''} disabled={fixed(viewQuery.assignee)}>
              <option value="">{strings.filters.any}</option>
              <option value="me">{strings.filters.me}</option>
              <option value="none">{strings.filters.unassigned}</option>
              {/* A saved view may fix someone else: show it as set, not as "Any". */}
              {viewQuery.assignee && viewQuery.assignee !== 'me' && viewQuery.assignee !== 'none' && <option value={viewQuery.assignee}>{strings.filters.setByView}</option>}
            </select>
            {fixed(viewQuery.assignee) && fixedHint}
          </div>
          <div className="filter-panel-actions">
            <button type="submit" className="button primary-inline small">
              {strings.filters.apply}
            </button>
            <button type="button" className="button secondary small" onClick={close}>
              {strings.filters.close}
            </button>
          </div>
        </form>
      )}
      <SaveFilterDialog open={saving} query={listQuery} canShare={canShare} onClose={() => setSaving(false)} onSaved={onSaved} />
    </div>
  );
}
