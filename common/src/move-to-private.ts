import { z } from 'zod';
import { objectIdSchema } from './users';

/**
 * Public, then private (POST /api/tickets/:id/move-to-private): a short public
 * acknowledgement in the thread the customer wrote in, then the private path on the same
 * platform (an X direct message, a Facebook or Instagram private reply to the comment).
 */

/**
 * ack_sent: the public acknowledgement is on its way or out, the private message waits for it;
 * awaiting_customer: the private message is sent, no answer yet; private: the customer wrote
 * privately; failed: the private path could not open (reason says why).
 */
export const moveToPrivateStateSchema = z.enum(['ack_sent', 'awaiting_customer', 'private', 'failed']);
export type MoveToPrivateState = z.infer<typeof moveToPrivateStateSchema>;

/** Who started the move: a person, an automation rule, a policy or Parley itself. */
export const moveStarterSchema = z.object({
  kind: z.enum(['user', 'rule', 'policy', 'system', 'bot']),
  id: objectIdSchema.nullable(),
  name: z.string(),
});
export type MoveStarter = z.infer<typeof moveStarterSchema>;

export const moveToPrivateSchema = z.object({
  state: moveToPrivateStateSchema,
  /** The public acknowledgement (or, when the private path was known closed, the public invitation). */
  publicMessageId: objectIdSchema,
  /** The private message; null when the private path was known closed and the invitation went instead. */
  privateMessageId: objectIdSchema.nullable(),
  /** The public invitation to write privately, posted when the private path could not open. */
  invitationMessageId: objectIdSchema.nullable(),
  startedAt: z.iso.datetime(),
  startedBy: moveStarterSchema,
  /** Why the move failed, in plain words (null unless it did). */
  reason: z.string().nullable(),
});
export type MoveToPrivate = z.infer<typeof moveToPrivateSchema>;

const replyText = z.string().trim().min(1, 'must not be empty').max(10_000);

export const moveToPrivateInputSchema = z
  .object({
    /** The short public acknowledgement: no personal data. */
    publicText: replyText,
    /** The first private message. */
    privateText: replyText,
    /** The public customer message answered; the latest one by default. */
    replyToMessageId: objectIdSchema.optional(),
    /**
     * "invite": when the private path is known to be closed (a 409 otherwise), post the
     * channel's invitation to write privately as the public reply instead.
     */
    fallback: z.literal('invite').optional(),
    /** The confirmKeys of the guardrail warnings on publicText the agent looked at and accepts (as for any public reply). */
    confirm: z.array(z.string().min(1).max(300)).max(50).optional(),
  })
  .strict();
export type MoveToPrivateInput = z.infer<typeof moveToPrivateInputSchema>;

/** Why a move cannot start (the `reason` of its 409). */
export const moveRefusalSchema = z.enum([
  'no_public_message',
  'no_private_path',
  'under_way',
  'already_private',
  'no_recipient',
  'private_reply_used',
  'too_old',
  'deleted',
  'not_supported',
  'open_private_ticket',
  'channel_unavailable',
]);
export type MoveRefusal = z.infer<typeof moveRefusalSchema>;

/** The 409 of a move that cannot start: the usual error, with the reason and, where it helps, the invitation to send instead. */
export const moveConflictBodySchema = z.object({
  error: z.object({
    code: z.literal('conflict'),
    message: z.string(),
    field: z.string().optional(),
    reason: moveRefusalSchema,
    /** The public invitation to write privately that `fallback: "invite"` would post. */
    invitation: z.string().optional(),
    /** The customer's open private conversation (open_private_ticket). */
    ticketId: objectIdSchema.optional(),
    ticketNumber: z.number().int().positive().optional(),
  }),
});
export type MoveConflictBody = z.infer<typeof moveConflictBodySchema>;

// ---- the invitation to write privately -------------------------------------------------

export const privateInviteLanguages = ['en', 'es', 'fr'] as const;
export type PrivateInviteLanguage = (typeof privateInviteLanguages)[number];

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
const KNOWN_PLACEHOLDERS = new Set(['first_name', 'link']);

const privateInviteTextSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(1_000)
  .superRefine((text, context) => {
    for (const match of text.matchAll(PLACEHOLDER)) {
      if (!KNOWN_PLACEHOLDERS.has(match[1] ?? '')) {
        context.addIssue({ code: 'custom', message: `uses ${match[0]}; only {{first_name}} and {{link}} are filled in` });
        return;
      }
    }
  });

/** A channel's invitations to write privately, per language (channel settings.privateInvite). */
export const privateInviteSettingsSchema = z.strictObject({
  en: privateInviteTextSchema.optional(),
  es: privateInviteTextSchema.optional(),
  fr: privateInviteTextSchema.optional(),
});
export type PrivateInviteSettings = z.infer<typeof privateInviteSettingsSchema>;

/** What a channel without its own text says: with the platform's link where it has one, else without. */
export const defaultPrivateInvites: Record<PrivateInviteLanguage, { withLink: string; withoutLink: string }> = {
  en: {
    withLink: 'Hi {{first_name}}, we would like to help with this in private, where your details stay safe. Please send us a direct message: {{link}}',
    withoutLink: 'Hi {{first_name}}, we would like to help with this in private, where your details stay safe. Please send us a direct message.',
  },
  es: {
    withLink: 'Hola {{first_name}}, queremos ayudarte en privado, donde tus datos están seguros. Envíanos un mensaje directo: {{link}}',
    withoutLink: 'Hola {{first_name}}, queremos ayudarte en privado, donde tus datos están seguros. Envíanos un mensaje directo.',
  },
  fr: {
    withLink: 'Bonjour {{first_name}}, nous voulons vous aider en privé, là où vos données restent protégées. Écrivez-nous en message privé : {{link}}',
    withoutLink: 'Bonjour {{first_name}}, nous voulons vous aider en privé, là où vos données restent protégées. Écrivez-nous en message privé.',
  },
};

/** The invitation language of a message's language tag ("es", "es-MX", "fr_CA"): English unless Spanish or French. */
export function inviteLanguageOf(language: string | null | undefined): PrivateInviteLanguage {
  const primary = (language ?? '').toLowerCase().split(/[-_]/)[0];
  return primary === 'es' || primary === 'fr' ? primary : 'en';
}

/**
 * The invitation as the customer reads it: the channel's text for the language (else the
 * default), {{first_name}} and {{link}} filled in. A text without {{link}} gets the link at
 * its end; without a link (a channel whose platform has none) the placeholder goes.
 */
export function renderPrivateInvite(
  settings: PrivateInviteSettings | undefined,
  language: PrivateInviteLanguage,
  { firstName, link }: { firstName: string; link: string | null },
): string {
  const own = settings?.[language];
  let template = own ?? (link ? defaultPrivateInvites[language].withLink : defaultPrivateInvites[language].withoutLink);
  if (own && link && !/\{\{\s*link\s*\}\}/.test(own)) template = `${own} {{link}}`;
  return template
    .replace(PLACEHOLDER, (_match, name: string) => (name === 'first_name' ? firstName : (link ?? '')))
    .replace(/[ \t]+,/g, ',')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}
