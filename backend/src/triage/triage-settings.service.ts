import { compileKeyword, containsKeyword, searchableText, triageSettingsSchema, type CompiledKeyword, type TriageKeyword, type TriageSettings, type TriageSettingsResponse } from '@parley/common';
import { readAtMostEvery } from '../lib/read-at-most-every';
import type { Logger } from '../logger';
import type { UserDoc } from '../users/user.model';
import { BRAND_TRIAGE_ID, TriageSettingsModel, type TriageSettingsDoc } from './triage-settings.model';

/** The stored document as settings; the defaults where it says nothing (or was never saved). */
function settingsOf(doc: TriageSettingsDoc | null): TriageSettings {
  if (!doc) return triageSettingsSchema.parse({});
  const storm = Object.fromEntries(Object.entries(doc.storm ?? {}).filter(([, value]) => typeof value === 'number'));
  return triageSettingsSchema.parse({ keywords: (doc.keywords ?? []).map(({ term, level }) => ({ term, level })), storm });
}

/** Settings with their keywords compiled once, for every message read until the next reload. */
export interface LoadedTriageSettings {
  settings: TriageSettings;
  keywords: Array<{ keyword: TriageKeyword; compiled: CompiledKeyword }>;
}

/**
 * The brand's triage settings, read at most every 5 seconds per process: every customer
 * message needs them, so they cost no database command per message. A save reaches other
 * processes within those seconds; the saving process sees it at once.
 */
const recentlyRead = readAtMostEvery(5_000, async (): Promise<LoadedTriageSettings> => {
  const settings = settingsOf(await TriageSettingsModel.findById(BRAND_TRIAGE_ID).lean<TriageSettingsDoc>());
  return { settings, keywords: settings.keywords.map((keyword) => ({ keyword, compiled: compileKeyword(keyword.term) })) };
});

export const brandTriage = (): Promise<LoadedTriageSettings> => recentlyRead.read();

/** The admin keywords a text holds (its first 5,000 characters), from the cached settings. */
export async function keywordsIn(text: string): Promise<TriageKeyword[]> {
  const { keywords } = await brandTriage();
  const searchable = searchableText(text.slice(0, 5_000));
  return keywords.filter(({ compiled }) => containsKeyword(searchable, compiled)).map(({ keyword }) => keyword);
}

export async function readBrandTriage(): Promise<TriageSettingsResponse> {
  const doc = await TriageSettingsModel.findById(BRAND_TRIAGE_ID).lean<TriageSettingsDoc>();
  return { settings: settingsOf(doc), updatedAt: doc?.updatedAt.toISOString() ?? null, updatedBy: doc?.updatedByName ?? null };
}

/** Replaces the settings as a whole (validated already): the last save wins. */
export async function saveBrandTriage(settings: TriageSettings, by: UserDoc, log: Logger): Promise<TriageSettingsResponse> {
  await TriageSettingsModel.updateOne(
    { _id: BRAND_TRIAGE_ID },
    { $set: { keywords: settings.keywords, storm: settings.storm, updatedById: by._id, updatedByName: by.name } },
    { upsert: true },
  );
  recentlyRead.forget();
  log.info({ by: by._id.toHexString(), keywords: settings.keywords.length, storm: settings.storm }, 'triage settings saved');
  return readBrandTriage();
}

/** Forgets what this process read (tests change the settings under it). */
export function forgetBrandTriage(): void {
  recentlyRead.forget();
}
