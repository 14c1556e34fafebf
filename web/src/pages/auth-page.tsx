import { type FormEvent, useState } from 'react';
import { ApiError, api, type User } from '../api.js';
import { ErrorMessage } from '../components/feedback.js';
import { Link, navigate } from '../router.js';
import { useSession } from '../session.js';

/** Only paths inside this app: a crafted ?next= must not send someone to another site. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function AuthPage({ mode, next }: { mode: 'login' | 'signup'; next: string | null }) {
  const { signIn } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const signup = mode === 'signup';
  const fieldError = (path: string) =>
    error instanceof ApiError ? error.errors.find((field) => field.path === path)?.message : undefined;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = Object.fromEntries(
      ['email', 'password', ...(signup ? ['name'] : [])].map((key) => [key, form.get(key)]),
    );
    setBusy(true);
    setError(null);
    try {
      const result = await api<{ user: User; token: string }>(`/api/auth/${mode}`, { method: 'POST', body });
      signIn(result);
      navigate(safeNext(next));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const nextQuery = next ? `?next=${encodeURIComponent(next)}` : '';
  return (
    <section className="narrow">
      <h1>{signup ? 'Create an account' : 'Sign in'}</h1>
      {error !== null && <ErrorMessage error={error} />}
      <form onSubmit={submit} noValidate={false} aria-busy={busy}>
        {signup && <Field name="name" label="Name" autoComplete="name" error={fieldError('name')} />}
        <Field name="email" label="E-mail" type="email" autoComplete="email" error={fieldError('email')} />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete={signup ? 'new-password' : 'current-password'}
          minLength={signup ? 12 : undefined}
          hint={signup ? 'At least 12 characters, not a common password.' : undefined}
          error={fieldError('password')}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Please wait…' : signup ? 'Create account' : 'Sign in'}
        </button>
      </form>
      <p>
        {signup ? (
          <>
            Already have an account? <Link href={`/login${nextQuery}`}>Sign in</Link>
          </>
        ) : (
          <>
            New here? <Link href={`/signup${nextQuery}`}>Create an account</Link>
          </>
        )}
      </p>
    </section>
  );
}

function Field(props: {
  name: string;
  label: string;
  type?: string;
  autoComplete: string;
  minLength?: number | undefined;
  hint?: string | undefined;
  error?: string | undefined;
}) {
  const id = `field-${props.name}`;
  const described = [props.hint && `${id}-hint`, props.error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        autoComplete={props.autoComplete}
        required
        minLength={props.minLength}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described || undefined}
      />
      {props.hint && (
        <small id={`${id}-hint`} className="muted">
          {props.hint}
        </small>
      )}
      {props.error && (
        <small id={`${id}-error`} className="field-error">
          {props.error}
        </small>
      )}
    </div>
  );
}
