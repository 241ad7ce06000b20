import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, fetchAll, toApiError, type ApiError } from './api.js';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: ApiError | null;
  readonly loading: boolean;
  reload(): void;
}

/** Runs `load` when `key` is set, again whenever it changes or `reload()` is called. */
function useLoaded<T>(key: string | null, load: (key: string) => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: ApiError | null; loading: boolean }>({ data: undefined, error: null, loading: key !== null });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (key === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load(key).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState({ data: undefined, error: toApiError(error), loading: false }),
    );
    return () => {
      live = false;
    };
    // `key` says what is loaded, so `load` (a new closure each render) is not a dependency.
  }, [key, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, reload };
}

const get = <T,>(path: string): Promise<T> => api<T>('GET', path);

/** GETs `path` (under /api/v1), typed by the contract's answer `T`. */
export function useApi<T>(path: string | null): Loaded<T> {
  return useLoaded<T>(path, get<T>);
}

/** Every item of the list at `path`, however many pages it takes (fetchAll). */
export function useApiAll<Item>(path: string | null): Loaded<Item[]> {
  return useLoaded<Item[]>(path, (p) => fetchAll<Item>(p));
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
