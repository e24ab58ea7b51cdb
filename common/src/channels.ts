import { z } from 'zod';

/** Every kind of channel Parley connects; the connector registry is typed by it. */
export const connectorKindSchema = z.enum(['x', 'facebook', 'instagram', 'webhook', 'simulator']);
export type ConnectorKind = z.infer<typeof connectorKindSchema>;

export const channelStatusSchema = z.enum(['active', 'disabled', 'needs_reauth']);
export type ChannelStatus = z.infer<typeof channelStatusSchema>;
