import EmojiPicker, { Categories, EmojiStyle, SkinTonePickerLocation, SuggestionMode, Theme, type CategoryConfig } from 'emoji-picker-react';
import { strings } from '../i18n/strings';

// Loaded with React.lazy only when an agent opens the picker: the library and its English emoji data
// (bundled, never fetched from a CDN) stay out of the inbox's first paint.

const order = [
  Categories.SUGGESTED,
  Categories.SMILEYS_PEOPLE,
  Categories.ANIMALS_NATURE,
  Categories.FOOD_DRINK,
  Categories.TRAVEL_PLACES,
  Categories.ACTIVITIES,
  Categories.OBJECTS,
  Categories.SYMBOLS,
  Categories.FLAGS,
] as const;
const categories: CategoryConfig[] = order.map((category) => ({ category, name: strings.composer.emojiCategories[category] }));

interface ComposerEmojiPickerProps {
  onPick: (emoji: string) => void;
}

/** The full emoji set, searchable by name and keyword, recently used first, with skin tones and keyboard navigation. */
export default function ComposerEmojiPicker({ onPick }: ComposerEmojiPickerProps) {
  return (
    <EmojiPicker
      className="composer-emoji-picker"
      // Native glyphs: the image styles would load sprites from jsDelivr, which the CSP forbids.
      emojiStyle={EmojiStyle.NATIVE}
      colorScheme={Theme.LIGHT}
      suggestedEmojisMode={SuggestionMode.RECENT}
      categories={categories}
      autoFocusSearch
      skinTonePickerLocation={SkinTonePickerLocation.SEARCH}
      previewConfig={{ showPreview: false }}
      labels={strings.composer.emojiPicker}
      width="100%"
      height={360}
      onEmojiClick={(data) => onPick(data.emoji)}
    />
  );
}
