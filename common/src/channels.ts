import { z } from 'zod';
import { guardrailSettingsSchema } from './guardrails.settings';
import { privateInviteSettingsSchema } from './move-to-private';
import { botChannelSettingsSchema } from './bot';

/** Every kind of channel Parley connects; the connector registry is typed by it. */
export const connectorKindSchema = z.enum(['simulator', 'x', 'facebook', 'instagram', 'webhook']);
export type ConnectorKind = z.infer<typeof connectorKindSchema>;

export const channelStatusSchema = z.enum(['active', 'disabled', 'needs_reauth']);
export type ChannelStatus = z.infer<typeof channelStatusSchema>;

const secret = z.string().trim().min(1);
const baseUrl = z.url({ protocol: /^https?$/ });
/** What this channel's public replies may not say (guardrails.settings.ts); on top of the brand's. */
const guardrails = guardrailSettingsSchema.optional();
/** When the chatbot answers on this channel (bot.ts). */
const bot = botChannelSettingsSchema.optional();

/**
 * What an admin sends to connect an account, one shape per kind (POST /api/channels).
 * Credentials are encrypted at rest and never returned; settings are returned as stored.
 */
export const xChannelInputSchema = z.strictObject({
  kind: z.literal('x'),
  name: z.string().trim().min(1).max(120),
  /** The brand account's numeric user id. */
  externalAccountId: z.string().regex(/^\d+$/, 'an X user id is numeric'),
  credentials: z.union([
    z.strictObject({ consumerKey: secret, consumerSecret: secret, accessToken: secret, accessTokenSecret: secret }),
    z.strictObject({ consumerSecret: secret, oauth2UserToken: secret, consumerKey: secret.optional() }),
  ]),
  settings: z
    .strictObject({
      apiBaseUrl: baseUrl.optional(),
      /** Poll mentions instead of (or besides) Account Activity webhooks. */
      pollMentions: z.boolean().optional(),
      pollIntervalSeconds: z.number().int().min(15).max(3600).optional(),
      /** Brand names and hashtags to listen for (recent search query terms). */
      listeningQuery: z.string().trim().min(1).max(512).optional(),
      guardrails,
      bot,
      /** The public invitation to write privately, per language, when a move to private cannot open the DM. */
      privateInvite: privateInviteSettingsSchema.optional(),
    })
    .default({}),
  teamId: z.string().optional(),
});

export const facebookChannelInputSchema = z.strictObject({
  kind: z.literal('facebook'),
  name: z.string().trim().min(1).max(120),
  /** The Facebook Page id. */
  externalAccountId: z.string().regex(/^\d+$/, 'a Page id is numeric'),
  credentials: z.strictObject({ appSecret: secret, pageAccessToken: secret, verifyToken: secret }),
  settings: z
    .strictObject({
      apiBaseUrl: baseUrl.optional(),
      /** Allow the HUMAN_AGENT tag (replies by people up to 7 days after the customer's last message). */
      humanAgentTag: z.boolean().optional(),
      guardrails,
      bot,
      privateInvite: privateInviteSettingsSchema.optional(),
    })
    .default({}),
  teamId: z.string().optional(),
});

export const instagramChannelInputSchema = z.strictObject({
  kind: z.literal('instagram'),
  name: z.string().trim().min(1).max(120),
  /** The Instagram professional (business) account id. */
  externalAccountId: z.string().regex(/^\d+$/, 'an Instagram account id is numeric'),
  credentials: z.strictObject({ appSecret: secret, accessToken: secret, verifyToken: secret }),
  settings: z.strictObject({
    apiBaseUrl: baseUrl.optional(),
    /** The Facebook Page linked to the Instagram account. */
    pageId: z.string().regex(/^\d+$/, 'a Page id is numeric'),
    humanAgentTag: z.boolean().optional(),
    guardrails,
    bot,
    /** The account's username, for the ig.me link that invites a customer to write privately. */
    username: z.string().regex(/^[A-Za-z0-9._]{1,30}$/, 'an Instagram username has 1–30 letters, digits, periods or underscores').optional(),
    privateInvite: privateInviteSettingsSchema.optional(),
  }),
  teamId: z.string().optional(),
});

export const webhookChannelInputSchema = z.strictObject({
  kind: z.literal('webhook'),
  name: z.string().trim().min(1).max(120),
  /** Any stable name for the account on the other side; generated when missing. */
  externalAccountId: z.string().trim().min(1).max(200).optional(),
  credentials: z.strictObject({ secret: z.string().min(16, 'use a secret of at least 16 characters') }),
  settings: z.strictObject({ callbackUrl: baseUrl, guardrails, bot }),
  teamId: z.string().optional(),
});

export const simulatorChannelInputSchema = z.strictObject({
  kind: z.literal('simulator'),
  name: z.string().trim().min(1).max(120),
  externalAccountId: z.string().trim().min(1).max(200).optional(),
  credentials: z.strictObject({ secret: z.string().min(16, 'use a secret of at least 16 characters') }),
  settings: z
    .strictObject({
      /** The platform the simulated traffic imitates (for icons and length limits). */
      imitates: z.enum(['x', 'facebook', 'instagram']).optional(),
      guardrails,
      bot,
      privateInvite: privateInviteSettingsSchema.optional(),
    })
    .default({}),
  teamId: z.string().optional(),
});

export const channelInputSchema = z.discriminatedUnion('kind', [
  xChannelInputSchema,
  facebookChannelInputSchema,
  instagramChannelInputSchema,
  webhookChannelInputSchema,
  simulatorChannelInputSchema,
]);
export type ChannelInput = z.infer<typeof channelInputSchema>;

/** A channel as the API returns it: never its credentials. */
export const channelSchema = z.object({
  id: z.string(),
  kind: connectorKindSchema,
  name: z.string(),
  externalAccountId: z.string(),
  status: channelStatusSchema,
  statusReason: z.string().nullable(),
  settings: z.record(z.string(), z.unknown()),
  teamId: z.string().nullable(),
  /** Where the platform must deliver webhooks for this channel. */
  webhookUrl: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Channel = z.infer<typeof channelSchema>;
