/**
 * Statistics as CSV downloads (`/stats.csv`): the operation runs through the
 * same Apollo Server as `/graphql`, behind the same entrance, so identity,
 * rate limits, trusted documents, query limits, costs, the statistics'
 * access rules and error masking all apply unchanged; only the answer is
 * written as CSV instead of JSON. docs/analysts.md, "Downloading as CSV",
 * says what a download holds.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ApolloServer, ApolloServerPlugin, BaseContext as ApolloContext } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { stringify } from 'csv-stringify';
import type { RequestHandler } from 'express';
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  OperationTypeNode,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isLeafType,
  isListType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { CodedError, MASKED_MESSAGE, requestRecord, type Logger } from '@lianxin/shared';

export const STATS_CSV_PATH = '/stats.csv';

/** Joins the values of a column that crosses a list inside a row (a volunteer's badges): one cell per row, never extra rows. */
export const LIST_SEPARATOR = '; ';

/** A column of the CSV: its header, and the response keys leading to its value from a row (a bucket, a list item) and from the total. */
export interface CsvColumn {
  header: string;
  row: readonly string[] | null;
  total: readonly string[] | null;
}

/** What one download writes, worked out from the operation before it runs. */
export interface StatisticTable {
  /** The statistic's field name, which names the file. */
  field: string;
  /** Its response key (the alias when given), under which the answer holds it. */
  key: string;
  /** `buckets`: a `…Stats` answer, one line per bucket and the total last; `list`: one line per item (a leaderboard). */
  shape: 'buckets' | 'list';
  /** For `buckets`: the response keys of `buckets` and `total`, when selected. */
  bucketsKey: string | null;
  totalKey: string | null;
  columns: readonly CsvColumn[];
}

/** A CSV download in progress: the table is filled in once the operation is known. */
export interface CsvDownload {
  table?: StatisticTable;
}

/** A context that may belong to a CSV download. */
export interface CsvContext extends ApolloContext {
  csv?: CsvDownload;
}

/** Why an operation cannot be a CSV download: the client's mistake, 400. */
function refusal(message: string, field?: string): CodedError {
  return new CodedError('BAD_USER_INPUT', message, { status: 400, extensions: field ? { field } : {} });
}

/** A statistic's answer type: `…Stats` with a list of `buckets` (the same names the cost estimate weighs). */
function bucketsOf(type: GraphQLObjectType): GraphQLField<unknown, unknown> | undefined {
  const buckets = type.name.endsWith('Stats') ? type.getFields()['buckets'] : undefined;
  return buckets && isListType(getNullableType(buckets.type)) ? buckets : undefined;
}

/** Which shape a root field has as a statistic, or null when it is none: a `…Stats` answer, or a leaderboard (a list field named `…Leaderboard`). */
function statisticShape(field: GraphQLField<unknown, unknown>): StatisticTable['shape'] | null {
  const named = getNamedType(field.type);
  if (!isObjectType(named)) return null;
  if (bucketsOf(named)) return 'buckets';
  if (field.name.endsWith('Leaderboard') && isListType(getNullableType(field.type))) return 'list';
  return null;
}

interface Collection {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/**
 * The fields a selection set selects on `type`, by response key in the order
 * the answer gives them: fragments spread, `@skip`/`@include` applied, and
 * the same key selected twice merged (as graphql-js collects them).
 */
function collectFields(collection: Collection, type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[]): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const seen = new Set<string>();
  const included = (node: FieldNode | SelectionSetNode['selections'][number]): boolean => {
    if (getDirectiveValues(GraphQLSkipDirective, node, collection.variables)?.['if'] === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, collection.variables)?.['if'] !== false;
  };
  // Every type of the graph is an object type, so a fragment applies when it names this type (validation refuses any other).
  const applies = (condition: { name: { value: string } } | undefined): boolean => !condition || collection.schema.getType(condition.name.value) === type;
  const visit = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        fields.set(key, [...(fields.get(key) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition)) visit(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = collection.fragments.get(name);
        if (seen.has(name) || !fragment || !applies(fragment.typeCondition)) continue;
        seen.add(name);
        visit(fragment.selectionSet);
      }
    }
  };
  for (const selectionSet of selectionSets) visit(selectionSet);
  return fields;
}

/** The selection sets of the nodes of one response key, merged as the answer merges them. */
const selectionSetsOf = (nodes: readonly FieldNode[]): SelectionSetNode[] => nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));

