import { plainText } from './customer-data.validators';

/**
 * A message that only says hello ("Hi!", "Hola, buenas", "Bonjour") asks nothing: the bot greets
 * back and asks how it can help, without counting a misunderstanding.
 */
const GREETING_ONLY =
  /^(?:(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening)|hola|buenas|buenos dias|buenas tardes|buenas noches|bonjour|bonsoir|salut|coucou|allo)(?: there| a todos| a tous)?\s*)+$/u;

export const isGreetingOnly = (said: string): boolean => GREETING_ONLY.test(plainText(said));
