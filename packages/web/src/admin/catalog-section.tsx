import { useState, type FormEvent } from 'react';
import type { CreateServiceBody, ServiceJson, UpdateServiceBody } from '@latchkey/contract';
import { api, ApiError, toApiError } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { settings } from '../settings.js';
import { useApiAll } from '../use-api.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
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
  const loaded = useApiAll<ServiceJson>('/services');
  const services = loaded.data ?? [];
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [scopes, setScopes] = useState('');
  const [urls, setUrls] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [retiring, setRetiring] = useState<ServiceJson | null>(null);
  const reset = (): void => {
    setEditing(null);
    setKey('');
    setName('');
    setDescription('');
    setScopes('');
    setUrls({});
  };
  const edit = (service: ServiceJson): void => {
    setEditing(service.key);
    setSaved(null);
    setKey(service.key);
    setName(service.name);
    setDescription(service.description);
    setScopes(service.scopes.map((sc) => (sc.description ? `${sc.name} - ${sc.description}` : sc.name)).join('\n'));
    setUrls({ ...service.base_urls });
    document.getElementById('add-service')?.scrollIntoView();
    document.getElementById('service-form-first')?.focus();
  };
  const retire = async (service: ServiceJson): Promise<void> => {
    setError(null);
    try {
      await api('DELETE', `/services/${encodeURIComponent(service.key)}`);
      loaded.reload();
    } catch (e) {
      setError(toApiError(e));
    }
    setRetiring(null);
  };
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    setSaved(null);
    const baseUrls = Object.fromEntries(Object.entries(urls).filter(([, url]) => url.trim() !== ''));
    try {
      const fields = { name, description, scopes: parseScopes(scopes), ...(Object.keys(baseUrls).length > 0 ? { base_urls: baseUrls } : {}) };
      if (editing) await api('PATCH', `/services/${encodeURIComponent(editing)}`, fields satisfies UpdateServiceBody);
      else await api('POST', '/services', { key, ...fields } satisfies CreateServiceBody);
      setSaved(key);
      reset();
      loaded.reload();
    } catch (e) {
      setError(toApiError(e));
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
            {Object.entries(s.base_urls).map(([env, url]) => (
              <p key={env} className="muted">
                {env.toUpperCase()}: <code>{url}</code>
              </p>
            ))}
            <div className="actions start">
              <button type="button" className="secondary small" onClick={() => edit(s)} aria-label={`${t('catalog.edit')}: ${s.key}`}>
                {t('catalog.edit')}
              </button>
              <button type="button" className="danger small" onClick={() => setRetiring(s)} aria-label={`${t('catalog.retire')}: ${s.key}`}>
                {t('catalog.retire')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} className="panel" noValidate aria-labelledby="add-service">
        <h3 id="add-service">{editing ? t('catalog.editTitle', { key: editing }) : t('catalog.add')}</h3>
        {saved && <Notice kind="success">{t('catalog.saved', { key: saved })}</Notice>}
        <ErrorNotice error={error} />
        <TextField id="service-form-first" label={t('catalog.key')} required value={key} onChange={setKey} hint={t('catalog.keyHint')} autoComplete="off" readOnly={editing !== null} />
        <TextField label={t('field.name')} required value={name} onChange={setName} autoComplete="off" />
        <TextArea label={t('field.description')} value={description} onChange={setDescription} />
        <TextArea label={t('catalog.scopes')} value={scopes} onChange={setScopes} placeholder={'email:send - Send mail\nemail:read - Read delivery status'} />
        <p className="hint">{t('catalog.scopesHint')}</p>
        {settings.environments.map((env) => (
          <TextField key={env} label={t('catalog.baseUrl', { env: env.toUpperCase() })} type="url" value={urls[env] ?? ''} onChange={(v) => setUrls((u) => ({ ...u, [env]: v }))} autoComplete="off" />
        ))}
        <div className="actions start">
          {editing && (
            <button type="button" className="secondary" onClick={reset}>
              {t('common.cancel')}
            </button>
          )}
          <button type="submit">{editing ? t('catalog.save') : t('catalog.submit')}</button>
        </div>
      </form>
      {retiring && (
        <ConfirmDialog title={t('catalog.retireTitle', { key: retiring.key })} confirmLabel={t('catalog.retire')} onConfirm={() => void retire(retiring)} onCancel={() => setRetiring(null)}>
          <p>{t('catalog.retireText')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
