import { describe, expect, it } from '@jest/globals';
import { CodedError, InternalError, maskError, refused, ok, required, toPayload, userError } from '../src/index.js';

describe('error masking', () => {
  it('lets coded client errors through without a stack trace', () => {
    const { error, masked } = maskError({
      message: 'You are not allowed to do this.',
      path: ['person', 'account'],
      extensions: { code: 'FORBIDDEN', stacktrace: ['at secret (/srv/app/file.ts:1:1)'] },
    });
    expect(masked).toBe(false);
    expect(error).toEqual({ message: 'You are not allowed to do this.', path: ['person', 'account'], extensions: { code: 'FORBIDDEN' } });
  });

  it('replaces anything unexpected, keeping only where it happened', () => {
    const { error, masked } = maskError({
      message: 'relation "points.accounts" does not exist',
      path: ['person', 'account'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', exception: { stacktrace: ['at /srv/app/store.ts:10'] } },
    });
    expect(masked).toBe(true);
    expect(error.path).toEqual(['person', 'account']);
    expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(error)).not.toMatch(/points\.accounts|store\.ts|relation/);
  });

  it('lets the statistics’ refusals through: a question too large, and one that ran past its time', () => {
    for (const code of ['STATISTICS_TOO_LARGE', 'STATISTICS_TIMEOUT']) {
      const { error, masked } = maskError({ message: 'Narrow the filter.', path: ['serviceHourStats'], extensions: { code } });
      expect(masked).toBe(false);
      expect(error.extensions).toEqual({ code });
    }
  });

  it('treats an error with no code as unexpected', () => {
    expect(maskError({ message: 'Cannot read properties of undefined' }).masked).toBe(true);
  });
});

describe('mutation payloads', () => {
  it('carry the object and no user errors, or null and the refusals', () => {
    expect(toPayload('account', ok({ id: 'a' }))).toEqual({ account: { id: 'a' }, userErrors: [] });
    const refusal = userError(['input', 'holder'], 'ALREADY_EXISTS', 'This person already has an account.');
    expect(toPayload('account', refused(refusal))).toEqual({ account: null, userErrors: [refusal] });
  });
});

describe('required rows', () => {
  it('hands the row back as it is, falsy values included', () => {
    const row = { id: 'a' };
    expect(required(row, 'the row inserted into teams')).toBe(row);
    expect(required(0, 'a count')).toBe(0);
    expect(required('', 'a name')).toBe('');
    expect(required(false, 'a flag')).toBe(false);
  });

  it('throws a coded internal error naming what is missing, for null and undefined alike', () => {
    for (const missing of [null, undefined]) {
      let thrown: unknown;
      try {
        required(missing, 'community of team 0190');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InternalError);
      expect(thrown).toBeInstanceOf(CodedError);
      expect(thrown).toMatchObject({ message: 'missing community of team 0190', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    }
  });

  it('is masked for clients: what was missing stays in the log', () => {
    const error = new InternalError('missing community of team 0190');
    const { error: shown, masked } = maskError({ message: error.message, extensions: error.extensions });
    expect(masked).toBe(true);
    expect(JSON.stringify(shown)).not.toMatch(/community|0190/);
  });
});
