import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { LogInBody, Role, SessionJson, UserJson } from '@latchkey/contract';
import { api, ApiError } from './api.js';
import { useLocation } from './router.js';

export type { Role };
export type User = UserJson;

interface Session {
  /** undefined while the first answer is awaited; null when nobody is logged in. */
  readonly user: User | null | undefined;
  refresh(): Promise<void>;
  setUser(user: User | null): void;
}

const SessionContext = createContext<Session | null>(null);

/** Opens a session with an email and password. */
export async function logIn(email: string, password: string): Promise<User> {
  const body: LogInBody = { email, password };
  return (await api<SessionJson>('POST', '/session', body)).user;
}

/**
 * Who is logged in, re-read on every navigation and whenever the window regains focus: a role an
 * administrator grants or removes shows without logging out.
 */
export function SessionProvider({ children }: { readonly children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const location = useLocation();
  const refresh = useCallback(async () => {
    try {
      setUser((await api<SessionJson>('GET', '/session')).user);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 404)) setUser(null);
      else setUser((current) => current ?? null);
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh, location]);
  useEffect(() => {
    const onFocus = (): void => void refresh();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [refresh]);
  return <SessionContext.Provider value={{ user, refresh, setUser }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

export function hasRole(user: User | null | undefined, role: Role): boolean {
  return user?.roles.includes(role) ?? false;
}
