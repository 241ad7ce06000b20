import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, toApiError, type ApiError } from './api.js';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: ApiError | null;
  readonly loading: boolean;
  reload(): void;
}

/** GETs `path` (under /api/v1) and again whenever `path` changes or `reload()` is called. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: ApiError | null; loading: boolean }>({ data: undefined, error: null, loading: path !== null });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    api<T>('GET', path).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState({ data: undefined, error: toApiError(error), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [path, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, reload };
}

export interface Submission {
  readonly busy: boolean;
  readonly error: ApiError | null;
  submit(event: FormEvent): Promise<void>;
}

/**
 * A form's submit handler: busy while `action` runs, its failure kept as an ApiError. It stays busy on
 * success, since these actions navigate away.
 */
export function useSubmit(action: () => Promise<void>): Submission {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(toApiError(e));
      setBusy(false);
    }
  };
  return { busy, error, submit };
}
