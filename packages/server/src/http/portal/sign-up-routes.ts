import { Type } from 'typebox';
import { signUp } from '../../domain/users/sign-up.js';
import type { PortalRoutes } from './portal-routes.js';
import { problems } from './problem.js';

const SignUpAccepted = Type.Object({
  email: Type.String(),
  detail: Type.String(),
});

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
        body: Type.Object({
          email: Type.String({ minLength: 3, maxLength: 320, description: 'your email address; it is also your log-in' }),
          name: Type.String({ minLength: 1, maxLength: 100 }),
          password: Type.String({ minLength: 1, maxLength: 1024, description: 'at least 12 characters, not a common password' }),
        }),
        response: { 202: SignUpAccepted, ...problems(400, 403, 429) },
      },
    },
    async (request, reply) => {
      const { email } = await signUp(deps, { ...request.body, address: request.ip });
      return reply.code(202).send({ email, detail: `If ${email} had no account, it has one now: log in with POST /api/v1/session. If it had one, its owner has been emailed.` });
    },
  );
};
