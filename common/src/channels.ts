import { z } from 'zod';

/** Every kind of channel Parley connects; the connector registry is typed by it. */
// Kinds are added here as their connectors land (x, facebook, instagram, webhook: see the connectors issue).
export const connectorKindSchema = z.enum(['simulator']);
export type ConnectorKind = z.infer<typeof connectorKindSchema>;

export const channelStatusSchema = z.enum(['active', 'disabled', 'needs_reauth']);
export type ChannelStatus = z.infer<typeof channelStatusSchema>;
