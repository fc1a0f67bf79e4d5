import { ApiSchema } from '@nestjs/swagger';

/** True when A and B are assignable to each other: the same fields, optionality and types. */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * Marks a class as the OpenAPI schema `name` of a view the API returns. It compiles only when
 * the class has exactly the shape of that view (no field missing, none extra, the same
 * optionality and types), so the published document cannot drift from what the routes return.
 */
export function Documents<View>(name: string, description?: string) {
  return <C extends abstract new () => object>(
    target: C &
      (SameShape<InstanceType<C>, View> extends true
        ? unknown
        : { 'this class does not have the shape of the view it documents': View }),
  ): void => {
    ApiSchema({ name, description })(target);
  };
}
