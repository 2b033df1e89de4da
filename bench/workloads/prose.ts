import type { Random } from './random';

// Mostly English, with the accents, CJK, emoji, quotes and line breaks that a real answer has, so
// the streams cross UTF-8 chunk boundaries and JSON escapes as the API's do.
const WORDS = [
  'the', 'stream', 'of', 'events', 'arrives', 'in', 'small', 'pieces', 'and', 'each', 'piece', 'is', 'a',
  'token', 'or', 'two', 'model', 'answer', 'with', 'some', 'code', 'like', '`map()`', 'observable', 'value',
  'café', 'naïve', 'façade', 'Zürich', '東京', 'データ', 'π', '≈', '3.14159', '42', '"quoted"', "it's", 'C:\\path',
  '🙂', '🚀', 'über', 'résumé', 'x<y', 'a&b', '{"k":1}', 'tab\there',
];

/**
 * Text as a model streams it: words, punctuation and paragraph breaks, cut into deltas of
 * `min`–`max` characters (code points, so no surrogate pair is split). Returns exactly `count` deltas.
 */
export function proseDeltas(random: Random, count: number, min = 4, max = 12): string[] {
  const deltas: string[] = [];
  let pending = '';
  while (deltas.length < count) {
    while (pending.length < 64) pending += nextWords(random);
    const codePoints = Array.from(pending);
    const size = random.int(min, max);
    deltas.push(codePoints.slice(0, size).join(''));
    pending = codePoints.slice(size).join('');
  }
  return deltas;
}

/** Splits `text` into pieces of `min`–`max` code points, as the API cuts `partial_json`. */
export function splitText(text: string, random: Random, min: number, max: number): string[] {
  const codePoints = Array.from(text);
  const pieces: string[] = [];
  for (let at = 0; at < codePoints.length; ) {
    const size = random.int(min, max);
    pieces.push(codePoints.slice(at, at + size).join(''));
    at += size;
  }
  return pieces;
}

/** A few words of prose (used for tool-input strings too). */
export function sentence(random: Random, words: number): string {
  const parts: string[] = [];
  for (let i = 0; i < words; i++) parts.push(random.pick(WORDS));
  return parts.join(' ');
}

function nextWords(random: Random): string {
  const roll = random.next();
  const text = sentence(random, random.int(3, 9));
  if (roll < 0.08) return `${text}.\n\n`;
  if (roll < 0.3) return `${text}, `;
  return `${text}. `;
}
