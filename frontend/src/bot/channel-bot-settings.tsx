import { useId, useState } from 'react';
import { botChannelSettingsSchema, DEFAULT_BOT_HANDOFF_REACH, DEFAULT_BOT_NAME, type BotChannelSettings, type BotMode, type Channel } from '@parley/common';
import { useSaveChannelBot } from '../api/bot.queries';
import { ApiError } from '../api/client';
import { ChannelIcon } from '../components/channel-icon';
import { compactNumber } from '../inbox/format';
import { botStrings } from './bot.strings';

const t = botStrings.channel;
const modes: BotMode[] = ['off', 'after_hours', 'always_first'];
type Field = 'mode' | 'name' | 'brandName' | 'handoffReach';

/** The channel's bot setting as stored; anything unreadable counts as off. */
export function botSettingsOf(channel: Pick<Channel, 'settings'>): BotChannelSettings {
  const parsed = botChannelSettingsSchema.safeParse(channel.settings.bot ?? {});
  return parsed.success ? parsed.data : { mode: 'off' };
}

/** The field of settings.bot a 400 names ("settings.bot.name" → name), or undefined for any other. */
function fieldOf(error: unknown): Field | 'other' | undefined {
  if (!error) return undefined;
  const field = error instanceof ApiError ? error.field : undefined;
  const match = /^settings\.bot\.(mode|name|brandName|handoffReach)(\.|$)/.exec(field ?? '');
  return (match?.[1] as Field | undefined) ?? 'other';
}

/** One channel's bot: when it answers, the name it signs with, and the reach from which it hands over at once. */
export function ChannelBotForm({ channel, canEdit }: { channel: Channel; canEdit: boolean }) {
  const id = useId();
  const stored = botSettingsOf(channel);
  const save = useSaveChannelBot();
  const [mode, setMode] = useState<BotMode>(stored.mode);
  const [name, setName] = useState(stored.name ?? '');
  const [brandName, setBrandName] = useState(stored.brandName ?? '');
  const [reach, setReach] = useState(stored.handoffReach === undefined ? '' : String(stored.handoffReach));
  const errorField = fieldOf(save.error);
  const message = save.error instanceof Error ? save.error.message : '';

  const fieldError = (field: Field) =>
    errorField === field ? (
      <p id={`${id}-${field}-error`} className="field-error">
        {message}
      </p>
    ) : null;
  const invalid = (field: Field) => (errorField === field ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-${field}-error` } : {});

  const submit = () => {
    // What this form does not show (the business hours) is kept; what it leaves empty is left out, so the defaults apply.
    const { name: _name, brandName: _brandName, handoffReach: _handoffReach, ...kept } = stored;
    const bot: BotChannelSettings = {
      ...kept,
      mode,
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(brandName.trim() ? { brandName: brandName.trim() } : {}),
      ...(reach.trim() ? { handoffReach: Number(reach) } : {}),
    };
    save.mutate({ channel, bot });
  };

  return (
    <form
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
            <select id={`${id}-mode`} value={mode} onChange={(event) => setMode(event.target.value as BotMode)} {...invalid('mode')}>
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
            <input id={`${id}-name`} value={name} dir="auto" placeholder={DEFAULT_BOT_NAME} onChange={(event) => setName(event.target.value)} {...invalid('name')} />
            {fieldError('name')}
          </div>
          <div className="field">
            <label htmlFor={`${id}-brand`}>{t.brandName}</label>
            <input
              id={`${id}-brand`}
              value={brandName}
              dir="auto"
              placeholder={channel.name}
              onChange={(event) => setBrandName(event.target.value)}
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
              onChange={(event) => setReach(event.target.value)}
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
