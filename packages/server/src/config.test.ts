import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration from LATCHKEY_* variables', () => {
  it('has defaults that serve on 127.0.0.1:8080 with SQLite under ./data', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.issuer).toBe('http://localhost:8080');
    expect(config.databaseUrl).toMatch(/^sqlite:.*data\/latchkey\.db$/);
    expect(config.dialects).toEqual(['oauth2', 'token-api', 'authenticate', 'access-token']);
    expect(config.environments).toEqual(['dev', 'test', 'prod']);
    expect(config.workers).toBe(1);
    expect(config.tokenApiTtlSeconds).toBe(14 * 86_400);
    expect(config.approvalEnvironments).toEqual([]);
    expect(config.patMaxDays).toBe(366);
    expect(config.mailFrom).toBe('Latchkey <latchkey@localhost>');
    expect(config.metricsListen).toBeNull();
    expect(config.accessLog).toBe('off');
    expect(config.accessLogSample).toBe(100);
    expect(config.clientCacheSize).toBe(1_000_000);
    expect(loadConfig({ LATCHKEY_CLIENT_CACHE_SIZE: '2000000' }).clientCacheSize).toBe(2_000_000);
    expect(config.clientCacheWarm).toBe(true);
    expect(loadConfig({ LATCHKEY_CLIENT_CACHE_WARM: 'false' }).clientCacheWarm).toBe(false);
  });

  it('puts the metrics on a port of their own, on the main host unless told otherwise', () => {
    expect(loadConfig({ LATCHKEY_METRICS_PORT: '9464' }).metricsListen).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ LATCHKEY_HOST: '0.0.0.0', LATCHKEY_METRICS_PORT: '9464', LATCHKEY_METRICS_HOST: '10.0.0.5' }).metricsListen).toEqual({ port: 9464, host: '10.0.0.5' });
    expect(loadConfig({ LATCHKEY_ACCESS_LOG: 'sampled', LATCHKEY_ACCESS_LOG_SAMPLE: '1000' })).toMatchObject({ accessLog: 'sampled', accessLogSample: 1000 });
  });

  it('takes the environments that need an administrator\'s approval from the configured list', () => {
    expect(loadConfig({ LATCHKEY_APPROVAL_ENVIRONMENTS: 'prod' }).approvalEnvironments).toEqual(['prod']);
    expect(loadConfig({ LATCHKEY_APPROVAL_ENVIRONMENTS: 'none' }).approvalEnvironments).toEqual([]);
  });

  it.each([
    ['LATCHKEY_PORT', 'eighty', /LATCHKEY_PORT=eighty is not valid: expected a whole number/],
    ['LATCHKEY_CLIENT_CACHE_SIZE', '0', /LATCHKEY_CLIENT_CACHE_SIZE=0 is not valid: expected a whole number from 1 to/],
    ['LATCHKEY_PORT', '70000', /LATCHKEY_PORT=70000/],
    ['LATCHKEY_ISSUER', 'not a url', /LATCHKEY_ISSUER/],
    ['LATCHKEY_ISSUER', 'https://auth.example.org/?x=1', /without query/],
    ['LATCHKEY_DATABASE_URL', 'mysql://x', /LATCHKEY_DATABASE_URL is not valid: expected sqlite:<path> or postgres/],
    ['LATCHKEY_DIALECTS', 'oauth2,soap', /LATCHKEY_DIALECTS=oauth2,soap is not valid: expected a comma-separated list of oauth2/],
    ['LATCHKEY_WORKERS', '0', /LATCHKEY_WORKERS=0/],
    ['LATCHKEY_SMTP_URL', 'http://mail', /LATCHKEY_SMTP_URL is not valid: expected a smtp:/],
    ['LATCHKEY_REDIS_URL', 'localhost:6379', /LATCHKEY_REDIS_URL/],
    ['LATCHKEY_CLIENT_CACHE_WARM', 'no', /LATCHKEY_CLIENT_CACHE_WARM=no is not valid: expected one of true, false/],
    ['LATCHKEY_SIGNING_ALG', 'HS256', /LATCHKEY_SIGNING_ALG=HS256 is not valid: expected one of ES256, EdDSA/],
    ['LATCHKEY_ENVIRONMENTS', 'dev,DEV Two', /LATCHKEY_ENVIRONMENTS/],
    ['LATCHKEY_APPROVAL_ENVIRONMENTS', 'prod,live', /"live" is not one of LATCHKEY_ENVIRONMENTS/],
    ['LATCHKEY_TOKEN_API_TTL', '5', /LATCHKEY_TOKEN_API_TTL=5 is not valid: expected a whole number from 60/],
    ['LATCHKEY_PAT_MAX_DAYS', '0', /LATCHKEY_PAT_MAX_DAYS=0/],
    ['LATCHKEY_INVITATION_TTL', 'a week', /LATCHKEY_INVITATION_TTL/],
    ['LATCHKEY_METRICS_PORT', '8080', /LATCHKEY_METRICS_PORT=8080 is not valid: it is LATCHKEY_PORT too/],
    ['LATCHKEY_METRICS_PORT', 'ninety', /LATCHKEY_METRICS_PORT=ninety is not valid: expected a whole number/],
    ['LATCHKEY_METRICS_HOST', '127.0.0.1', /LATCHKEY_METRICS_HOST needs LATCHKEY_METRICS_PORT/],
    ['LATCHKEY_ACCESS_LOG', 'verbose', /LATCHKEY_ACCESS_LOG=verbose is not valid: expected one of off, errors, sampled, all/],
    ['LATCHKEY_ACCESS_LOG_SAMPLE', '0', /LATCHKEY_ACCESS_LOG_SAMPLE=0 is not valid/],
    ['LATCHKEY_TRUSTED_PROXIES', '10.0.0.1,proxy.internal', /LATCHKEY_TRUSTED_PROXIES is not valid: "proxy.internal" is not an IP address or CIDR/],
    ['LATCHKEY_TRUSTED_PROXIES', '10.0.0.0/33', /"10.0.0.0\/33" is not an IP address or CIDR/],
    ['LATCHKEY_TRUSTED_PROXIES', 'fd00::/129', /"fd00::\/129"/],
    ['LATCHKEY_TRUSTED_PROXIES', '10.0.0.1/8/8', /LATCHKEY_TRUSTED_PROXIES/],
  ])('refuses %s=%s with a message naming the variable and what is expected', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('trusts no proxy by default, and takes IPv4 and IPv6 addresses and CIDRs', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ LATCHKEY_TRUSTED_PROXIES: ' 10.0.0.5, 10.1.0.0/16 ,::1,fd00::/8' }).trustedProxies).toEqual(['10.0.0.5', '10.1.0.0/16', '::1', 'fd00::/8']);
  });

  it('warns when a /0 range makes every client a trusted proxy', () => {
    const warnings: string[] = [];
    loadConfig({ LATCHKEY_TRUSTED_PROXIES: '0.0.0.0/0' }, (w) => warnings.push(w));
    expect(warnings.join()).toMatch(/LATCHKEY_TRUSTED_PROXIES trusts every address/);
  });

  it('needs the administrator email and password together', () => {
    expect(() => loadConfig({ LATCHKEY_ADMIN_EMAIL: 'ops@example.org' })).toThrow(/go together/);
    expect(loadConfig({ LATCHKEY_ADMIN_EMAIL: 'ops@example.org', LATCHKEY_ADMIN_PASSWORD: 'correct horse battery' }).admin?.email).toBe('ops@example.org');
  });

  it('drops a trailing slash from the issuer and warns about plain http off loopback', () => {
    const warnings: string[] = [];
    expect(loadConfig({ LATCHKEY_ISSUER: 'http://auth.internal/' }, (w) => warnings.push(w)).issuer).toBe('http://auth.internal');
    expect(warnings.join()).toMatch(/plain http/);
    expect(loadConfig({ LATCHKEY_ISSUER: 'https://auth.example.org' }, (w) => warnings.push(w)).issuer).toBe('https://auth.example.org');
    expect(warnings).toHaveLength(1);
  });
});
