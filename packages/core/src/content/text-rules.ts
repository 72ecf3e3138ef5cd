/*
 * The rules every piece of text sent to a participation backend follows: the reference server and
 * the MemoryAdapter both apply these, so that a widget tested against one behaves the same on the
 * other. No imports: the server reads this module as it is.
 *
 * - Refused anywhere (400): C0 control characters other than tab and line feed (U+0000–U+0008,
 *   U+000B–U+001F, so carriage return too), DEL and the C1 controls (U+007F–U+009F), and the
 *   bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can
 *   make text read differently from what it holds. Refused rather than removed: what is stored is
 *   what was sent, and the sender learns which field held what.
 * - Blank: text made only of white space and invisible characters (zero-width spaces and joiners,
 *   the word joiner, soft hyphens, byte order marks, variation selectors, fillers…) counts as
 *   empty.
 * - Lengths are counted in Unicode code points, as JSON Schema's maxLength and PostgreSQL's
 *   char_length count them: an emoji made of one code point is one character. Not graphemes,
 *   whose boundaries change with each Unicode version and would make two runtimes disagree.
 */

/** The characters refused in every string. */
export const FORBIDDEN_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;

/** White space and characters that show nothing, which alone do not make a text. */
const INVISIBLE =
  /[\s\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u2060-\u2064\u206A-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\u{1D173}-\u{1D17A}\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/gu;

/** The first refused character of a text, as U+XXXX, or undefined when there is none. */
export function forbiddenCharacter(text: string): string | undefined {
  const match = FORBIDDEN_CHARACTERS.exec(text);
  return match ? `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/** The message for a text holding a refused character. */
export function forbiddenMessage(character: string): string {
  return `Must not contain control or bidirectional formatting characters (${character} found).`;
}

/** True when a text holds nothing visible. */
export function isBlank(text: string): boolean {
  return text.replace(INVISIBLE, '') === '';
}

/** A text's length in code points. */
export function textLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    length++;
  }
  return length;
}

export const DISPLAY_NAME_MAX_LENGTH = 80;

/**
 * A display name given by a host site, as plain text: markup removed (a tag and what is between
 * its brackets; a lone bracket too), refused characters dropped, white space collapsed, at most
 * 80 code points. Undefined when nothing is left.
 */
export function plainDisplayName(name: string): string | undefined {
  const plain = name
    .replace(/<[^<>]*>/g, ' ')
    .replace(/[<>]/g, '')
    .replace(new RegExp(FORBIDDEN_CHARACTERS.source, 'gu'), '')
    .replace(/\s+/gu, ' ')
    .trim();
  if (isBlank(plain)) return undefined;
  return [...plain].slice(0, DISPLAY_NAME_MAX_LENGTH).join('').trim();
}

/**
 * Whether an href in council HTML may stay: http(s), mailto, a fragment, or a path on the same
 * site. `//host` and `/\host` are other sites (browsers read a backslash as a slash).
 */
export function isSafeCouncilHref(href: string): boolean {
  // As a browser reads it: tabs and line breaks inside a URL are dropped, leading controls and spaces too.
  const url = href.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');
  return /^(https?:|mailto:|#|\/(?![/\\]))/i.test(url);
}

/** The message for a text that holds a refused character, or undefined. */
export function characterProblem(text: unknown): string | undefined {
  const character = typeof text === 'string' ? forbiddenCharacter(text) : undefined;
  return character ? forbiddenMessage(character) : undefined;
}
