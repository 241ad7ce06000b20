import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError } from './api.js';
import { useLocation } from './router.js';

export type Role = 'admin' | 'token_admin' | 'pat';

export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly roles: readonly Role[];
}

interface Session {
  /** undefined while the first answer is awaited; null when nobody is logged in. */
  readonly user: User | null | undefined;
  refresh(): Promise<void>;
  setUser(user: User | null): void;
}

const SessionContext = createContext<Session | null>(null);

export function userOf(body: unknown): User | null {
  const raw = ((body as { user?: unknown } | null)?.user ?? body) as Partial<User> & { userId?: string } | null;
  if (!raw || typeof raw !== 'object' || (raw.id === undefined && raw.userId === undefined)) return null;
  return { id: String(raw.id ?? raw.userId), email: raw.email ?? '', name: raw.name ?? '', roles: raw.roles ?? [] };
}

/** Opens a session with an email and password; the user comes from the answer, or from re-reading the session. */
export async function logIn(email: string, password: string): Promise<User | null> {
  const body = await api<unknown>('POST', '/session', { email, password });
  return userOf(body) ?? userOf(await api<unknown>('GET', '/session'));
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
      setUser(userOf(await api<unknown>('GET', '/session')));
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
