/**
 * Emoji and emoticons as customers use them in care: keyed by the pictograph without its
 * variation selector or skin tone. 🙏 and 👏 lean positive but turn with sarcasm (👏🙃).
 */
export const EMOJI_VALENCE: Record<string, number> = {
  '😡': -3, '🤬': -3.5, '😠': -3, '😤': -2.5, '😩': -2.5, '😫': -2.5, '😒': -2, '🙄': -2, '😞': -2, '😔': -2,
  '😢': -2, '😭': -2.5, '💔': -2.5, '👎': -2.5, '🤦': -2, '😣': -2, '😖': -2, '😓': -1.5, '😕': -1.5, '🙁': -1.5,
  '☹': -2, '😑': -1.5, '😐': -0.5, '🤯': -1.5, '😱': -1.5, '💩': -2.5, '🤮': -3, '🤢': -2.5, '😬': -1, '⏳': -0.5,
  '😍': 3, '🥰': 3, '❤': 3, '💖': 3, '💕': 3, '💙': 2.5, '💚': 2.5, '💜': 2.5, '🧡': 2.5, '😊': 2.5, '😄': 2.5,
  '😃': 2.5, '😀': 2, '🙂': 1.5, '😁': 2.5, '😆': 2, '🤩': 3, '🥳': 3, '🎉': 2.5, '🙌': 2.5, '👍': 2, '👌': 2,
  '💪': 2, '🔥': 2, '⭐': 1.5, '🌟': 2, '✨': 1.5, '🙏': 1.5, '👏': 1.5, '😘': 2.5, '🤗': 2.5, '💯': 2, '🏆': 2,
  '😂': 0.5, '🤣': 0.5, '✅': 1, '🥲': -0.5,
};

/** Emoji that say the praise next to them is not meant (upside-down face, eye roll). */
export const SARCASM_EMOJI: ReadonlySet<string> = new Set(['🙃', '🙄']);

/** Emoticons written with punctuation, read before punctuation is dropped. */
export const EMOTICON_VALENCE: Record<string, number> = {
  ':)': 2, ':-)': 2, ':D': 2.5, ':-D': 2.5, ';)': 1.5, '<3': 3, ':(': -2, ':-(': -2, ":'(": -2.5, ':/': -1, ':-/': -1, '>:(': -3,
};
