/**
 * @nestjs/swagger writes OpenAPI 3.0 schemas: `nullable: true`, and a `$ref` with anything beside
 * it wrapped in a one-element `allOf`. The document is published as OpenAPI 3.1, whose schemas
 * are JSON Schema: a nullable value is a type that includes `"null"` (and an enum that lists
 * null), and a `$ref` may carry a description of its own. This rewrites every schema in place;
 * nothing else differs between the two versions in what this server's document uses.
 */
export function toOpenApi31(document: { openapi: string }): void {
  document.openapi = '3.1.0';
  visit(document);
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function visit(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item);
    return;
  }
  if (!isObject(node)) return;
  for (const value of Object.values(node)) visit(value);
  rewrite(node);
}

function rewrite(schema: Json): void {
  const single =
    Array.isArray(schema.allOf) && schema.allOf.length === 1 && isObject(schema.allOf[0])
      ? schema.allOf[0]
      : undefined;
  // Only the keyword: a `properties` map may have a property named `nullable` (or `type`).
  if (typeof schema.nullable !== 'boolean' && !single) return;
  const nullable = schema.nullable === true;
  if (typeof schema.nullable === 'boolean') delete schema.nullable;

  if (single && typeof single.$ref === 'string') {
    delete schema.allOf;
    // Swagger adds `type: object` beside a nullable reference; the reference says the type.
    delete schema.type;
    if (nullable) schema.oneOf = [{ $ref: single.$ref }, { type: 'null' }];
    else schema.$ref = single.$ref;
    return;
  }
  if (!nullable) return;
  if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  const values: unknown = schema.enum;
  if (Array.isArray(values) && !values.includes(null))
    schema.enum = [...(values as unknown[]), null];
}
