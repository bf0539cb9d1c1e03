/**
 * Trusted documents (persisted documents): the operations of the first-party
 * apps, listed in a manifest generated from the operations catalogue
 * (`examples/__generated__/persisted-documents.json`, `sha256:<hex>` → document
 * text). A client may send a listed document by its id instead of its text;
 * with `TRUSTED_DOCUMENTS=require` the gateway runs nothing else for
 * first-party clients, so a stolen app token cannot run a document the apps
 * never send. Partners' tills, analysts and platform admins write their own
 * operations and keep arbitrary documents, under the same limits as before.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import { Kind, parse, type DefinitionNode } from 'graphql';
import { ConfigError, hasRole, isMerchantClient, sendError, type Viewer } from '@lianxin/shared';

/** `accept`: listed documents may be sent by id, any other document is run as before. `require`: first-party clients may run listed documents only. */
export type TrustedDocumentsMode = 'accept' | 'require';

export interface TrustedDocumentsConfig {
  mode: TrustedDocumentsMode;
  /** The manifest's path; it must exist when the mode is `require`. */
  manifestPath: string;
}

/** A document id as the GraphQL-over-HTTP persisted documents draft writes it. */
const DOCUMENT_ID = /^sha256:([0-9a-f]{64})$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The listed documents by the hex SHA-256 of their text. */
export type TrustedDocuments = ReadonlyMap<string, string>;

/** Reads a manifest; a missing file is an empty list unless the mode requires one, and a malformed one stops the start. */
export function loadTrustedDocuments({ mode, manifestPath }: TrustedDocumentsConfig): TrustedDocuments {
  if (!existsSync(manifestPath)) {
    if (mode === 'require') throw new ConfigError(`invalid configuration: TRUSTED_DOCUMENTS_PATH: ${manifestPath} does not exist, and TRUSTED_DOCUMENTS=require needs it`);
    return new Map();
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    manifest = null;
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest))
    throw new ConfigError(`invalid configuration: ${manifestPath} is not a persisted-document manifest`);
  const documents = new Map<string, string>();
  for (const [id, text] of Object.entries(manifest)) {
    const hash = DOCUMENT_ID.exec(id)?.[1];
    // An entry whose id is not the hash of its text would let a listed id run an unlisted document.
    if (!hash || typeof text !== 'string' || sha256(text) !== hash) throw new ConfigError(`invalid configuration: ${manifestPath}: ${id} is not the SHA-256 of its document`);
    documents.set(hash, text);
  }
  return documents;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The names of the operations the listed documents define (the metrics label them whatever their cap). */
export function operationNames(documents: Iterable<string>): string[] {
  const names: string[] = [];
  for (const text of documents) {
    let definitions: readonly DefinitionNode[];
    try {
      definitions = parse(text).definitions;
    } catch {
      // A listed document that does not parse is refused when sent; it names nothing here.
      continue;
    }
    for (const definition of definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) names.push(definition.name.value);
    }
  }
  return names;
}

/** Clients that write their own operations: a merchant's till credential, analysts, platform admins. Everyone else runs the apps' documents. */
export const writesOwnDocuments = (viewer: Viewer): boolean => isMerchantClient(viewer) || hasRole(viewer, 'analyst', 'platform_admin');

interface OperationBody {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
}

/** The hash an Apollo persisted-query extension names, when it names one. */
function persistedQueryHash(extensions: unknown): string | null {
  if (typeof extensions !== 'object' || extensions === null) return null;
  const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (typeof persisted !== 'object' || persisted === null) return null;
  const hash = (persisted as { sha256Hash?: unknown }).sha256Hash;
  return typeof hash === 'string' && SHA256_HEX.test(hash) ? hash : null;
}

/**
 * Puts a listed document in place of its id (`documentId`, or an Apollo
 * persisted-query hash sent without the text), then, in `require` mode,
 * refuses a first-party client's document that is not listed. Runs after the
 * viewer is known and the body parsed.
 */
export function trustedDocuments(documents: TrustedDocuments, mode: TrustedDocumentsMode): RequestHandler {
  return (req, res, next) => {
    const get = req.method === 'GET';
    const source: unknown = get ? req.query : req.body;
    // Other methods, and bodies that are not objects, are refused further on, as without trusted documents.
    if ((!get && req.method !== 'POST') || typeof source !== 'object' || source === null) {
      next();
      return;
    }
    const body = source as OperationBody;
    if (body.documentId !== undefined) {
      const hash = typeof body.documentId === 'string' ? DOCUMENT_ID.exec(body.documentId)?.[1] : undefined;
      if (!hash) {
        sendError(res, 400, 'BAD_REQUEST', 'documentId must be "sha256:" followed by 64 lowercase hex digits.');
        return;
      }
      const text = documents.get(hash);
      if (text === undefined) {
        sendError(res, 400, 'PERSISTED_DOCUMENT_NOT_FOUND', 'No trusted document has this id; send the document text, or the id of a listed one.');
        return;
      }
      if (get) {
        // A GET's query string cannot be rewritten on its way to GraphQL: ids travel in a POST body.
        sendError(res, 400, 'BAD_REQUEST', 'Send documentId in a POST body.');
        return;
      }
      if (body.query !== undefined && body.query !== text) {
        sendError(res, 400, 'BAD_REQUEST', 'Send either documentId or query, not two different documents.');
        return;
      }
      body.query = text;
      delete body.documentId;
    }
    const hash = persistedQueryHash(body.extensions);
    if (!get && hash && body.query === undefined && documents.has(hash)) body.query = documents.get(hash);

    if (mode === 'require' && !writesOwnDocuments(res.locals['viewer'] as Viewer)) {
      // A hash without text is looked up by Apollo Server among documents registered before; only a listed one may be.
      const sent = typeof body.query === 'string' ? sha256(body.query) : hash;
      if (sent === null || !documents.has(sent)) {
        sendError(res, 400, 'DOCUMENT_NOT_TRUSTED', 'This client may run only the trusted documents of the Lianxin apps; send a listed documentId.');
        return;
      }
    }
    next();
  };
}
