import { sdkSnippet, type ClientJson, type ServiceJson } from '@latchkey/contract';
import { useI18n } from '../i18n/i18n.js';
import { settings } from '../settings.js';
import { useApiAll } from '../use-api.js';
import { CopyButton } from '../components/copy-button.js';

/** A service's `aud` in an environment, as the server sets it (server: domain/catalog/service.ts). */
const audienceOf = (service: ServiceJson, env: string): string => service.audiences[env] ?? `urn:latchkey:service:${service.key}:${env}`;

/**
 * The credential through @latchkey/sdk, beside curl: the announced issuer (what the SDK's discovery
 * checks), the client id, the granted scopes, and the verifier of the first granted service with its
 * audience in this environment.
 */
export function SdkSection({ env, client }: { readonly env: string; readonly client: ClientJson | null }) {
  const { t } = useI18n();
  const catalog = useApiAll<ServiceJson>('/services');
  const grants = client?.grants ?? [];
  const granted = grants.map((g) => catalog.data?.find((s) => s.key === g.service)).find((s) => s !== undefined);
  const code = sdkSnippet({
    issuer: settings.issuer,
    // Not registered yet: a placeholder, as the page's notice says.
    clientId: client?.client_id ?? 'YOUR_CLIENT_ID',
    scope: [...new Set(grants.flatMap((g) => g.scopes))].join(' '),
    ...(granted ? { service: { name: granted.name, audience: audienceOf(granted, env), baseUrl: granted.base_urls[env] ?? null } } : {}),
  });
  return (
    <section aria-labelledby="sdk">
      <h2 id="sdk">{t('gat.sdk')}</h2>
      <p className="hint">{t('gat.sdkHint')}</p>
      <pre className="code">{code}</pre>
      <CopyButton text={code} label={t('gat.copySdk')} />
    </section>
  );
}
