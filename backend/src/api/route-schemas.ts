// Route schemas with zod: params, query strings and bodies are checked by Fastify before a
// handler runs, so a bad parameter is a 400 that names it — never a ZodError thrown inside
// a handler and reported as a 500. Each route plugin opts in with zodRoutes(app); the app's
// one error handler words the 400 with validationProblem().
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** This plugin's routes validate with zod schemas (encapsulated: JSON-schema routes elsewhere keep Ajv). */
export function zodRoutes(app: FastifyInstance) {
  app.setValidatorCompiler(validatorCompiler);
  return app.withTypeProvider<ZodTypeProvider>();
}

/** An id in a path: sessions, users, customers (uuids and short CRM ids). */
export const PathId = z.string().min(1).max(100);

/** A 400 body for a failed route schema, naming the parameter; undefined if the error is something else. */
export function validationProblem(error: unknown): { error: 'bad_request'; parameter: string; message: string } | undefined {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as FastifyError).validationContext ?? 'request';
    const issue = error.validation[0]!;
    const keys = (issue.params as { keys?: string[] }).keys;
    if (issue.keyword === 'unrecognized_keys' && keys) {
      const what = where === 'querystring' ? 'query parameter' : where === 'body' ? 'field' : 'parameter';
      return { error: 'bad_request', parameter: keys.join(', '), message: `Unknown ${what} ${keys.join(', ')}; remove it or check the spelling.` };
    }
    const parameter = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const what = where === 'querystring' ? 'Query parameter' : where === 'params' ? 'Path parameter' : where === 'body' ? 'Field' : 'Parameter';
    return { error: 'bad_request', parameter, message: `${what} ${parameter || '(body)'} is not valid: ${issue.message}.` };
  }
  // A schema parsed by hand inside a handler is still the client's mistake, not the server's.
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const parameter = issue?.path.map(String).join('.') ?? '';
    return { error: 'bad_request', parameter, message: `${parameter || 'The request'} is not valid: ${issue?.message ?? 'invalid'}.` };
  }
  return undefined;
}
