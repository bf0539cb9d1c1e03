/** The masked forms of personal data that anyone may see. */

/** `610102195601011234` → `610***********1234`: the province/city digits and the last four. */
export function maskIdNumber(idNumber: string): string {
  return `${idNumber.slice(0, 3)}${'*'.repeat(idNumber.length - 7)}${idNumber.slice(-4)}`;
}

/** `13800295678` → `138****5678`. */
export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

// A person's display name is masked the same way wherever it is shown or announced (recognition's demo included).
export { maskName } from '@lianxin/shared';
