import { isAbsolute, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../contracts/errors.js';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ stage: 'startup', port: 3000, host: '127.0.0.1', tableName: 'growstack' });
    expect(isAbsolute(config.dataDir)).toBe(true);
  });

  it('reads the template cache from the folder growstack plan fills, or from GROWSTACK_TEMPLATE_CACHE', () => {
    expect(loadConfig({}).templateCacheDir).toBe(resolve('.growstack', 'plan'));
    expect(loadConfig({ GROWSTACK_TEMPLATE_CACHE: 'elsewhere' }).templateCacheDir).toBe(resolve('elsewhere'));
  });

  it('reads the environment and lets flags win', () => {
    const config = loadConfig({ GROWSTACK_STAGE: 'growing', PORT: '4000' }, { port: 5000 });
    expect(config.stage).toBe('growing');
    expect(config.port).toBe(5000);
  });

  it('names the field and its variable when a value is wrong', () => {
    expect(() => loadConfig({ GROWSTACK_STAGE: 'huge' })).toThrow(ConfigError);
    expect(() => loadConfig({ GROWSTACK_STAGE: 'huge' })).toThrow(/^stage \(GROWSTACK_STAGE\): /);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/^port \(PORT\)/);
  });

  it('reads the origin secret settings, and refuses to require a secret it was not given', () => {
    const secret = 'Zq7f3kR9xW2mP8vL4tN6yB1cH5jD0gS3';
    expect(loadConfig({ ORIGIN_VERIFY_SECRET: secret, ORIGIN_VERIFY_REQUIRED: 'true' })).toMatchObject({
      originVerifySecret: secret,
      originVerifyRequired: true,
    });
    expect(loadConfig({ ORIGIN_VERIFY_REQUIRED: 'false' }).originVerifyRequired).toBe(false);
    expect(() => loadConfig({ ORIGIN_VERIFY_REQUIRED: 'true' })).toThrow(
      /^originVerifyRequired \(ORIGIN_VERIFY_REQUIRED\): needs the secret/,
    );
    expect(() => loadConfig({ ORIGIN_VERIFY_SECRET: 'short' })).toThrow(
      /^originVerifySecret \(ORIGIN_VERIFY_SECRET\)/,
    );
  });
});
