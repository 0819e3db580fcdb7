// The OpenAPI 3.1 document, generated from the route table and the same zod schemas the
// handlers use (zod 4's z.toJSONSchema emits JSON Schema 2020-12, OpenAPI 3.1's dialect).
import { z } from 'zod';
import { errorBodySchema } from '../http/schemas.ts';
import { namedSchemas, type RouteDoc, routeDocs } from './routes.ts';

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

/** components.schemas as the operations are rendered: a named schema becomes a $ref to it. */
type Components = Record<string, Json>;

function schemaRef(schema: z.ZodType, io: 'input' | 'output', components: Components): Json {
  const name = schema === errorBodySchema ? 'Error' : namedSchemas.get(schema);
  if (name === undefined) return schemaOf(schema, io);
  components[name] ??= schemaOf(schema, io);
  return { $ref: `#/components/schemas/${name}` };
}

function parameters(route: RouteDoc): Json[] {
  const params: Json[] = [];
  for (const [, name] of route.path.matchAll(/\{(\w+)\}/g))
    params.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  if (route.query !== undefined) {
    const shape = schemaOf(route.query, 'input') as {
      properties?: Record<string, Json>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(shape.properties ?? {}))
      params.push({ name, in: 'query', required: shape.required?.includes(name) ?? false, schema });
  }
  for (const header of route.headers ?? [])
    params.push({
      name: header.name,
      in: 'header',
      required: false,
      description: header.description,
      schema: { type: 'string' },
    });
  return params;
}

function operation(route: RouteDoc, components: Components): Json {
  const responses: Json = {};
  // Every route behind a key can answer 401, whether or not its entry says so.
  const documented = route.auth
    ? { 401: { description: 'missing or invalid API key' }, ...route.responses }
    : route.responses;
  for (const [status, response] of Object.entries(documented)) {
    const content =
      response.content === undefined
        ? Number(status) >= 400
          ? { 'application/json': { schema: schemaRef(errorBodySchema, 'output', components) } }
          : undefined
        : Object.fromEntries(
            Object.entries(response.content).map(([type, schema]) => [
              type,
              {
                schema:
                  schema === undefined
                    ? { type: type === 'application/json' ? 'object' : 'string' }
                    : schemaRef(schema, 'output', components),
              },
            ]),
          );
    responses[status] = { description: response.description, ...(content === undefined ? {} : { content }) };
  }
  return {
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    operationId: `${route.method}${route.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    parameters: parameters(route),
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            description: route.body.description,
            content: {
              'application/json': {
                schema: schemaRef(route.body.schema, 'input', components),
                ...(route.body.example === undefined ? {} : { example: route.body.example }),
              },
            },
          },
        }),
    responses,
    ...(route.auth ? { security: [{ bearer: [] }] } : { security: [] }),
  };
}

export function buildOpenApiDocument(version = '0.1.0'): Json {
  const paths: Record<string, Json> = {};
  const schemas: Components = {};
  for (const route of routeDocs)
    paths[route.path] = { ...(paths[route.path] ?? {}), [route.method]: operation(route, schemas) };
  return {
    openapi: '3.1.0',
    info: {
      title: 'ldam-runner API',
      version,
      description:
        'Submit, track, stream, cancel and retry class-imbalance training experiments (LDAM-DRW and baselines).',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    // Relative: the document is served by the API it describes, wherever that is deployed.
    servers: [{ url: '/', description: 'the server that serves this document' }],
    paths,
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'an LDAM_API_KEYS token' } },
    },
  };
}
