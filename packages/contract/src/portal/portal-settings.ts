/** The server settings the portal page is served with (a `latchkey-settings` meta element, as JSON). */
export interface PortalSettings {
  readonly issuer: string;
  readonly environments: readonly string[];
  readonly approvalEnvironments: readonly string[];
  readonly dialects: readonly string[];
  readonly patMaxDays: number;
  readonly maxSecretGraceSeconds: number;
}
