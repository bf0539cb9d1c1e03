/**
 * What requests mutations share beyond the shared toolkit (`inTransaction`,
 * `parseInput`, `refuse`, the input forms): input fields and evidence URLs.
 */
import { z } from 'zod';

export { Refusal, inTransaction, refuse, idInput, textInput, characterCount, parseInput, type ConstraintRefusal } from '@lianxin/shared';

/** A refusal of one field of the input. */
export const inputField = (name: string): string[] => ['input', name];

/** An http(s) URL of evidence, at most 2000 characters. */
export const urlInput = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters.')
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL.');
