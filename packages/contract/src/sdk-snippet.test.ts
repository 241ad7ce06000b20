import { describe, expect, it } from 'vitest';
import { sdkSnippet } from './sdk-snippet.js';

const base = { issuer: 'https://auth.example.org', clientId: 'acr-dev-1a2b', scope: 'email:send email:read' };

describe('sdkSnippet', () => {
  it('fills in the credential, reads the secret from the environment, and verifies with the service audience', () => {
    const code = sdkSnippet({ ...base, service: { name: 'Email', audience: 'urn:latchkey:service:email:dev', baseUrl: 'https://mail.dev.example.org' } });
    expect(code).toContain("issuer: 'https://auth.example.org',");
    expect(code).toContain("clientId: 'acr-dev-1a2b',");
    expect(code).toContain('clientSecret: process.env.CLIENT_SECRET!,');
    expect(code).toContain("scope: 'email:send email:read',");
    expect(code).toContain("await tokens.fetch('https://mail.dev.example.org');");
    expect(code).toContain("createVerifier({\n  issuer: 'https://auth.example.org',\n  audience: 'urn:latchkey:service:email:dev',\n});");
    expect(code).toContain('// In the service that receives the calls (Email):');
  });

  it('omits an empty scope, and the call and verifier without a service', () => {
    const code = sdkSnippet({ ...base, scope: '' });
    expect(code).not.toContain('scope:');
    expect(code).not.toContain('createVerifier');
    expect(code).toContain('await tokens.getToken()');
  });

  it('uses a placeholder URL when the service has none here, and escapes quotes', () => {
    const code = sdkSnippet({ ...base, clientId: "it's", service: { name: 'Email', audience: 'urn:x', baseUrl: null } });
    expect(code).toContain("clientId: 'it\\'s',");
    expect(code).toContain("tokens.fetch('https://api.example.org/v1/…')");
  });
});
