import { guardrailSettingsSchema, type GlobalGuardrails, type GuardrailSettings } from '@parley/common';
import type { Logger } from '../logger';
import type { UserDoc } from '../users/user.model';
import { BRAND_GUARDRAILS_ID, GuardrailSettings as GuardrailSettingsModel, type GuardrailSettingsDoc } from './guardrail-settings.model';

const emptySettings = (): GuardrailSettings => guardrailSettingsSchema.parse({});

/** The stored document as settings: what an older or hand-edited document lacks is left out. */
function settingsOf(doc: GuardrailSettingsDoc | null): GuardrailSettings {
  if (!doc) return emptySettings();
  return {
    referencePatterns: doc.referencePatterns ?? [],
    blocklist: (doc.blocklist ?? []).map(({ phrase, action }) => ({ phrase, action })),
    ...(doc.mentions ? { mentions: doc.mentions } : {}),
    allowedMentions: doc.allowedMentions ?? [],
    allowedLinkDomains: doc.allowedLinkDomains ?? [],
    ...(doc.links ? { links: doc.links } : {}),
  };
}

let recentlyRead: { settings: GuardrailSettings; at: number } | undefined;

/**
 * The brand's guardrails, read at most every few seconds per process: every public reply
 * (and every composer opening a ticket) needs them, and they change rarely. A save reaches
 * other processes within maxAgeMs; the saving process sees it at once.
 */
export async function brandGuardrails(maxAgeMs = 5_000): Promise<GuardrailSettings> {
  if (recentlyRead && Date.now() - recentlyRead.at < maxAgeMs) return recentlyRead.settings;
  const settings = settingsOf(await GuardrailSettingsModel.findById(BRAND_GUARDRAILS_ID).lean<GuardrailSettingsDoc>());
  recentlyRead = { settings, at: Date.now() };
  return settings;
}

export function presentBrandGuardrails(doc: GuardrailSettingsDoc | null): GlobalGuardrails {
  return { settings: settingsOf(doc), updatedAt: doc?.updatedAt.toISOString() ?? null, updatedBy: doc?.updatedByName ?? null };
}

export async function readBrandGuardrails(): Promise<GlobalGuardrails> {
  return presentBrandGuardrails(await GuardrailSettingsModel.findById(BRAND_GUARDRAILS_ID).lean<GuardrailSettingsDoc>());
}

/** Replaces the brand's guardrails as a whole (the input is already validated); the last save wins. */
export async function saveBrandGuardrails(settings: GuardrailSettings, by: UserDoc, log: Logger): Promise<GlobalGuardrails> {
  // Every field is written, so the document is the settings as saved, whoever saved before.
  await GuardrailSettingsModel.updateOne(
    { _id: BRAND_GUARDRAILS_ID },
    {
      $set: {
      referencePatterns: settings.referencePatterns,
      blocklist: settings.blocklist,
      mentions: settings.mentions ?? null,
      allowedMentions: settings.allowedMentions,
      allowedLinkDomains: settings.allowedLinkDomains,
      links: settings.links ?? null,
      updatedById: by._id,
      updatedByName: by.name,
      },
    },
    { upsert: true },
  );
  recentlyRead = undefined;
  log.info(
    { by: by._id.toHexString(), referencePatterns: settings.referencePatterns.length, blocklist: settings.blocklist.length, allowedLinkDomains: settings.allowedLinkDomains.length },
    'brand guardrails saved',
  );
  return readBrandGuardrails();
}

/** Forgets what this process read (tests change the settings under it). */
export function forgetBrandGuardrails(): void {
  recentlyRead = undefined;
}
