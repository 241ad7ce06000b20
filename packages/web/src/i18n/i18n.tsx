import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en.js';
import { fr } from './fr.js';

export type Lang = 'en' | 'fr';
export type { MessageKey };
export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

const CATALOGS: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { en, fr };
export const LANGS: readonly Lang[] = ['en', 'fr'];
const STORED = 'latchkey.lang';

function initialLang(): Lang {
  const stored = window.localStorage.getItem(STORED);
  if (stored === 'en' || stored === 'fr') return stored;
  for (const wanted of navigator.languages ?? [navigator.language]) {
    const base = wanted.toLowerCase().slice(0, 2);
    if (base === 'fr' || base === 'en') return base;
  }
  return 'en';
}

interface I18n {
  readonly lang: Lang;
  setLang(lang: Lang): void;
  readonly t: Translate;
  /** A date and time in the reader's language, or "—" when there is none. */
  date(value: string | number | null | undefined): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { readonly children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    window.localStorage.setItem(STORED, next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const catalog = CATALOGS[lang];
    const format = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
    return {
      lang,
      setLang,
      t: (key, params) => catalog[key].replace(/\{(\w+)\}/g, (match, name: string) => (params && name in params ? String(params[name]) : match)),
      date: (value) => {
        if (value === null || value === undefined || value === '') return '—';
        const d = new Date(typeof value === 'number' && value < 1e12 ? value * 1000 : value);
        return Number.isNaN(d.getTime()) ? String(value) : format.format(d);
      },
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
