import { applyDecorators, type Type } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiSchema } from '@nestjs/swagger';
import { type ErrorCode } from '../http/problem';
import { type Page } from '../http/pagination';

export const API_DOC = 'madang:api-doc';

/** The refusals a route documents itself; the ones every route shares are added for it. */
export type RouteProblems = Partial<
  Record<400 | 401 | 403 | 404 | 409 | 422, readonly ErrorCode[]>
>;

export interface ApiDocOptions {
  /** One line: what the operation does. */
  summary: string;
  description?: string;
  /**
   * The success status; it must be the one the route answers (checked when the document is
   * built): 201 for a POST, 200 otherwise, unless @HttpCode says another.
   */
  status: 200 | 201 | 204;
  /** The body class of the success answer, `[Class]` for an array (none for 204). */
  type?: Type | [Type];
  /** Another media type the success answer may take (e.g. `text/markdown`), described here. */
  alternative?: { mediaType: string; description: string };
  /** Refusals this route can answer beyond the shared ones. */
  problems?: RouteProblems;
}

/**
 * The OpenAPI description of one route: its summary, its success answer and the refusals of its
 * own. The document builder (openapi-document.ts) adds what every route shares (the token check,
 * validation, rate limit, overload) and refuses to build a document where a route lacks this.
 */
export function ApiDoc(options: ApiDocOptions): MethodDecorator {
  return applyDecorators(
    (_target: object, _key: string | symbol, descriptor: PropertyDescriptor) => {
      Reflect.defineMetadata(API_DOC, options, descriptor.value as object);
    },
    ApiOperation({ summary: options.summary, description: options.description }),
    ApiResponse({
      status: options.status,
      description: options.status === 204 ? 'Done; no body.' : 'Success.',
      ...(options.type ? { type: options.type } : {}),
    }),
  );
}

const pages = new Map<Type, Type>();

/**
 * The schema of a list answer, `{items: [Item], nextCursor}`, named `<Item>Page`. One class per
 * item class, so that every route returning that list shares one schema.
 */
export function pageOf<T>(item: Type<T>, itemName: string): Type<Page<T>> {
  const known = pages.get(item);
  if (known) return known as Type<Page<T>>;
  class PageSchema implements Page<T> {
    items!: T[];
    nextCursor!: string | null;
  }
  ApiProperty({ type: [item] })(PageSchema.prototype, 'items');
  ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass it as `cursor` for the next page; null on the last page.',
  })(PageSchema.prototype, 'nextCursor');
  ApiSchema({ name: `${itemName}Page` })(PageSchema);
  pages.set(item, PageSchema);
  return PageSchema;
}
