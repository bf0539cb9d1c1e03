/** What people's resolvers receive for types that are not a row (codegen mappers). */

/** The signed-in viewer (`Query.me`): the token's subject and the person behind it, if any. */
export interface ViewerModel {
  /** The token's subject. */
  id: string;
  personId: string | null;
}