/** The response-key paths of every leaf selected under `type`, in the order the answer gives them. */
function leafPaths(collection: Collection, type: GraphQLObjectType, nodes: readonly FieldNode[], prefix: readonly string[]): string[][] {
  const paths: string[][] = [];
  for (const [key, fieldNodes] of collectFields(collection, type, selectionSetsOf(nodes))) {
    const path = [...prefix, key];
    const name = fieldNodes[0]!.name.value;
    const field = type.getFields()[name];
    if (name === '__typename' || !field) {
      // Validation has refused unknown fields; `__typename` is a leaf like any other.
      paths.push(path);
      continue;
    }
    const named = getNamedType(field.type);
    if (isLeafType(named)) paths.push(path);
    else if (isObjectType(named)) paths.push(...leafPaths(collection, named, fieldNodes, path));
    else throw refusal(`${path.join('.')} is of an abstract type, which has no fixed columns.`, path.join('.'));
  }
  return paths;
}

/**
 * Works out the CSV of an operation: it must be a query selecting exactly one
 * statistic. Throws BAD_USER_INPUT naming what is wrong; returns null when
 * the variables do not coerce (execution then reports them, as on `/graphql`).
 */
export function statisticTable(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, rawVariables: Record<string, unknown>): StatisticTable | null {
  if (operation.operation !== OperationTypeNode.QUERY) throw refusal('Only a query can be downloaded as CSV.');
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables);
  if (coerced.errors) return null;
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])));
  const collection: Collection = { schema, fragments, variables: coerced.coerced };
  const root = schema.getQueryType();
  if (!root) throw refusal('Only a query can be downloaded as CSV.');

  // `__typename` says nothing a table needs, at the root or on the statistic; it is a column only inside a row.
  const selected = [...collectFields(collection, root, [operation.selectionSet])].filter(([, nodes]) => nodes[0]!.name.value !== '__typename');
  if (selected.length === 0) throw refusal('Select one statistic to download as CSV, e.g. { serviceHourStats { buckets { region { name } figures { hours } } } }.');
  if (selected.length > 1) {
    throw refusal(
      `A CSV download holds one statistic; this operation selects ${selected.length} fields (${selected.map(([key]) => key).join(', ')}). Ask for each in its own download.`,
      selected[1]![0],
    );
  }
  const [key, nodes] = selected[0]!;
  const field = root.getFields()[nodes[0]!.name.value];
  const shape = field ? statisticShape(field) : null;
  const named = field ? getNamedType(field.type) : undefined;
  if (!field || !shape || !isObjectType(named)) {
    throw refusal(`${key} is not a statistic; only a field answering a …Stats type, or a leaderboard, can be downloaded as CSV.`, key);
  }
  if (shape === 'list') {
    const columns = leafPaths(collection, named, nodes, []).map((path) => ({ header: path.join('.'), row: path, total: null }));
    if (columns.length === 0) throw refusal(`Select the fields of ${key} to download.`, key);
    return { field: field.name, key, shape, bucketsKey: null, totalKey: null, columns };
  }

  const parts = [...collectFields(collection, named, selectionSetsOf(nodes))].filter(([, partNodes]) => partNodes[0]!.name.value !== '__typename');
  const keyOf = (name: string): string | null => {
    const matching = parts.filter(([, partNodes]) => partNodes[0]!.name.value === name);
    if (matching.length > 1) throw refusal(`Select ${key}.${name} once in a CSV download.`, `${key}.${name}`);
    return matching[0]?.[0] ?? null;
  };
  const bucketsKey = keyOf('buckets');
  const totalKey = keyOf('total');
  if (!bucketsKey && !totalKey) throw refusal(`Select ${key}'s buckets, its total, or both.`, key);

  const bucketsField = bucketsOf(named)!;
  const bucketType = getNamedType(bucketsField.type) as GraphQLObjectType;
  const columns: CsvColumn[] = [];
  if (bucketsKey) {
    const bucketNodes = parts.find(([partKey]) => partKey === bucketsKey)![1];
    for (const path of leafPaths(collection, bucketType, bucketNodes, [])) columns.push({ header: path.join('.'), row: path, total: null });
  }
  if (totalKey) {
    // The total's figures go in the columns of the buckets' figures (the bucket's field of the total's type): the total is their sum.
    const totalField = named.getFields()['total'];
    const totalType = totalField ? getNamedType(totalField.type) : undefined;
    if (!totalType || !isObjectType(totalType)) throw refusal(`${key}.total has no fields to download.`, `${key}.total`);
    const figures = Object.values(bucketType.getFields()).find((candidate) => getNamedType(candidate.type) === totalType);
    const bucketNodes = bucketsKey ? parts.find(([partKey]) => partKey === bucketsKey)![1] : [];
    const figuresKey =
      (figures && [...collectFields(collection, bucketType, selectionSetsOf(bucketNodes))].find(([, figureNodes]) => figureNodes[0]!.name.value === figures.name)?.[0]) ??
      figures?.name ??
      'total';
    const totalNodes = parts.find(([partKey]) => partKey === totalKey)![1];
    for (const path of leafPaths(collection, totalType, totalNodes, [])) {
      const header = [figuresKey, ...path].join('.');
      const column = columns.find((candidate) => candidate.header === header && candidate.total === null);
      if (column) column.total = path;
      else columns.push({ header, row: null, total: path });
    }
  }
  return { field: field.name, key, shape, bucketsKey, totalKey, columns };
}

