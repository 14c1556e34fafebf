import { z } from 'zod';
import type { Mailer } from '../../platform/ports.js';

/** Every background job, as one schema: the queue message body is exactly this JSON. */
export const JobSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('send-welcome-email'),
    userId: z.string().min(1),
    email: z.email(),
    name: z.string().min(1).max(100),
  }),
]);
export type Job = z.infer<typeof JobSchema>;

/** Runs one job. Throws to have the message retried (and, after three receives, dead-lettered). */
export async function runJob(job: Job, ports: { readonly mailer: Mailer }): Promise<void> {
  switch (job.type) {
    case 'send-welcome-email':
      await ports.mailer.send({
        to: job.email,
        subject: 'Welcome to Growstack',
        text: `Hello ${job.name},\n\nyour account is ready. Happy shopping!\n`,
      });
  }
}
