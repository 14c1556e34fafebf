import { Hono } from 'hono';
import { UnavailableError } from '../../contracts/errors.js';

interface StoredMail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

/**
 * GET /api/dev/mail: what the local SES stand-in (aws-ses-v2-local) received, newest first, so
 * a developer can read the welcome e-mail. Mounted only when running locally.
 */
export function devMailRoutes(sesEndpoint: string): Hono {
  const router = new Hono();
  router.get('/mail', async (c) => {
    let store: { emails: StoredMail[] };
    try {
      const response = await fetch(`${sesEndpoint}/store`);
      store = (await response.json()) as { emails: StoredMail[] };
    } catch {
      throw new UnavailableError('The local mail stand-in is not answering.');
    }
    const to = c.req.query('to')?.toLowerCase();
    const items = store.emails
      .filter((mail) => !to || mail.destination.to.some((address) => address.toLowerCase() === to))
      .map((mail) => ({
        id: mail.messageId,
        from: mail.from,
        to: mail.destination.to,
        subject: mail.subject,
        text: mail.body.text ?? '',
        sentAt: new Date(mail.at * 1000).toISOString(),
      }))
      .reverse();
    return c.json({ items });
  });
  return router;
}
