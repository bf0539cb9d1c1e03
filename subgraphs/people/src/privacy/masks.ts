/** The masked forms of personal data that anyone may see. */

/** `610102195601011234` → `610***********1234`: the province/city digits and the last four. */
export function maskIdNumber(idNumber: string): string {
  return `${idNumber.slice(0, 3)}${'*'.repeat(idNumber.length - 7)}${idNumber.slice(-4)}`;
}

/** `13800295678` → `138****5678`. */
export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

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
