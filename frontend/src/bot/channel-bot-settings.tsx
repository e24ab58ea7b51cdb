import { useId, useState } from 'react';
import { DEFAULT_BOT_HANDOFF_REACH, DEFAULT_BOT_NAME, type BotMode, type Channel } from '@parley/common';
import { useSaveChannelBot } from '../api/bot.queries';
import { ChannelIcon } from '../components/channel-icon';
import { compactNumber } from '../inbox/format';
import { botStrings } from './bot.strings';
import { botFieldOf, botSettingsOf, draftOf, fieldMessage, settingsFromDraft, type BotField } from './bot-view';

const t = botStrings.channel;
const modes: BotMode[] = ['off', 'after_hours', 'always_first'];
/** One channel's bot: when it answers, the name it signs with, and the reach from which it hands over at once. */
export function ChannelBotForm({ channel, canEdit }: { channel: Channel; canEdit: boolean }) {
  const id = useId();
  const stored = botSettingsOf(channel);
  const save = useSaveChannelBot();
  const [draft, setDraft] = useState(() => draftOf(stored));
  const { mode, name, brandName, reach } = draft;
  const set = (change: Partial<typeof draft>) => setDraft((old) => ({ ...old, ...change }));
  const errorField = botFieldOf(save.error);
  const message = save.error instanceof Error ? save.error.message : '';
  const besideField = fieldMessage(save.error);

  const fieldError = (field: BotField) =>
    errorField === field ? (
      <p id={`${id}-${field}-error`} className="field-error">
        {besideField}
      </p>
    ) : null;
  const invalid = (field: BotField) => (errorField === field ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-${field}-error` } : {});

  const submit = () => save.mutate({ channel, bot: settingsFromDraft(stored, draft) });

  return (
    // The server checks every value and its message shows beside the field it names (no browser bubbles).
    <form
      noValidate
      className="channel-bot-form-wrap"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <fieldset className="channel-bot-form" disabled={!canEdit}>
        <legend>
          <ChannelIcon kind={channel.kind} /> <span dir="auto">{t.legend(channel.name)}</span>
        </legend>
        <div className="channel-bot-row">
          <div className="field">
            <label htmlFor={`${id}-mode`}>{t.mode}</label>
            <select id={`${id}-mode`} value={mode} onChange={(event) => set({ mode: event.target.value as BotMode })} {...invalid('mode')}>
              {modes.map((option) => (
                <option key={option} value={option}>
                  {t.modes[option]}
                </option>
              ))}
            </select>
            {fieldError('mode')}
          </div>
          <div className="field">
            <label htmlFor={`${id}-name`}>{t.name}</label>
            <input id={`${id}-name`} value={name} dir="auto" placeholder={DEFAULT_BOT_NAME} onChange={(event) => set({ name: event.target.value })} {...invalid('name')} />
            {fieldError('name')}
          </div>
          <div className="field">
            <label htmlFor={`${id}-brand`}>{t.brandName}</label>
            <input
              id={`${id}-brand`}
              value={brandName}
              dir="auto"
              placeholder={channel.name}
              onChange={(event) => set({ brandName: event.target.value })}
              {...(errorField === 'brandName' ? invalid('brandName') : { 'aria-describedby': `${id}-brand-hint` })}
            />
            <p id={`${id}-brand-hint`} className="field-hint">
              {t.brandNameHint}
            </p>
            {fieldError('brandName')}
          </div>
          <div className="field">
            <label htmlFor={`${id}-reach`}>{t.reach}</label>
            <input
              id={`${id}-reach`}
              type="number"
              min={0}
              step={1}
              inputMode="numeric"
              value={reach}
              placeholder={String(DEFAULT_BOT_HANDOFF_REACH)}
              onChange={(event) => set({ reach: event.target.value })}
              {...(errorField === 'handoffReach' ? invalid('handoffReach') : { 'aria-describedby': `${id}-reach-hint` })}
            />
            <p id={`${id}-reach-hint`} className="field-hint">
              {t.reachHint(compactNumber(DEFAULT_BOT_HANDOFF_REACH))}
            </p>
            {fieldError('handoffReach')}
          </div>
          {canEdit && (
            <button type="submit" className="button primary-inline" disabled={save.isPending} aria-label={`${t.save}: ${t.legend(channel.name)}`}>
              {save.isPending ? t.saving : t.save}
            </button>
          )}
        </div>
        <p className="channel-bot-saved" role="status">
          {save.isSuccess && !save.isPending ? t.saved(channel.name) : ''}
        </p>
        {errorField === 'other' && (
          <p className="form-error" role="alert">
            {t.failed(message)}
          </p>
        )}
      </fieldset>
    </form>
  );
}
