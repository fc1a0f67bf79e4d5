import { type INestApplication, RequestMethod, type Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import {
  DocumentBuilder,
  type HeaderObject,
  type OpenAPIObject,
  type OperationObject,
  type ResponseObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { PUBLIC_ROUTE } from '../auth/public-route';
import { type ErrorCode } from '../http/problem';
import { API_DOC, type ApiDocOptions } from './api-doc';
import { toOpenApi31 } from './openapi-31';
import { ERROR_CODE_MEANINGS, FieldErrorSchema, ProblemSchema } from './problem.schema';

/** The document's tags, in the order readers meet them. */
const TAGS: [string, string][] = [
  ['identity', 'Registration, sign-in and the signed-in user'],
  ['spaces', 'Spaces (committees): their ladder, embed origins and facilitators'],
  ['topics', 'Topics: lifecycle, ladder, stances, timeline and official responses'],
  ['comments', 'Threaded comments'],
  ['agrees', 'Agrees (공감) on topics and comments, with exact counts'],
  ['moderation', 'Reports, hiding and restoring, bans and the audit log'],
  ['rooms', 'Live town halls over HTTP (the live side is Socket.IO, namespace /live)'],
  ['open-data', 'Public exports of topics, comments and agrees, as CSV or JSON'],
  ['operations', 'Health checks'],
];

const PROBLEM_JSON = 'application/problem+json';

const RETRY_AFTER: HeaderObject = {
  description: 'Seconds to wait before retrying.',
  schema: { type: 'integer', minimum: 1 },
};

/**
 * Routes without the shared 503 problem: liveness never touches the database, and readiness
 * answers a 503 of its own (its usual body), documented on it.
 */
const OWN_503 = new Set(['HealthController_live', 'HealthController_ready']);

interface Handler {
  controller: Type;
  method: (...args: never[]) => unknown;
}

/** Every controller method by the operationId Swagger gives it (`Controller_method`). */
function handlersByOperationId(app: INestApplication): Map<string, Handler> {
  const handlers = new Map<string, Handler>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const method = prototype[name];
        if (name !== 'constructor' && typeof method === 'function') {
          handlers.set(`${controller.name}_${name}`, {
            controller,
            method: method as Handler['method'],
          });
        }
      }
    }
  }
  return handlers;
}

/** The status a route really answers on success: @HttpCode, else 201 for POST and 200 otherwise. */
function successStatus(handler: Handler): number {
  const code = Reflect.getMetadata(HTTP_CODE_METADATA, handler.method) as number | undefined;
  if (code !== undefined) return code;
  const method = Reflect.getMetadata(METHOD_METADATA, handler.method) as RequestMethod;
  return method === RequestMethod.POST ? 201 : 200;
}

function problemResponse(codes: ErrorCode[]): ResponseObject {
  const unique = [...new Set(codes)];
  return {
    description: unique.map((code) => `- \`${code}\`: ${ERROR_CODE_MEANINGS[code]}`).join('\n'),
    content: {
      [PROBLEM_JSON]: {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/Problem' },
            { type: 'object', properties: { code: { type: 'string', enum: unique } } },
          ],
        },
      },
    },
  };
}

/**
 * Completes one operation from its route: who may call it, every refusal it can answer (its own
 * from @ApiDoc, and those every route shares), and checks that its documented success status is
 * the one it answers. Returns what is wrong with it, if anything.
 */