/** One cell: a value of the answer as it is (a number stays a number), or the values of a list joined; null is an empty cell. */
type Cell = string | number | boolean | null;

/** The value at `keys` under `from`; the values of every list crossed on the way (a nested list, a list of scalars) joined with LIST_SEPARATOR. */
export function cellAt(from: unknown, keys: readonly string[]): Cell {
  let crossesList = false;
  const walk = (value: unknown, depth: number): unknown[] => {
    if (Array.isArray(value)) {
      crossesList = true;
      return value.flatMap((item) => walk(item, depth));
    }
    if (depth === keys.length) return [value];
    if (typeof value !== 'object' || value === null) return [];
    return walk((value as Record<string, unknown>)[keys[depth]!], depth + 1);
  };
  const values = walk(from, 0).filter((value): value is string | number | boolean => value !== null && value !== undefined);
  if (crossesList) return values.map(String).join(LIST_SEPARATOR);
  return values[0] ?? null;
}

/** The lines of a download: the header, then one per bucket (or item), then the total. */
export function* csvRecords(table: StatisticTable, data: Record<string, unknown> | null | undefined): Generator<Cell[]> {
  const marked = table.shape === 'buckets';
  yield [...(marked ? ['row'] : []), ...table.columns.map((column) => column.header)];
  const answer = data?.[table.key];
  if (table.shape === 'list') {
    for (const item of Array.isArray(answer) ? answer : []) yield table.columns.map((column) => cellAt(item, column.row!));
    return;
  }
  const stats = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
  const buckets = table.bucketsKey ? stats[table.bucketsKey] : undefined;
  for (const bucket of Array.isArray(buckets) ? buckets : []) yield ['bucket', ...table.columns.map((column) => (column.row ? cellAt(bucket, column.row) : null))];
  const total = table.totalKey ? stats[table.totalKey] : undefined;
  if (typeof total === 'object' && total !== null) yield ['total', ...table.columns.map((column) => (column.total ? cellAt(total, column.total) : null))];
}

/**
 * The CSV writer: a UTF-8 byte order mark (Excel reads the file as UTF-8
 * only with it, and garbles Chinese without), RFC 4180 quoting (a value with
 * a comma, a quote or a line break in quotes, quotes doubled) and CRLF line
 * ends, booleans as `true`/`false` (the default writes false as an empty
 * cell, which reads as null), and text cells that a spreadsheet would run as
 * a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return,
 * or their full-width forms) prefixed with `'`, as OWASP recommends. Numbers
 * are written as they are, so a negative figure stays a number.
 */
export function csvWriter(): ReturnType<typeof stringify> {
  return stringify({
    bom: true,
    record_delimiter: 'windows',
    // With a record delimiter given, csv-stringify quotes only values holding that delimiter; a bare \n or \r must be quoted too.
    quote_record_delimiter: true,
    escape_formulas: true,
    cast: { boolean: (value) => (value ? 'true' : 'false') },
  });
}

/** The Beijing calendar day of `now`, for the file's name. */
const beijingToday = (now: number): string => new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * The HTTP status of an answer that failed: Apollo Server's own when it set
 * one (400 for a query it refused), else by the first error's code, since
 * `/graphql` answers a subgraph's refusal with 200 and the errors.
 */
