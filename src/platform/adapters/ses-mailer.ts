import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mail, Mailer } from '../../contracts/ports.js';
import { traceAwsClient } from '../tracing.js';
import { type AwsClientOptions, awsClientConfig } from './aws-client-config.js';

/**
 * The Mailer port on Amazon SES v2 (locally: aws-ses-v2-local at `endpoint`).
 *
 * The SES client is loaded on the first e-mail, not at start-up: most API invocations never send
 * one, and importing the client costs a Lambda cold start about 80 ms (see `npm run bench`).
 */
export class SesMailer implements Mailer {
  private client: SESv2Client | undefined;

  constructor(
    private readonly from: string,
    private readonly options: AwsClientOptions,
  ) {}

  async send(mail: Mail): Promise<void> {
    const { SESv2Client, SendEmailCommand } = await import('@aws-sdk/client-sesv2');
    this.client ??= traceAwsClient(new SESv2Client(awsClientConfig(this.options)), this.options.region);
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [mail.to] },
        Content: { Simple: { Subject: { Data: mail.subject }, Body: { Text: { Data: mail.text } } } },
      }),
    );
  }
}
