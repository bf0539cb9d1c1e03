/**
 * GraphQL enum values are SCREAMING_CASE, Postgres enum labels lower_case;
 * these convert between them with the types kept exact.
 */
export const toGraphQLEnum = <T extends string>(value: T): Uppercase<T> => value.toUpperCase() as Uppercase<T>;
export const fromGraphQLEnum = <T extends string>(value: T): Lowercase<T> => value.toLowerCase() as Lowercase<T>;
