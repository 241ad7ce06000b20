import { useState } from 'react';
import type { ApplicationDetailsJson } from '@latchkey/contract';
import { enc } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { origin, settings } from '../settings.js';
import { useApi } from '../use-api.js';
import { Page } from '../components/page.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorNotice, Loading } from '../components/states.js';
import { Tabs } from '../components/tabs.js';
import { buildRequest, DIALECTS, type Format } from './token-dialects.js';
import { SdkSection } from './sdk-section.js';
import { TryIt } from './try-it.js';

/** Everything needed to get a token with one credential: URL, body, schema, curl, the SDK, a live try, the codes. */
export function GetAccessTokenPage({ acronym, env }: { readonly acronym: string; readonly env: string }) {
  const { t } = useI18n();
  const { user } = useSession();
  const loaded = useApi<ApplicationDetailsJson>(`/applications/${enc(acronym)}`);
  const environment = loaded.data?.environments.find((e) => e.env === env);
  const dialects = DIALECTS.filter((d) => settings.dialects.includes(d.id));
  const [dialectId, setDialectId] = useState(dialects[0]?.id ?? 'oauth2');
  const dialect = dialects.find((d) => d.id === dialectId) ?? DIALECTS[0]!;
  const [chosenFormat, setFormat] = useState<Format>('json');
  const format = dialect.formats.includes(chosenFormat) ? chosenFormat : dialect.formats[0]!;
  const [tab, setTab] = useState<'example' | 'schema'>('example');
  const clientId = environment?.client?.client_id ?? '';
  const example = buildRequest(dialect, format, origin, { clientId, clientSecret: 'YOUR_CLIENT_SECRET', scope: '', username: user?.email ?? '' });
  const title = t('gat.title', { acronym: acronym.toUpperCase(), env: env.toUpperCase() });
  return (
    <Page title={title}>
      <p>
        <Link to={`/applications/${enc(acronym)}`}>{t('gat.back', { acronym: acronym.toUpperCase() })}</Link>
      </p>
      {loaded.loading && <Loading />}
      <ErrorNotice error={loaded.error} />
      {loaded.data !== undefined && !clientId && <p className="notice warning">{t('gat.notRegistered', { env: env.toUpperCase() })}</p>}
      <div className="field">
        <label htmlFor="dialect">{t('gat.dialect')}</label>
        <select id="dialect" value={dialect.id} onChange={(e) => setDialectId(e.target.value as typeof dialectId)} aria-describedby="dialect-note">
          {dialects.map((d) => (
            <option key={d.id} value={d.id}>
              {t(d.label)}
            </option>
          ))}
        </select>
        <p id="dialect-note" className="hint">
          {t(dialect.note)}
        </p>
      </div>
      <section aria-labelledby="post-url">
        <h2 id="post-url">{t('gat.postUrl')}</h2>
        <p className="inline">
          <code className="url">POST {example.url}</code> <CopyButton text={example.url} label={t('gat.copyUrl')} />
        </p>
      </section>
      <section aria-labelledby="request-body">
        <h2 id="request-body">{t('gat.body')}</h2>
        <fieldset className="toggle">
          <legend>{t('gat.format')}</legend>
          {(['json', 'form'] as const).map((f) => (
            <label key={f}>
              <input type="radio" name="format" value={f} checked={format === f} disabled={!dialect.formats.includes(f)} onChange={() => setFormat(f)} />
              {f === 'json' ? t('gat.json') : t('gat.form')}
            </label>
          ))}
        </fieldset>
        {dialect.formats.length === 1 && <p className="hint">{t(dialect.formats[0] === 'json' ? 'gat.jsonOnly' : 'gat.formOnly')}</p>}
        <Tabs<'example' | 'schema'>
          label={t('gat.body')}
          tabs={[
            { key: 'example', label: t('gat.example') },
            { key: 'schema', label: t('gat.schema') },
          ]}
          selected={tab}
          onSelect={setTab}
        >
          {tab === 'example' ? (
            <>
              <pre className="code">{example.body}</pre>
              <table>
                <caption>{t('gat.fields')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('gat.fieldName')}</th>
                    <th scope="col">{t('gat.fieldRequired')}</th>
                    <th scope="col">{t('gat.fieldDescription')}</th>
                  </tr>
                </thead>
                <tbody>
                  {dialect.fields.map((f) => (
                    <tr key={f.name}>
                      <th scope="row">
                        <code>{f.name}</code>
                      </th>
                      <td>{f.required ? t('common.yes') : t('common.no')}</td>
                      <td>
                        {t(f.description)}
                        {f.maxLength ? ` ${t('gat.maxLength', { max: f.maxLength })}` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {dialect.id === 'access-token' && <p className="hint">{t('gat.dynamic')}</p>}
            </>
          ) : (
            <pre className="code">{JSON.stringify(dialect.schema, null, 2)}</pre>
          )}
        </Tabs>
      </section>
      <section aria-labelledby="curl">
        <h2 id="curl">{t('gat.curl')}</h2>
        <p className="hint">{t('gat.curlHint')}</p>
        <pre className="code">{example.curl}</pre>
        <CopyButton text={example.curl} label={t('gat.copyCurl')} />
      </section>
      {/* The SDK discovers and calls /oauth/token, mounted with the oauth2 dialect. */}
      {settings.dialects.includes('oauth2') && <SdkSection env={env} client={environment?.client ?? null} />}
      <TryIt key={`${dialect.id}-${format}`} dialect={dialect} format={format} clientId={clientId} username={user?.email ?? ''} />
      <section aria-labelledby="codes">
        <h2 id="codes">{t('gat.codes')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('gat.status')}</th>
              <th scope="col">{t('gat.meaning')}</th>
              <th scope="col">{t('gat.whatToDo')}</th>
            </tr>
          </thead>
          <tbody>
            {dialect.codes.map((c) => (
              <tr key={c.status}>
                <th scope="row">{c.status}</th>
                <td>{t(c.meaning)}</td>
                <td>{t(c.action)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Page>
  );
}
