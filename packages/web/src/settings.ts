import type { PortalSettings } from '@latchkey/contract';

/** Server settings written into the page by the server (packages/server/src/http/web-routes.ts). */
const DEFAULTS: PortalSettings = {
  issuer: window.location.origin,
  environments: ['dev', 'test', 'prod'],
  approvalEnvironments: [],
  dialects: ['oauth2', 'token-api', 'authenticate', 'access-token'],
  patMaxDays: 366,
  maxSecretGraceSeconds: 7 * 86_400,
};

function read(): PortalSettings {
  const content = document.querySelector('meta[name="latchkey-settings"]')?.getAttribute('content');
  if (!content) return DEFAULTS;
  try {
    return { ...DEFAULTS, ...(JSON.parse(content) as Partial<PortalSettings>) };
  } catch {
    return DEFAULTS;
  }
}

export const settings: PortalSettings = read();

/** The origin the browser reached the server on: what curl examples and "Try it" call. */
export const origin = window.location.origin;
