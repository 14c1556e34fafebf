import { COMMON_PASSWORDS } from './common-passwords.js';

/** The shortest password anyone may set, at every stage: the enterprise user pool's own minimum. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

const COMMON = new Set(COMMON_PASSWORDS.split(' '));

/** Runs people take for a password: letters, digits and keyboard rows, read either way. */
const RUNS = [
  'abcdefghijklmnopqrstuvwxyz',
  '012345678901234567890',
  'qwertyuiopasdfghjklzxcvbnm',
  'qwertzuiopasdfghjklyxcvbnm',
  'azertyuiopqsdfghjklmwxcvbn',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  '1q2w3e4r5t6y7u8i9o0p',
  'q1w2e3r4t5y6u7i8o9p0',
  'zaq1xsw2cde3vfr4bgt5nhy6mju7',
];
const REVERSED_RUNS = RUNS.map((run) => [...run].reverse().join(''));

/**
 * Why a new password is refused, or undefined when it may be set: 12 characters or more, not a
 * common password (also with digits put before or after it), not one character or chunk
 * repeated, not a run along the alphabet, the digits or a keyboard row. No composition rules:
 * NIST SP 800-63B (5.1.1.2) asks for length and a blocklist, not required character classes.
 * https://pages.nist.gov/800-63-3/sp800-63b.html#memsecret
 */
export function passwordProblem(password: string): string | undefined {
  const length = [...password.normalize('NFKC')].length;
  if (length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.normalize('NFKC').toLowerCase();
  const core = lower.replace(/^\d+|\d+$/g, '');
  if (COMMON.has(lower) || COMMON.has(core) || core === '')
    return 'is a commonly used password (or one with digits added); choose another';
  if (/^(.+?)\1+$/su.test(lower)) return 'repeats one character or chunk; choose another';
  if (RUNS.some((run) => run.includes(lower)) || REVERSED_RUNS.some((run) => run.includes(lower)))
    return 'is a run along the alphabet, the digits or a keyboard row; choose another';
  return undefined;
}
