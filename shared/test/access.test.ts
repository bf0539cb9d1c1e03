import { describe, expect, it } from '@jest/globals';
import { ANONYMOUS, CodedError, Refusal, holdsAnyOf, isPlatformAdmin, refuseUnseen, requireRoles, requireSignedIn, unseenObject, type Role, type Viewer } from '../src/index.js';

const viewer = (roles: Role[], subject: string | null = 'user-1'): Viewer => ({ personId: null, roles, regionIds: [], merchantId: null, subject });

/** The code and message a gate threw, or null when it let the viewer through. */
function refusal(gate: () => unknown): { code: unknown; message: string } | null {
  try {
    gate();
    return null;
  } catch (error) {
    if (!(error instanceof CodedError)) throw error;
    return { code: error.extensions['code'], message: error.message };
  }
}

describe('isPlatformAdmin and holdsAnyOf', () => {
  it('know platform admins by their role alone, and give them every other role’s authority', () => {
    expect(isPlatformAdmin(viewer(['platform_admin']))).toBe(true);
    expect(isPlatformAdmin(viewer(['community_admin', 'bank_clerk']))).toBe(false);
    expect(isPlatformAdmin(ANONYMOUS)).toBe(false);
    expect(holdsAnyOf(viewer(['platform_admin']), ['bank_clerk'])).toBe(true);
    expect(holdsAnyOf(viewer(['platform_admin']), [])).toBe(true);
    expect(holdsAnyOf(viewer(['volunteer', 'bank_clerk']), ['merchant', 'bank_clerk'])).toBe(true);
    expect(holdsAnyOf(viewer(['volunteer']), ['merchant', 'bank_clerk'])).toBe(false);
    expect(holdsAnyOf(viewer(['volunteer']), [])).toBe(false);
  });
});

describe('requireSignedIn', () => {
  it('returns the subject of a signed-in viewer, whatever their roles', () => {
    expect(requireSignedIn(viewer([], 'resident-7'))).toBe('resident-7');
    expect(requireSignedIn(viewer(['merchant'], 'till-3'), 'see a fund')).toBe('till-3');
  });

  it('refuses the anonymous viewer as UNAUTHENTICATED, asking them to sign in to do what they tried', () => {
    expect(refusal(() => requireSignedIn(ANONYMOUS))).toEqual({ code: 'UNAUTHENTICATED', message: 'Sign in to see this.' });
    expect(refusal(() => requireSignedIn(ANONYMOUS, 'open an account'))).toEqual({ code: 'UNAUTHENTICATED', message: 'Sign in to open an account.' });
  });
});

describe('requireRoles', () => {
  it('lets through a viewer holding one of the roles, and platform admins, returning the subject', () => {
    expect(requireRoles(viewer(['volunteer', 'bank_clerk'], 'clerk-1'), ['bank_clerk'], 'deposit points')).toBe('clerk-1');
    expect(requireRoles(viewer(['merchant'], 'till-1'), ['merchant', 'bank_clerk'], 'redeem points')).toBe('till-1');
    expect(requireRoles(viewer(['platform_admin'], 'admin-1'), ['community_admin'], 'add regions')).toBe('admin-1');
  });

  it('refuses a signed-in viewer without the roles as FORBIDDEN, naming what they may not do', () => {
    expect(refusal(() => requireRoles(viewer(['volunteer', 'team_captain']), ['bank_clerk'], 'deposit points'))).toEqual({
      code: 'FORBIDDEN',
      message: 'Your role may not deposit points.',
    });
    expect(refusal(() => requireRoles(viewer([]), [], 'replay dead letters'))).toEqual({ code: 'FORBIDDEN', message: 'Your role may not replay dead letters.' });
  });

  it('refuses the anonymous viewer as UNAUTHENTICATED before looking at roles, whatever the roles asked for', () => {
    expect(refusal(() => requireRoles(ANONYMOUS, ['bank_clerk'], 'deposit points'))).toEqual({ code: 'UNAUTHENTICATED', message: 'Sign in to deposit points.' });
    // Roles without a subject never count: a viewer is anonymous until a token names them.
    expect(refusal(() => requireRoles(viewer(['platform_admin'], null), ['platform_admin'], 'add regions'))).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'Sign in to add regions.',
    });
  });
});

describe('unseenObject and refuseUnseen', () => {
  const field = ['input', 'household'];

  it('answer anyone but a platform admin FORBIDDEN, in words that do not say whether the object exists', () => {
    for (const who of [viewer(['community_admin']), viewer(['volunteer', 'bank_clerk']), viewer(['merchant'])]) {
      expect(refusal(() => unseenObject(who, field, 'household'))).toEqual({ code: 'FORBIDDEN', message: 'There is no such household, or you may not see it.' });
      expect(refusal(() => refuseUnseen(who, field, 'household'))).toEqual({ code: 'FORBIDDEN', message: 'There is no such household, or you may not see it.' });
    }
  });

  it('tell a platform admin, who sees everything, that the id names nothing: a NOT_FOUND user error on the field', () => {
    const admin = viewer(['platform_admin']);
    const notFound = { field, code: 'NOT_FOUND', message: 'There is no such household.' };
    expect(unseenObject(admin, field, 'household')).toEqual({ ok: false, errors: [notFound] });
    // Inside a transaction the same user error is thrown, as a Refusal, so that the transaction rolls back.
    let thrown: unknown = null;
    try {
      refuseUnseen(admin, field, 'household');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Refusal);
    expect((thrown as Refusal).errors).toEqual([notFound]);
  });
});
