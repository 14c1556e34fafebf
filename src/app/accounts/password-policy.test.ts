import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy.js';

describe('the password rule', () => {
  it.each([
    ['short-pw-1', /at least 12/],
    ['12345678', /at least 12/],
    ['123456789012', /common/],
    ['password1234', /common/],
    ['2024iloveyou', /common/],
    ['Superman12345', /common/],
    ['aaaaaaaaaaaa', /repeats/],
    ['passwordpassword', /repeats/],
    ['abcdefghijklm', /run/],
    ['qwertyuiopasd', /run/],
    ['1q2w3e4r5t6y', /run/],
    ['zyxwvutsrqpo', /run/],
  ])('refuses %s', (password, reason) => {
    expect(passwordProblem(password)).toMatch(reason);
  });

  it.each(['correct-horse-7', 'growstack-admin', 'plum tree orchard', 'ünïcödé-pässwörd'])(
    'accepts %s',
    (password) => {
      expect(passwordProblem(password)).toBeUndefined();
    },
  );
});
