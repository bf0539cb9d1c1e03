/** A person's name as anyone may see it (people's privacy policy: docs/people.md). */

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/**
 * `王建国` → `王**`, `欧阳娜娜` → `欧**`: the first character and two
 * asterisks, whatever the name's length, so the mask tells neither the given
 * name nor how long it is. The first character of a Chinese name is (the
 * start of) the family name, which thousands share: a resident can address
 * 王队长 without learning who he is. Cut by grapheme, so a character outside
 * the Basic Multilingual Plane or with a combining mark stays whole.
 */
export function maskName(name: string): string {
  const first = graphemes.segment(name.trim())[Symbol.iterator]().next();
  return `${first.done ? '' : first.value.segment}**`;
}
