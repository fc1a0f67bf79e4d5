import { Body, Controller, Get, HttpCode, Module, Param, Post, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { ApiHeader, ApiProperty, type OpenAPIObject } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { Public } from '../auth/public-route';
import { ApiDoc } from './api-doc';
import { buildOpenApiDocument } from './openapi-document';
import { toOpenApi31 } from './openapi-31';

class ThingBody {
  @ApiProperty()
  @IsString()
  name!: string;
}

class ThingSchema {
  @ApiProperty()
  name!: string;
}

@Controller('things')
class ThingsController {
  @Public()
  @Get(':id')
  @ApiDoc({
    summary: 'Get a thing',
    status: 200,
    type: ThingSchema,
    problems: { 404: ['not_found'] },
  })
  get(@Param('id') id: string): ThingSchema {
    return { name: id };
  }

  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiDoc({ summary: 'Make a thing', status: 201, type: ThingSchema })
  make(@Body() body: ThingBody): ThingSchema {
    return body;
  }
}

@Controller('broken')
class UndocumentedController {
  @Get()
  list(): string[] {
    return [];
  }
}

@Controller('wrong')
class WrongStatusController {
  @Post()
  @HttpCode(200)
  @ApiDoc({ summary: 'Says 201, answers 200', status: 201 })
  act(): void {}
}

async function documentOf(controller: Type, strict = true): Promise<OpenAPIObject> {
  @Module({ controllers: [controller] })
  class TestModule {}
  const app = await NestFactory.create(TestModule, new ExpressAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return buildOpenApiDocument(app, { strict });
  } finally {
    await app.close();
  }
}

interface ProblemContent {
  content: {
    'application/problem+json': {
      schema: { allOf: [unknown, { properties: { code: { enum: string[] } } }] };
    };
  };
}

const codes = (
  document: OpenAPIObject,
  path: string,
  verb: 'get' | 'post',
): Record<string, string[]> => {
  const responses = document.paths[path]![verb]!.responses as unknown as Record<
    string,
    ProblemContent
  >;
  return Object.fromEntries(
    Object.entries(responses)
      .filter(([status]) => !status.startsWith('2'))
      .map(([status, response]) => [
        status,
        response.content['application/problem+json'].schema.allOf[1].properties.code.enum,
      ]),
  );
};

describe('buildOpenApiDocument', () => {
  it('adds the shared refusals to each route and its own, by status', async () => {
    const document = await documentOf(ThingsController);
    expect(codes(document, '/things/{id}', 'get')).toEqual({
      '400': ['validation_failed'],
      '401': ['unauthorized', 'token_expired'],
      '404': ['not_found'],
      '429': ['rate_limited'],
      '500': ['internal_error'],
      '503': ['service_unavailable'],
    });
    expect(codes(document, '/things', 'post')).toEqual({
      '400': ['validation_failed', 'malformed_json'],
      '401': ['unauthorized', 'token_expired'],
      '409': ['idempotency_in_flight', 'idempotency_result_lost'],
      '413': ['payload_too_large'],
      '415': ['unsupported_media_type'],
      '422': ['idempotency_key_reused'],
      '429': ['rate_limited'],
      '500': ['internal_error'],
      '503': ['service_unavailable'],
    });
  });

  it('marks public routes as taking a token optionally and the others as requiring one', async () => {
    const document = await documentOf(ThingsController);
    expect(document.paths['/things/{id}']!.get!.security).toEqual([{}, { bearer: [] }]);
    expect(document.paths['/things']!.post!.security).toEqual([{ bearer: [] }]);
  });

  it('publishes OpenAPI 3.1', async () => {
    const document = await documentOf(ThingsController);
    expect(document.openapi).toBe('3.1.0');
  });

  it('refuses a route without @ApiDoc', async () => {
    await expect(documentOf(UndocumentedController)).rejects.toThrow(
      'UndocumentedController_list has no @ApiDoc',
    );
  });

  it('publishes an undocumented route as it is when not strict (the served document)', async () => {
    const document = await documentOf(UndocumentedController, false);
    expect(Object.keys(document.paths)).toEqual(['/broken']);
    expect(document.paths['/broken']!.get!.summary).toBeUndefined();
  });

  it('refuses a documented success status the route does not answer', async () => {
    await expect(documentOf(WrongStatusController)).rejects.toThrow(
      'WrongStatusController_act answers 200 but @ApiDoc says 201',
    );
  });
});

describe('toOpenApi31', () => {
  it('turns nullable types, enums and references into JSON Schema', () => {
    const document = {
      openapi: '3.0.0',
      components: {
        schemas: {
          A: {
            type: 'object',
            properties: {
              text: { type: 'string', nullable: true },
              stance: { type: 'string', enum: ['for', 'against'], nullable: true },
              person: { type: 'object', nullable: true, allOf: [{ $ref: '#/P' }] },
              role: { description: 'kept', allOf: [{ $ref: '#/R' }] },
              both: { allOf: [{ $ref: '#/P' }, { type: 'object' }] },
              plain: { type: 'integer' },
            },
          },
          // A schema whose properties are named like keywords keeps them.
          Column: {
            type: 'object',
            properties: { nullable: { type: 'boolean' }, type: { type: 'string' } },
            required: ['nullable', 'type'],
          },
        },
      },
    };
    toOpenApi31(document);
    expect(document).toEqual({
      openapi: '3.1.0',
      components: {
        schemas: {
          A: {
            type: 'object',
            properties: {
              text: { type: ['string', 'null'] },
              stance: { type: ['string', 'null'], enum: ['for', 'against', null] },
              person: { oneOf: [{ $ref: '#/P' }, { type: 'null' }] },
              role: { description: 'kept', $ref: '#/R' },
              both: { allOf: [{ $ref: '#/P' }, { type: 'object' }] },
              plain: { type: 'integer' },
            },
          },
          Column: {
            type: 'object',
            properties: { nullable: { type: 'boolean' }, type: { type: 'string' } },
            required: ['nullable', 'type'],
          },
        },
      },
    });
  });
});
