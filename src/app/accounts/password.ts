import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * OWASP's scrypt recommendation: N=2^17, r=8, p=1 (128 MiB a hash). The cost is a setting
 * (`passwordHashCost`, log2 N); each hash names its own parameters, so older hashes still verify
 * and are rehashed at the next successful login.
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#scrypt
 */
export const DEFAULT_HASH_COST = 17;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
/** Hashes above this cost are refused rather than computed: no stored string can exhaust memory. */
const MAX_COST = 20;

function derive(password: string, salt: Buffer, options: Required<Pick<ScryptOptions, 'N' | 'r' | 'p'>>) {
  // scrypt needs 128·N·r bytes; Node refuses anything above `maxmem` (32 MiB by default).
  const maxmem = 128 * options.N * options.r + 16 * 1024 * 1024;
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64url), parameters kept for later upgrades. */
export async function hashPassword(password: string, cost = DEFAULT_HASH_COST): Promise<string> {
  const salt = randomBytes(16);
  const N = 2 ** cost;
  const key = await derive(password, salt, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parse(stored: string) {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Number.isInteger(Math.log2(params.N)) || params.N > 2 ** MAX_COST || params.r > 32 || params.p > 16)
    return undefined;
  return { params, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') };
}

/** Whether the string is one of our password hashes (not the marker of a pool-only account). */
export function isPasswordHash(stored: string): boolean {
  return parse(stored) !== undefined;
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed.params);
  return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash);
}

/** Whether a hash was made at a lower cost than the one asked for now. */
export function needsRehash(stored: string, cost = DEFAULT_HASH_COST): boolean {
  const parsed = parse(stored);
  return parsed !== undefined && (parsed.params.N < 2 ** cost || parsed.params.r < R);
}

const dummyHashes = new Map<number, Promise<string>>();

/** A hash of a random password at this cost, made on first use: login checks against it when the e-mail is unknown, so timing does not reveal which e-mails exist. */
export function dummyPasswordHash(cost = DEFAULT_HASH_COST): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = hashPassword(randomBytes(16).toString('hex'), cost);
    dummyHashes.set(cost, hash);
  }
  return hash;
}
