import { UserRecordSchema } from '../../contracts/ports.js';
import { z } from '../../contracts/zod.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from './password-policy.js';

export const UserSchema = UserRecordSchema.omit({ passwordHash: true }).openapi('User');
export type User = z.infer<typeof UserSchema>;

const EmailSchema = z
  .email()
  .max(254)
  .transform((email) => email.toLowerCase())
  .openapi({ example: 'ada@example.com' });

/** A password being set (sign-up, reset, change): the one rule of every stage. */
const NewPasswordSchema = z
  .string()
  .superRefine((password, context) => {
    const problem = passwordProblem(password);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  })
  .openapi({
    minLength: MIN_PASSWORD_LENGTH,
    maxLength: MAX_PASSWORD_LENGTH,
    description: `At least ${MIN_PASSWORD_LENGTH} characters, not a commonly used password.`,
    example: 'correct horse battery',
  });

const CodeSchema = z.string().regex(/^\d{8}$/, 'must be the 8-digit code from the mail');

export const SignupSchema = z
  .strictObject({
    email: EmailSchema,
    password: NewPasswordSchema,
    name: z.string().trim().min(1).max(100).openapi({ example: 'Ada Lovelace' }),
  })
  .openapi('Signup');

export const LoginSchema = z
  .strictObject({
    email: EmailSchema,
    password: z.string().min(1).max(128),
  })
  .openapi('Login');

export const VerifyEmailSchema = z
  .strictObject({ email: EmailSchema, code: CodeSchema })
  .openapi('VerifyEmail');

export const PasswordResetRequestSchema = z
  .strictObject({ email: EmailSchema })
  .openapi('PasswordResetRequest');

export const PasswordResetConfirmSchema = z
  .strictObject({ email: EmailSchema, code: CodeSchema, password: NewPasswordSchema })
  .openapi('PasswordResetConfirm');

export const PasswordChangeSchema = z
  .strictObject({
    currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH),
    newPassword: NewPasswordSchema,
  })
  .openapi('PasswordChange');

export const AuthResultSchema = z.object({ user: UserSchema, token: z.string() }).openapi('AuthResult');
export const MeSchema = z.object({ user: UserSchema }).openapi('Me');
