import { beforeAll, describe, expect, it } from 'vitest';
import { createTestStorefront, type TestStorefront } from '../../../test/support/storefront.js';

let shop: TestStorefront;

beforeAll(async () => {
  shop = await createTestStorefront();
});

describe('the welcome e-mail at the startup stage', () => {
  it('is sent inside the sign-up request and listed at /api/dev/mail', async () => {
    const { email } = await shop.customer('Welcome Tester');
    // Inline jobs: by the time sign-up answered, the mail was sent.
    const result = await shop.call('GET', `/api/dev/mail?to=${encodeURIComponent(email)}`);
    expect(result.status).toBe(200);
    expect(result.json.items).toHaveLength(1);
    expect(result.json.items[0]).toMatchObject({
      to: [email],
      from: 'shop@growstack.local',
      subject: 'Welcome to Growstack',
    });
    // Only the verification code: nothing the user typed (the name) goes into mail.
    expect(result.json.items[0].text).toMatch(/code: \d{8}/);
    expect(result.json.items[0].text).not.toContain('Welcome Tester');
  });

  it('is not sent for a refused sign-up', async () => {
    const { email } = await shop.customer();
    const again = await shop.call('POST', '/api/auth/signup', {
      body: { email, password: 'correct-horse-1', name: 'Again' },
    });
    expect(again.status).toBe(409);
    expect((await shop.call('GET', `/api/dev/mail?to=${encodeURIComponent(email)}`)).json.items).toHaveLength(
      1,
    );
  });
});
