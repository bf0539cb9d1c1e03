/**
 * Rules for service requests: what a valid request is, who may file one and
 * for whom, and who may read one. A request is visible to its requester, to
 * whoever filed it for them, and to staff.
 */
import { z } from 'zod';
import {
  BadInputError,
  ForbiddenError,
  STAFF_ROLES,
  UnauthenticatedError,
  hasRole,
  isAuthenticated,
  isUuid,
  ok,
  readPage,
  refused,
  toConnection,
  userError,
  type Connection,
  type ConnectionArgs,
  type Result,
  type Role,
  type UserError,
  type UserErrorCode,
  type Viewer,
} from '@lianxin/shared';
import type { RequestsContext } from '../context.js';
import { requestChannel, type ServiceRequestRow } from '../db/schema.js';
import type { PersonModel } from '../model.js';
import { insertServiceRequest, requestCursor } from './store.js';

/** Roles that collect needs for residents (民情收集) and so may file on their behalf. */
const FILE_ON_BEHALF_ROLES: readonly Role[] = ['grid_worker', 'station_admin', 'community_admin', 'platform_admin'];

const DESCRIPTION_MAX_LENGTH = 2000;

/** Counts characters as Postgres' char_length does (code points), not UTF-16 units. */
const characterCount = (text: string): number => Array.from(text).length;

const createInputSchema = z.object({
  requester: z.string().refine(isUuid, { error: 'requester is not a person id.' }).nullish(),
  category: z.string().trim().min(1, { error: 'Choose what kind of help is needed.' }),
  description: z
    .string()
    .trim()
    .min(1, { error: 'Describe what help is needed.' })
    .refine((text) => characterCount(text) <= DESCRIPTION_MAX_LENGTH, {
      error: `Keep the description within ${DESCRIPTION_MAX_LENGTH} characters.`,
    }),
  channel: z.enum(requestChannel.enumValues).nullish(),
});

export type ServiceRequestCreateInput = z.input<typeof createInputSchema>;

/** A refusal of one field of the input. */
const inputError = (field: string, code: UserErrorCode, message: string): UserError => userError(['input', field], code, message);

/** An empty required text is the only `too_small` check above; every other failure is a malformed value. */
function fromIssue(issue: z.core.$ZodIssue): UserError {
  return userError(['input', ...issue.path.map(String)], issue.code === 'too_small' ? 'REQUIRED' : 'INVALID', issue.message);
}

function canSee(viewer: Viewer, request: ServiceRequestRow): boolean {
  const own = viewer.personId !== null && (request.requesterId === viewer.personId || request.filedById === viewer.personId);
  return own || hasRole(viewer, ...STAFF_ROLES);
}

function visible(viewer: Viewer, request: ServiceRequestRow | null): ServiceRequestRow | null {
  if (request && !canSee(viewer, request)) throw new ForbiddenError('Only the requester, whoever filed it and staff may see this request.');
  return request;
}

export async function getServiceRequest(ctx: RequestsContext, id: string): Promise<ServiceRequestRow | null> {
  if (!isAuthenticated(ctx.viewer)) throw new UnauthenticatedError();
  if (!isUuid(id)) throw new BadInputError('id is not a service request id.', 'id');
  return visible(ctx.viewer, await ctx.loaders.serviceRequestById.load(id));
}

/** A reference from another subgraph is read under the same rule as a direct query. */
export async function resolveServiceRequestReference(ctx: RequestsContext, id: string): Promise<ServiceRequestRow | null> {
  if (!isAuthenticated(ctx.viewer)) throw new UnauthenticatedError();
  return visible(ctx.viewer, await ctx.loaders.serviceRequestById.load(id));
}

/** Persons are owned by the people subgraph; here a reference is only its id, and one that cannot be an id is none. */
export function resolvePersonReference(id: string): PersonModel | null {
  return isUuid(id) ? { id } : null;
}

export async function listRequestsOfPerson(ctx: RequestsContext, personId: string, args: ConnectionArgs): Promise<Connection<ServiceRequestRow>> {
  if (!isAuthenticated(ctx.viewer)) throw new UnauthenticatedError();
  if (ctx.viewer.personId !== personId && !hasRole(ctx.viewer, ...STAFF_ROLES)) {
    throw new ForbiddenError("Only the person and staff may see a person's requests.");
  }
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await ctx.loaders.requestPage(page).load(personId);
  return toConnection(rows, page, requestCursor, () => ctx.loaders.requestCountOfPerson.load(personId));
}

/**
 * Files a request (点单). The requester is the viewer unless another person is
 * named; filing for someone else is a grid worker's or staff member's job, and
 * the filer is recorded. Nothing is written unless every check passes.
 */
export async function createServiceRequest(ctx: RequestsContext, input: ServiceRequestCreateInput): Promise<Result<ServiceRequestRow>> {
  const { viewer } = ctx;
  if (!isAuthenticated(viewer)) throw new UnauthenticatedError('Sign in to ask for help.');

  const parsed = createInputSchema.safeParse(input);
  const errors = parsed.success ? [] : parsed.error.issues.map(fromIssue);
  const requesterId = input.requester ?? viewer.personId;
  if (requesterId === null) errors.push(inputError('requester', 'REQUIRED', 'Say who needs the help: this account is not a person.'));
  if (!parsed.success || requesterId === null) return refused(...errors);
  const { category: categoryCode, description } = parsed.data;

  const onBehalf = requesterId !== viewer.personId;
  if (onBehalf && (viewer.personId === null || !hasRole(viewer, ...FILE_ON_BEHALF_ROLES))) {
    throw new ForbiddenError('Only grid workers and station or community staff, signed in as themselves, may file a request for someone else.');
  }
  const channel = parsed.data.channel ?? (onBehalf ? 'grid_worker' : 'app');
  if (channel === 'device') {
    return refused(inputError('channel', 'NOT_ALLOWED', 'Only a call button or sensor files requests through the device channel.'));
  }
  if (channel === 'grid_worker' && !onBehalf) {
    return refused(inputError('channel', 'INVALID', 'The grid worker channel is for requests filed on a resident’s behalf.'));
  }

  const category = await ctx.loaders.categoryByCode.load(categoryCode);
  if (!category) return refused(inputError('category', 'NOT_FOUND', `There is no category ${categoryCode}.`));

  const request = await insertServiceRequest(ctx.db, {
    requesterId,
    categoryCode: category.code,
    description,
    channel,
    filedById: onBehalf ? viewer.personId : null,
  });
  ctx.loaders.serviceRequestById.prime(request.id, request);
  return ok(request);
}
