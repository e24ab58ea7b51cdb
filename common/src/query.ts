import { z } from 'zod';

/**
 * The query of a GET that takes none. Every query schema of the API is strict: express
 * hands `?cursor[$gt]=x` over as the literal key "cursor[$gt]", and a key an endpoint does
 * not know (a typo, an operator) is refused with 400 naming it rather than ignored.
 */
export const noQuerySchema = z.object({}).strict();
