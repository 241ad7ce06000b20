import { useState, type FormEvent } from 'react';
import { api, ApiError, pageOf } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { settings } from '../settings.js';
import { useApi } from '../use-api.js';
import { toService } from '../model.js';
import { TextArea, TextField } from '../components/field.js';
import { Empty, ErrorNotice, Loading, Notice } from '../components/states.js';

/** One scope per line: `name` or `name - description`. */
function parseScopes(text: string): { name: string; description: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [name = '', ...rest] = line.split(/\s+-\s+/);
      return { name: name.trim(), description: rest.join(' - ').trim() };
    });
}

export function CatalogSection() {
  const { t } = useI18n();
  const loaded = useApi<unknown>('/services?limit=200');
  const services = loaded.data === undefined ? [] : pageOf<Record<string, unknown>>(loaded.data).items.map(toService);
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [scopes, setScopes] = useState('');
  const [urls, setUrls] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    setSaved(null);
    const baseUrls = Object.fromEntries(Object.entries(urls).filter(([, url]) => url.trim() !== ''));
    try {
      await api('POST', '/services', { key, name, description, scopes: parseScopes(scopes), ...(Object.keys(baseUrls).length > 0 ? { base_urls: baseUrls } : {}) });
      setSaved(key);
      setKey('');
      setName('');
      setDescription('');
      setScopes('');
      setUrls({});
      loaded.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    }
  };
  return (
    <section aria-labelledby="catalog">
      <h2 id="catalog">{t('admin.catalog')}</h2>
      {loaded.loading && <Loading />}
      <ErrorNotice error={loaded.error} />
      {loaded.data !== undefined && services.length === 0 && <Empty>{t('catalog.empty')}</Empty>}
      <ul className="cards">
        {services.map((s) => (
          <li key={s.key} className="card">
            <h3>
              {s.name} <code>{s.key}</code>
            </h3>
            {s.description && <p>{s.description}</p>}
            <ul>
              {s.scopes.map((scope) => (
                <li key={scope.name}>
                  <code>{scope.name}</code> {scope.description}
                </li>
              ))}
            </ul>
            {Object.entries(s.baseUrls).map(([env, url]) => (
              <p key={env} className="muted">
                {env.toUpperCase()}: <code>{url}</code>
              </p>
            ))}
          </li>
        ))}
      </ul>
      <form onSubmit={submit} className="panel" noValidate aria-labelledby="add-service">
        <h3 id="add-service">{t('catalog.add')}</h3>
        {saved && <Notice kind="success">{t('catalog.saved', { key: saved })}</Notice>}
        <ErrorNotice error={error} />
        <TextField label={t('catalog.key')} required value={key} onChange={setKey} hint={t('catalog.keyHint')} autoComplete="off" />
        <TextField label={t('field.name')} required value={name} onChange={setName} autoComplete="off" />
        <TextArea label={t('field.description')} value={description} onChange={setDescription} />
        <TextArea label={t('catalog.scopes')} value={scopes} onChange={setScopes} placeholder={'email:send - Send mail\nemail:read - Read delivery status'} />
        <p className="hint">{t('catalog.scopesHint')}</p>
        {settings.environments.map((env) => (
          <TextField key={env} label={t('catalog.baseUrl', { env: env.toUpperCase() })} type="url" value={urls[env] ?? ''} onChange={(v) => setUrls((u) => ({ ...u, [env]: v }))} autoComplete="off" />
        ))}
        <div className="actions start">
          <button type="submit">{t('catalog.submit')}</button>
        </div>
      </form>
    </section>
  );
}
