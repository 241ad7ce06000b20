import { SignUpAcceptedJson as SignUpAccepted, SignUpBody } from '@latchkey/contract';
import type { PortalRoutes } from './portal-routes.js';
import { problems } from './problem.js';

/** POST /api/v1/users: sign-up; the same answer whether or not the address has an account. */
export const registerSignUpRoutes: PortalRoutes = (app, deps) => {
  app.post(
    '/users',
    {
      schema: {
        operationId: 'signUp',
        tags: ['users'],
        summary: 'Sign up',
        description:
          'Creates an account without roles. The answer is the same when the address has an account already (its owner is emailed instead), so it does not reveal who has one. Log in afterwards with POST /api/v1/session.',
        security: [],
        body: SignUpBody,
        response: { 202: SignUpAccepted, ...problems(400, 403, 429) },
      },
    },
    async (request, reply) => {
      const { email } = await deps.useCases.signUp({ ...request.body, address: request.ip });
      return reply.code(202).send({ email, detail: `If ${email} had no account, it has one now: log in with POST /api/v1/session. If it had one, its owner has been emailed.` });
    },
  );
};
