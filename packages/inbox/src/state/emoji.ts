/** The emoji picker's set: about a hundred common ones, each with the name screen readers say. */
export const EMOJI: readonly (readonly [emoji: string, name: string])[] = [
  ["😀", "grinning"],
  ["😃", "smiley"],
  ["😄", "smile"],
  ["😁", "grin"],
  ["😆", "laughing"],
  ["😅", "sweat smile"],
  ["😂", "joy"],
  ["🙂", "slightly smiling"],
  ["😉", "wink"],
  ["😊", "blush"],
  ["😇", "innocent"],
  ["🥰", "smiling with hearts"],
  ["😍", "heart eyes"],
  ["🤩", "star struck"],
  ["😘", "kiss"],
  ["😋", "yum"],
  ["😛", "tongue"],
  ["😜", "winking tongue"],
  ["🤪", "zany"],
  ["🤗", "hugging"],
  ["🤔", "thinking"],
  ["🤨", "raised eyebrow"],
  ["😐", "neutral"],
  ["😑", "expressionless"],
  ["😶", "no mouth"],
  ["🙄", "eye roll"],
  ["😏", "smirk"],
  ["😌", "relieved"],
  ["😔", "pensive"],
  ["😴", "sleeping"],
  ["😷", "mask"],
  ["🤒", "thermometer face"],
  ["🤯", "mind blown"],
  ["🥳", "partying"],
  ["😎", "sunglasses"],
  ["🤓", "nerd"],
  ["😕", "confused"],
  ["😟", "worried"],
  ["🙁", "frowning"],
  ["😮", "open mouth"],
  ["😲", "astonished"],
  ["😳", "flushed"],
  ["🥺", "pleading"],
  ["😢", "cry"],
  ["😭", "sob"],
  ["😱", "scream"],
  ["😖", "confounded"],
  ["😩", "weary"],
  ["😤", "triumph"],
  ["😡", "angry"],
  ["👋", "wave"],
  ["🤚", "raised back of hand"],
  ["✋", "raised hand"],
  ["👌", "ok hand"],
  ["✌️", "victory"],
  ["🤞", "crossed fingers"],
  ["👍", "thumbs up"],
  ["👎", "thumbs down"],
  ["👏", "clap"],
  ["🙌", "raised hands"],
  ["🤝", "handshake"],
  ["🙏", "folded hands"],
  ["💪", "muscle"],
  ["👀", "eyes"],
  ["🧠", "brain"],
  ["❤️", "red heart"],
  ["🧡", "orange heart"],
  ["💛", "yellow heart"],
  ["💚", "green heart"],
  ["💙", "blue heart"],
  ["💜", "purple heart"],
  ["💔", "broken heart"],
  ["💯", "hundred"],
  ["✨", "sparkles"],
  ["⭐", "star"],
  ["🔥", "fire"],
  ["🎉", "party popper"],
  ["🎁", "gift"],
  ["🎂", "birthday cake"],
  ["☕", "coffee"],
  ["🍕", "pizza"],
  ["🚀", "rocket"],
  ["📦", "package"],
  ["📧", "email"],
  ["📞", "phone"],
  ["💡", "light bulb"],
  ["🔒", "locked"],
  ["🔑", "key"],
  ["⏰", "alarm clock"],
  ["📅", "calendar"],
  ["📎", "paperclip"],
  ["✅", "check mark"],
  ["❌", "cross mark"],
  ["⚠️", "warning"],
  ["❓", "question"],
  ["❗", "exclamation"],
  ["👉", "pointing right"],
  ["👈", "pointing left"],
  ["👆", "pointing up"],
  ["👇", "pointing down"],
  ["☀️", "sun"],
  ["🌙", "moon"],
  ["🌈", "rainbow"],
  ["💬", "speech balloon"],
  ["🛒", "shopping cart"],
  ["💳", "credit card"],
  ["🏠", "house"],
];

/** Columns in the picker's grid (the arrow keys move by one, up and down by a row). */
export const EMOJI_COLUMNS = 10;

/** The index the arrow key moves to from `index` in a grid of `count` cells; Home/End to the row's ends. */
export function gridMove(key: string, index: number, count: number, columns = EMOJI_COLUMNS): number | null {
  switch (key) {
    case "ArrowRight":
      return Math.min(index + 1, count - 1);
    case "ArrowLeft":
      return Math.max(index - 1, 0);
    case "ArrowDown":
      return index + columns < count ? index + columns : index;
    case "ArrowUp":
      return index - columns >= 0 ? index - columns : index;
    case "Home":
      return index - (index % columns);
    case "End":
      return Math.min(index - (index % columns) + columns - 1, count - 1);
    default:
      return null;
  }
}
