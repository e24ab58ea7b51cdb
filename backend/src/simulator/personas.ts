import type { SimulatorEvent } from '@parley/common';

/**
 * The simulated customers. Ids, handles, names and avatars are fixed (not drawn from the
 * seed), so a customer who writes again, in this run or the next, is the same contact.
 */

export type Platform = 'x' | 'facebook' | 'instagram';
export type Lang = 'en' | 'es' | 'fr' | 'ar' | 'he';

export interface Persona {
  id: string;
  handle: string;
  name: string;
  lang: Lang;
  /** Where this person usually writes (the simulator channel imitating it). */
  platform: Platform;
  followers: number;
  verified: boolean;
  avatar: string;
  /** How often this person is picked, relative to the others of the pool. */
  weight: number;
}

const avatarOf = (handle: string) => `https://api.dicebear.com/9.x/personas/svg?seed=${encodeURIComponent(handle)}`;

type Row = [handle: string, name: string, lang: Lang, platform: Platform, followers: number, weight?: number];

function pool(prefix: string, rows: Row[], verified: boolean): Persona[] {
  return rows.map(([handle, name, lang, platform, followers, weight = 1], index) => ({
    id: `${prefix}-${String(index + 1).padStart(3, '0')}`,
    handle,
    name,
    lang,
    platform,
    followers,
    verified,
    avatar: avatarOf(handle),
    weight,
  }));
}

/** Ordinary customers: a few dozen, so repeat customers are common. */
export const customers: readonly Persona[] = pool(
  'simcust',
  [
    ['maya_t', 'Maya Thompson', 'en', 'x', 412],
    ['jordanellis', 'Jordan Ellis', 'en', 'x', 1_280],
    ['priya.n', 'Priya Natarajan', 'en', 'instagram', 2_310],
    ['tombecker82', 'Tom Becker', 'en', 'facebook', 96],
    ['grace_okafor', 'Grace Okafor', 'en', 'x', 733],
    ['liam.oconnor', "Liam O'Connor", 'en', 'facebook', 158],
    ['hannahkim', 'Hannah Kim', 'en', 'instagram', 4_760],
    ['marcusreid', 'Marcus Reid', 'en', 'x', 57],
    ['chloe_bennett', 'Chloe Bennett', 'en', 'instagram', 1_045],
    ['dan_wright', 'Daniel Wright', 'en', 'facebook', 212],
    ['aisha.rahman', 'Aisha Rahman', 'en', 'x', 3_390],
    ['bencarter_', 'Ben Carter', 'en', 'x', 88],
    ['olivia.m', 'Olivia Martin', 'en', 'facebook', 340],
    ['sampatel', 'Sam Patel', 'en', 'instagram', 615],
    ['rachel_green_uk', 'Rachel Green', 'en', 'x', 29],
    ['kwame.a', 'Kwame Asante', 'en', 'facebook', 471],
    ['emily_nguyen', 'Emily Nguyen', 'en', 'instagram', 1_902],
    ['joe_fitz', 'Joe Fitzgerald', 'en', 'x', 144],
    ['lucia.fdez', 'Lucía Fernández', 'es', 'instagram', 1_530],
    ['javimorales', 'Javier Morales', 'es', 'x', 268],
    ['camirojas', 'Camila Rojas', 'es', 'facebook', 390],
    ['diego_herrera', 'Diego Herrera', 'es', 'x', 77],
    ['vale.castro', 'Valentina Castro', 'es', 'instagram', 2_880],
    ['andres.gomez', 'Andrés Gómez', 'es', 'facebook', 131],
    ['sofia_nav', 'Sofía Navarro', 'es', 'x', 605],
    ['camille.lfv', 'Camille Lefèvre', 'fr', 'instagram', 1_210],
    ['julienmoreau', 'Julien Moreau', 'fr', 'x', 342],
    ['lea_dubois', 'Léa Dubois', 'fr', 'facebook', 187],
    ['thomas.girard', 'Thomas Girard', 'fr', 'x', 64],
    ['ines.benali', 'Inès Benali', 'fr', 'instagram', 2_045],
    ['hugo_lambert', 'Hugo Lambert', 'fr', 'facebook', 99],
    ['manon.rsso', 'Manon Rousseau', 'fr', 'x', 458],
    // Right-to-left customers, now and then.
    ['omar.haddad', 'عمر حداد', 'ar', 'x', 820, 0.6],
    ['layla_mansour', 'ليلى منصور', 'ar', 'instagram', 1_370, 0.6],
    ['noa.levi', 'נועה לוי', 'he', 'facebook', 265, 0.6],
  ],
  false,
);

/** A few verified authors with a large audience: their complaints matter. */
export const influencers: readonly Persona[] = pool(
  'siminfl',
  [
    ['techunboxed', 'Tech Unboxed', 'en', 'x', 2_400_000],
    ['danabrooks', 'Dana Brooks', 'en', 'instagram', 185_000],
    ['nina.eats', 'Nina Park', 'en', 'facebook', 118_000],
    ['ricovega', 'Rico Vega', 'en', 'x', 24_600_000],
    ['martaviaja', 'Marta Viaja', 'es', 'instagram', 860_000],
    ['legeekpresse', 'Le Geek Pressé', 'fr', 'x', 1_300_000],
  ],
  true,
);

/**
 * Loyal fans: they praise the brand in public, answer for it when others complain, and share
 * its posts — the ambassadors triage should find.
 */
export const fans: readonly Persona[] = pool(
  'simfan',
  [
    ['acme_addict', 'Riley Summers', 'en', 'x', 8_900],
    ['fan.de.acme', 'Élodie Marchand', 'fr', 'instagram', 3_400],
    ['siempreacme', 'Pablo Ruiz', 'es', 'x', 12_700],
  ],
  false,
);

const everyone = new Map([...customers, ...influencers, ...fans].map((persona) => [persona.id, persona]));

export function personaById(id: string): Persona | undefined {
  return everyone.get(id);
}

/** The author block of a simulator event written by this persona. */
export const authorOf = (persona: Persona): SimulatorEvent['author'] => ({
  id: persona.id,
  handle: persona.handle,
  name: persona.name,
  followers: persona.followers,
  verified: persona.verified,
  avatar: persona.avatar,
});
