import type { FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { nameBodySchemas } from '../openapi-components.js';

/**
 * OpenAPI 3.1 from the routes' own JSON schemas. Register before any route (the plugin collects routes
 * as they are added), serve after: GET /api/openapi.json and the rendered docs at /docs.
 */
export async function collectOpenApi(app: FastifyInstance, issuer: string): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Latchkey API',
        version: '1',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
        description: 'Portal REST API (/api/v1, errors as RFC 9457 application/problem+json) and the OAuth 2.0 endpoints. See docs/portal-api.md.',
      },
      servers: [{ url: issuer }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: issuer.startsWith('https:') ? '__Host-latchkey_session' : 'latchkey_session' },
          bearer: { type: 'http', scheme: 'bearer', description: 'a personal access token' },
          clientSecretBasic: {
            type: 'http',
            scheme: 'basic',
            description: 'OAuth client authentication client_secret_basic (RFC 6749 §2.3.1): client_id and client_secret, each form-encoded, as user and password',
          },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    // Outside the portal (OAuth endpoints, probes) the portal's session/bearer security does not apply.
    transform: ({ schema, url }) => ({
      schema: url.startsWith('/api/v1/') || schema?.security ? schema : { ...schema, security: [] },
      url,
    }),
    // Named bodies, so that generated clients get a type per request and response (openapi-components.ts).
    transformObject: (document) => ('openapiObject' in document ? nameBodySchemas(document.openapiObject) : document.swaggerObject),
  });
}

export async function serveOpenApi(app: FastifyInstance): Promise<void> {
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
}
