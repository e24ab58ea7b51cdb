import { guardrailSettingsSchema, type GlobalGuardrails, type GuardrailSettings } from '@parley/common';
import { readAtMostEvery } from '../lib/read-at-most-every';
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

/**
 * The brand's guardrails, read at most every 5 seconds per process: every public reply (and
 * every composer opening a ticket) needs them, and they change rarely. A save reaches other
 * processes within those seconds; the saving process sees it at once.
 */
const recentlyRead = readAtMostEvery(5_000, async () => settingsOf(await GuardrailSettingsModel.findById(BRAND_GUARDRAILS_ID).lean<GuardrailSettingsDoc>()));

export const brandGuardrails = (): Promise<GuardrailSettings> => recentlyRead.read();

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
  recentlyRead.forget();
  log.info(
    { by: by._id.toHexString(), referencePatterns: settings.referencePatterns.length, blocklist: settings.blocklist.length, allowedLinkDomains: settings.allowedLinkDomains.length },
    'brand guardrails saved',
  );
  return readBrandGuardrails();
}

/** Forgets what this process read (tests change the settings under it). */
export function forgetBrandGuardrails(): void {
  recentlyRead.forget();
}
