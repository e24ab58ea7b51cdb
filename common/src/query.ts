import { z } from 'zod';

/**
 * The query of a GET that takes none. Every query schema of the API is strict: express
 * hands `?cursor[$gt]=x` over as the literal key "cursor[$gt]", and a key an endpoint does
 * not know (a typo, an operator) is refused with 400 naming it rather than ignored.
 */
export const noQuerySchema = z.object({}).strict();

/**
 * GET /api/contacts/:id/avatar: `identity` ("<kind>:<platform id>") picks one identity's
 * picture; without it, the contact's own. The presenters hand these paths out.
 */
export const avatarQuerySchema = z.object({ identity: z.string().min(3).max(500).optional() }).strict();