export function failureStatus(apolloStatus: number | undefined, code: unknown): number {
  if (apolloStatus !== undefined && apolloStatus >= 400) return apolloStatus;
  switch (code) {
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'RATE_LIMITED':
      return 429;
    case 'SUBGRAPH_UNAVAILABLE':
      return 503;
    case 'STATISTICS_TIMEOUT':
      return 504;
    // NOT_FOUND in an answer is a reference that dangles (a bucket's region people does not have): a fault of the data, not of the request.
    case 'NOT_FOUND':
    case 'INTERNAL_SERVER_ERROR':
    case undefined:
      return 500;
    default:
      // Every other public code (BAD_USER_INPUT, STATISTICS_TOO_LARGE, QUERY_TOO_COMPLEX …) is about the request.
      return 400;
  }
}

/**
 * Fills in a download's table once Apollo Server knows the operation, and
 * refuses one that is not a single statistic; other requests pass untouched.
 * Runs with the other plugins, after parsing and validation (so the document
 * has passed the limits) and before execution.
 */
export function statsCsvPlugin<TContext extends CsvContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue }) {
      const download = contextValue.csv;
      if (!download) return;
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const table = statisticTable(schema, document, operation, request.variables ?? {});
          if (table) download.table = table;
        },
      };
    },
  };
}

interface AnswerBody {
  data?: Record<string, unknown> | null;
  errors?: { extensions?: Record<string, unknown> }[];
}

/**
 * The `/stats.csv` handler, after the same entrance and body steps as
 * `/graphql`: hands the request to Apollo Server as the `/graphql` route does
 * (Apollo's own handling of GET and POST, CSRF prevention, persisted queries
 * and every plugin), with `context` built as there; then writes the answer as
 * CSV, or, when there is any error, the usual JSON error body with a status
 * that says what went wrong. Never half a CSV: the whole answer is in before
 * the first line is written.
 */
export function statsCsvRoute<TContext extends CsvContext>(
  server: ApolloServer<TContext>,
  context: (res: Parameters<RequestHandler>[1]) => TContext,
  logger: Logger,
  now: () => number = Date.now,
): RequestHandler {
  return async (req, res) => {
    const download: CsvDownload = {};
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    // The client asks for CSV; from Apollo Server it gets the JSON answer, which this route turns into CSV.
    headers.set('accept', 'application/json');
    const query = req.url.indexOf('?');
    const search = query >= 0 ? req.url.slice(query) : '';
    const answer = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search, body: req.body as unknown },
      context: async () => ({ ...context(res), csv: download }),
    });
    for (const [name, value] of answer.headers) {
      // Apollo's content headers describe its JSON; anything else it sets (Allow on a 405) stands.
      if (name !== 'content-type' && name !== 'content-length') res.setHeader(name, value);
    }
    const body: AnswerBody = answer.body.kind === 'complete' ? (JSON.parse(answer.body.string) as AnswerBody) : { errors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
    const table = download.table;
    if (body.errors?.length || !table || (answer.status ?? 200) >= 400) {
      const errors = body.errors?.length ? body.errors : [{ message: MASKED_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR', traceId: res.locals['traceId'] as string } }];
      if (!body.errors?.length) {
        logger.error({ traceId: res.locals['traceId'] as string }, 'a CSV download had neither errors nor a table');
        requestRecord(res).errorCodes = ['INTERNAL_SERVER_ERROR'];
      }
      res.status(failureStatus(answer.status, errors[0]?.extensions?.['code'])).json({ errors });
      return;
    }

    const filename = `${table.field}-${beijingToday(now())}.csv`;
    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    // The field name is a GraphQL name, plain ASCII: both forms of the filename are the same text, the RFC 6266 pair clients expect.
    res.setHeader('content-disposition', `attachment; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    const record = requestRecord(res);
    record.csvRows = 0;
    const records = function* (): Generator<Cell[]> {
      let header = true;
      for (const line of csvRecords(table, body.data)) {
        yield line;
        if (header) header = false;
        else record.csvRows = (record.csvRows ?? 0) + 1;
      }
    };
    try {
      // pipeline writes each line as it is serialised, and waits whenever the client reads slower than lines are written.
      await pipeline(Readable.from(records()), csvWriter(), res);
    } catch (error) {
      // The client went away mid-download: the request log line says `aborted`; there is no one to answer.
      if (!res.destroyed) throw error;
    }
  };
}
