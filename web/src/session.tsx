import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, storedToken, storeToken, type User } from './api.js';

interface Session {
  /** undefined while the stored token is being checked. */
  readonly user: User | null | undefined;
  signIn(result: { user: User; token: string }): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** Who is signed in: the token lives in local storage; GET /api/me says whose it is. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(storedToken() ? undefined : null);

  useEffect(() => {
    if (!storedToken()) return;
    api<{ user: User }>('/api/me')
      .then((me) => setUser(me.user))
      .catch((error: unknown) => {
        // An expired session signs you out; a server hiccup should not.
        if (error instanceof ApiError && error.status === 401) storeToken(null);
        setUser(null);
      });
  }, []);

  const signIn = useCallback((result: { user: User; token: string }) => {
    storeToken(result.token);
    setUser(result.user);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api('/api/auth/logout', { method: 'POST' });
    } catch {
      // The server could not end the session; forgetting the token here still signs this browser out.
    } finally {
      storeToken(null);
      setUser(null);
    }
  }, []);

  const value = useMemo(() => ({ user, signIn, signOut }), [user, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
