/** Building blocks every route module uses: a sub-app factory whose validation errors are problem+json, and contract helpers. */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './env';
import { zodProblem } from './errors';

/** A sub-app for one area, mounted with `app.route()`; invalid input throws `validation_failed`. */
export function newApi() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw zodProblem(result.error);
    },
  });
}

/** A required JSON body for `createRoute({ request: { body: jsonBody(Schema) } })`. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } } as const;
}

const ProblemSchema = z
  .object({ type: z.string(), title: z.string(), status: z.number(), code: z.string(), detail: z.string().optional() })
  .openapi('Problem');

/** Declared error answers for a route, e.g. `...problems(401, 403, 422)`. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: 'Problem', content: { 'application/problem+json': { schema: ProblemSchema } } }]),
  );
}

/** A JSON success answer for the OpenAPI document. */
export function ok<T extends z.ZodType>(schema: T, description = 'OK') {
  return { description, content: { 'application/json': { schema } } } as const;
}
