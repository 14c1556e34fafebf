import { z } from '@hono/zod-openapi';
import { UserRecordSchema } from '../../platform/ports.js';

export const UserSchema = UserRecordSchema.omit({ passwordHash: true }).openapi('User');
export type User = z.infer<typeof UserSchema>;

const EmailSchema = z
  .email()
  .max(254)
  .transform((email) => email.toLowerCase())
  .openapi({ example: 'ada@example.com' });

export const SignupSchema = z
  .strictObject({
    email: EmailSchema,
    password: z
      .string()
      .min(8, 'must be at least 8 characters')
      .max(128)
      .openapi({ example: 'correct horse' }),
    name: z.string().trim().min(1).max(100).openapi({ example: 'Ada Lovelace' }),
  })
  .openapi('Signup');

export const LoginSchema = z
  .strictObject({
    email: EmailSchema,
    password: z.string().min(1).max(128),
  })
  .openapi('Login');

export const AuthResultSchema = z.object({ user: UserSchema, token: z.string() }).openapi('AuthResult');
export const MeSchema = z.object({ user: UserSchema }).openapi('Me');
