import type { ComposerMode } from './length-limit';

export interface Draft {
  text: string;
  mode: ComposerMode;
}

const key = (ticketId: string) => `parley.draft.${ticketId}`;

/** A reply being written, per ticket, kept in localStorage across navigation, reloads and failed sends. */
export function loadDraft(ticketId: string): Draft | undefined {
  try {
    const raw = localStorage.getItem(key(ticketId));
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Partial<Draft>;
    if (typeof parsed.text !== 'string') return undefined;
    const mode = parsed.mode === 'public' || parsed.mode === 'private' || parsed.mode === 'note' ? parsed.mode : 'public';
    return { text: parsed.text, mode };
  } catch {
    return undefined;
  }
}

export function saveDraft(ticketId: string, draft: Draft): void {
  try {
    if (draft.text === '') localStorage.removeItem(key(ticketId));
    else localStorage.setItem(key(ticketId), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the draft still lives in memory for this page.
  }
}

export function clearDraft(ticketId: string): void {
  try {
    localStorage.removeItem(key(ticketId));
  } catch {
    // ignore: nothing to clear
  }
}

/** The two texts of a move to private being written, kept like a reply's draft. */
export interface MoveDraft {
  publicText: string;
  privateText: string;
}

const moveKey = (ticketId: string) => `parley.moveDraft.${ticketId}`;

export function loadMoveDraft(ticketId: string): MoveDraft | undefined {
  try {
    const raw = localStorage.getItem(moveKey(ticketId));
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Partial<MoveDraft>;
    return typeof parsed.publicText === 'string' && typeof parsed.privateText === 'string' ? { publicText: parsed.publicText, privateText: parsed.privateText } : undefined;
  } catch {
    return undefined;
  }
}

export function saveMoveDraft(ticketId: string, draft: MoveDraft | undefined): void {
  try {
    if (!draft) localStorage.removeItem(moveKey(ticketId));
    else localStorage.setItem(moveKey(ticketId), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the texts still live in memory for this page.
  }
}