function completeOperation(
  operation: OperationObject,
  handler: Handler | undefined,
): string | undefined {
  const id = operation.operationId ?? '?';
  const doc =
    handler && (Reflect.getMetadata(API_DOC, handler.method) as ApiDocOptions | undefined);
  if (!handler || !doc) return `${id} has no @ApiDoc`;
  if (successStatus(handler) !== doc.status) {
    return `${id} answers ${successStatus(handler)} but @ApiDoc says ${doc.status}`;
  }
  for (const status of Object.keys(operation.responses)) {
    if (status.startsWith('2') && status !== String(doc.status)) {
      return `${id} documents a second success status ${status}`;
    }
  }
  const isPublic =
    Reflect.getMetadata(PUBLIC_ROUTE, handler.method) === true ||
    Reflect.getMetadata(PUBLIC_ROUTE, handler.controller) === true;
  // A public route still checks a token when one is sent, to personalise its answer.
  operation.security = isPublic ? [{}, { bearer: [] }] : [{ bearer: [] }];

  const parameters = (operation.parameters ?? []) as { name?: string; in?: string }[];
  const hasBody = operation.requestBody !== undefined;
  const idempotent = parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key');
  const own = doc.problems ?? {};
  const problems = new Map<number, ErrorCode[]>();
  const add = (status: number, ...codes: readonly ErrorCode[]): void => {
    problems.set(status, [...(problems.get(status) ?? []), ...codes]);
  };

  if (parameters.length > 0 || hasBody) add(400, 'validation_failed');
  if (hasBody) add(400, 'malformed_json');
  add(401, 'unauthorized', 'token_expired');
  for (const [status, codes] of Object.entries(own)) add(Number(status), ...codes);
  if (idempotent) {
    add(409, 'idempotency_in_flight', 'idempotency_result_lost');
    add(422, 'idempotency_key_reused');
  }
  if (hasBody) {
    add(413, 'payload_too_large');
    add(415, 'unsupported_media_type');
  }
  add(429, 'rate_limited');
  add(500, 'internal_error');
  if (!OWN_503.has(id)) add(503, 'service_unavailable');

  for (const [status, codes] of [...problems].sort(([a], [b]) => a - b)) {
    const response = problemResponse(codes);
    if (status === 429 || status === 503) response.headers = { 'Retry-After': RETRY_AFTER };
    if (status === 401) {
      response.headers = {
        'WWW-Authenticate': { description: 'Always `Bearer`.', schema: { type: 'string' } },
      };
    }
    operation.responses[String(status)] = response;
  }

  if (doc.alternative) {
    const success = operation.responses[String(doc.status)] as ResponseObject;
    success.description = `Success. ${doc.alternative.description}`;
    success.content = {
      ...success.content,
      [doc.alternative.mediaType]: { schema: { type: 'string' } },
    };
  }
  return undefined;
}

/**
 * The OpenAPI document of the whole API, as `/api/docs-json` serves it and
 * `npm run lint:openapi` checks it. Works on an application created in preview mode (nothing
 * instantiated, no database), which is how src/tools/write-openapi.ts builds it.
 *
 * `strict` (the writer, hence CI): a route without @ApiDoc, or documented with another success
 * status than it answers, fails the build of the document. The server itself builds it leniently:
 * such a route is published as Swagger found it, and the documentation page stays up.
 */
export function buildOpenApiDocument(
  app: INestApplication,
  { strict }: { strict: boolean } = { strict: true },
): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Madang API')
    .setDescription(
      'Deliberation forum and real-time public square (마당). Errors are RFC 9457 ' +
        '`application/problem+json` with a stable `code`; lists are `{items, nextCursor}` pages.',
    )
    .setVersion('1')
    // Paths carry their full prefix (`/api/v1/...`), so the server is this origin itself.
    .addServer('/', 'This server')
    .addBearerAuth();
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ProblemSchema, FieldErrorSchema],
  });
  const handlers = handlersByOperationId(app);
  const wrong: string[] = [];
  for (const item of Object.values(document.paths)) {
    for (const verb of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[verb];
      if (!operation) continue;
      const problem = completeOperation(operation, handlers.get(operation.operationId ?? ''));
      if (problem) wrong.push(problem);
    }
  }
  if (strict && wrong.length > 0) {
    throw new Error(`The OpenAPI document is incomplete:\n  - ${wrong.join('\n  - ')}`);
  }
  toOpenApi31(document);
  return document;
}
