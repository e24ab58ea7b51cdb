import { useEffect, useId, useState } from 'react';
import { checkPublicReply, mergeGuardrailSettings, storedGuardrailSettingsSchema, type Channel, type GuardrailSettings } from '@parley/common';
import { ApiError } from '../api/client';
import { useBrandGuardrails, useSaveBrandGuardrails, useSaveChannelGuardrails } from '../api/guardrails.queries';
import { useChannels } from '../api/tickets.queries';
import { strings } from '../i18n/strings';
import { FindingsList, highlighted } from '../inbox/guardrail-findings';
import { GuardrailSettingsEditor, checkableSettings, draftOf, settingsOf, type GuardrailDraft } from './guardrail-settings-editor';

const t = strings.admin.guardrails;

function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.field ? `${error.field}: ${error.message}` : error.message;
  return error instanceof Error ? error.message : String(error);
}

function SaveRow({ pending, saved, error, onSave }: { pending: boolean; saved: boolean; error: unknown; onSave: () => void }) {
  return (
    <div className="save-row">
      <button type="button" className="button primary-inline" disabled={pending} onClick={onSave}>
        {pending ? t.saving : t.save}
      </button>
      <span role="status">{saved && !pending ? t.saved : ''}</span>
      {error !== null && error !== undefined && (
        <p className="form-error" role="alert">
          {t.saveFailed(errorText(error))}
        </p>
      )}
    </div>
  );
}

/** A sample reply checked as the composer would, with the settings on screen. */
function TryIt({ brand, channel }: { brand: Partial<GuardrailSettings>; channel: Partial<GuardrailSettings> | undefined }) {
  const id = useId();
  const [sample, setSample] = useState('Hi @kayjay, so sorry! Write to care@acme.com or call +33 6 12 34 56 78 about order #A1234.');
  const [language, setLanguage] = useState('en');
  const findings = checkPublicReply(sample, { settings: mergeGuardrailSettings(brand, channel), answeredHandles: ['kayjay'], language });
  return (
    <fieldset>
      <legend>{t.tryIt}</legend>
      <p className="muted">{t.tryItHint}</p>
      <label htmlFor={`${id}-sample`}>{t.tryItLabel}</label>
      <textarea id={`${id}-sample`} rows={3} value={sample} dir="auto" onChange={(event) => setSample(event.target.value)} />
      <select aria-label="Language" value={language} onChange={(event) => setLanguage(event.target.value)}>
        <option value="en">English</option>
        <option value="es">Español</option>
        <option value="fr">Français</option>
      </select>
      <div className="try-it-preview" dir="auto" data-testid="try-it-preview">
        {highlighted(sample, findings)}
      </div>
      {findings.length === 0 ? <p className="field-ok">{t.tryItClean}</p> : <FindingsList id={`${id}-findings`} findings={findings} />}
    </fieldset>
  );
}

const channelGuardrailsOf = (channel: Channel | undefined) => {
  const parsed = storedGuardrailSettingsSchema.safeParse(channel?.settings.guardrails ?? {});
  return parsed.success ? parsed.data : undefined;
};

/** Admin: the brand's guardrails and each channel's, with a box to try them on a sample reply. */
export function GuardrailsPage() {
  const brand = useBrandGuardrails();
  const channels = useChannels();
  const saveBrand = useSaveBrandGuardrails();
  const saveChannel = useSaveChannelGuardrails();
  const [brandDraft, setBrandDraft] = useState<GuardrailDraft>();
  const [channelId, setChannelId] = useState<string>();
  const [channelDraft, setChannelDraft] = useState<GuardrailDraft>();
  const channel = channels.data?.find((candidate) => candidate.id === channelId) ?? channels.data?.[0];

  useEffect(() => {
    if (brand.data && !brandDraft) setBrandDraft(draftOf(brand.data.settings));
  }, [brand.data, brandDraft]);
  // A new channel chosen (or its settings saved) starts its draft afresh.
  useEffect(() => {
    setChannelDraft(channel ? draftOf(channelGuardrailsOf(channel)) : undefined);
  }, [channel?.id, channel?.updatedAt]);
  const { reset: resetChannelSave } = saveChannel;
  useEffect(() => resetChannelSave(), [channel?.id, resetChannelSave]);

  if (brand.isPending || channels.isPending) return <p role="status">{strings.shell.loading}</p>;
  if (brand.isError || channels.isError) return <p role="alert">{strings.admin.loadFailed}</p>;
  const brandSettings = brandDraft ? checkableSettings(brandDraft) : brand.data.settings;

  return (
    <div className="admin-guardrails">
      <h2>{t.title}</h2>
      <p className="muted">{t.intro}</p>

      <section aria-labelledby="guardrails-brand">
        <h3 id="guardrails-brand">{t.brandTitle}</h3>
        <p className="muted">{t.brandIntro}</p>
        {brandDraft && (
          <>
            <GuardrailSettingsEditor draft={brandDraft} onChange={setBrandDraft} inheritLabel="Default (warn)" />
            <SaveRow pending={saveBrand.isPending} saved={saveBrand.isSuccess} error={saveBrand.error} onSave={() => saveBrand.mutate({ settings: settingsOf(brandDraft) })} />
          </>
        )}
      </section>

      <section aria-labelledby="guardrails-channel">
        <h3 id="guardrails-channel">{t.channelTitle}</h3>
        <p className="muted">{t.channelIntro}</p>
        {!channels.data || channels.data.length === 0 ? (
          <p>{t.noChannels}</p>
        ) : (
          <>
            <label>
              {t.channel}{' '}
              <select value={channel?.id} onChange={(event) => setChannelId(event.target.value)}>
                {channels.data.map((option) => (
                  <option key={option.id} value={option.id}>
                    {option.name} ({strings.channelKinds[option.kind]})
                  </option>
                ))}
              </select>
            </label>
            {channel && channelDraft && (
              <>
                <GuardrailSettingsEditor draft={channelDraft} onChange={setChannelDraft} inheritLabel={t.mentionsPolicies.inherit} />
                <SaveRow
                  pending={saveChannel.isPending}
                  saved={saveChannel.isSuccess}
                  error={saveChannel.error}
                  onSave={() => saveChannel.mutate({ channel, guardrails: settingsOf(channelDraft) })}
                />
              </>
            )}
          </>
        )}
      </section>

      <TryIt brand={brandSettings} channel={channelDraft ? checkableSettings(channelDraft) : undefined} />
    </div>
  );
}
