import { compileKeyword, triageSettingsSchema, type CompiledKeyword, type TriageKeyword, type TriageSettings, type TriageSettingsResponse } from '@parley/common';
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

let recentlyRead: { loaded: LoadedTriageSettings; at: number } | undefined;

/**
 * The brand's triage settings, read at most every few seconds per process: every customer
 * message needs them, so they cost no database command per message. A save reaches other
 * processes within maxAgeMs; the saving process sees it at once.
 */
export async function brandTriage(maxAgeMs = 5_000): Promise<LoadedTriageSettings> {
  if (recentlyRead && Date.now() - recentlyRead.at < maxAgeMs) return recentlyRead.loaded;
  const settings = settingsOf(await TriageSettingsModel.findById(BRAND_TRIAGE_ID).lean<TriageSettingsDoc>());
  const loaded = { settings, keywords: settings.keywords.map((keyword) => ({ keyword, compiled: compileKeyword(keyword.term) })) };
  recentlyRead = { loaded, at: Date.now() };
  return loaded;
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
  recentlyRead = undefined;
  log.info({ by: by._id.toHexString(), keywords: settings.keywords.length, storm: settings.storm }, 'triage settings saved');
  return readBrandTriage();
}

/** Forgets what this process read (tests change the settings under it). */
export function forgetBrandTriage(): void {
  recentlyRead = undefined;
}
