// Clerk's error bodies, with the exact messages of the fixtures in
// /work/shared/clerk-api/fixtures (captured responses where there is one, else Clerk's error
// catalog). Handlers throw ClerkApiError; the server turns it into the response.

export interface ClerkErrorItem {
  message: string;
  long_message: string;
  code: string;
  meta?: Record<string, unknown>;
}

export interface ClerkErrorBody {
  errors: ClerkErrorItem[];
  clerk_trace_id: string;
}

export class ClerkApiError extends Error {
  constructor(
    readonly status: number,
    readonly item: ClerkErrorItem,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${status} ${item.code}: ${item.long_message}`);
  }

  body(traceId: string): ClerkErrorBody {
    return { errors: [this.item], clerk_trace_id: traceId };
  }
}

/** 401 for a well-formed header whose key is not one of the instance's keys. */
export function keyInvalid(): ClerkApiError {
  const text = 'The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.';
  return new ClerkApiError(401, { code: 'clerk_key_invalid', message: text, long_message: text });
}

/** 401 for a missing header or one that is not `Bearer <key>`. */
export function headerFormatInvalid(): ClerkApiError {
  return new ClerkApiError(401, {
    code: 'authorization_header_format_invalid',
    message: 'Invalid Authorization header format',
    long_message: "Invalid Authorization header format. Must be 'Bearer <YOUR_API_KEY>'",
  });
}

export function resourceNotFound(): ClerkApiError {
  return new ClerkApiError(404, { code: 'resource_not_found', message: 'not found', long_message: 'Resource not found' });
}

export function userNotFound(userId: string): ClerkApiError {
  return new ClerkApiError(404, {
    code: 'resource_not_found',
    message: 'not found',
    long_message: `No user was found with id ${userId}`,
  });
}

export function organizationNotFound(): ClerkApiError {
  return new ClerkApiError(404, {
    code: 'resource_not_found',
    message: 'not found',
    long_message: 'Given organization not found.',
  });
}

/** 422 as captured for `limit=10.0`: message "is invalid", empty meta. */
export function paramValueInvalid(param: string, value: string): ClerkApiError {
  return new ClerkApiError(422, {
    code: 'form_param_value_invalid',
    message: 'is invalid',
    long_message: `${value} does not match one of the allowed values for parameter ${param}`,
    meta: {},
  });
}

/**
 * 422 for a parameter Clerk documents but the simulator does not implement: failing loudly
 * beats answering as if the filter were not there.
 */
export function paramNotSimulated(param: string): ClerkApiError {
  return new ClerkApiError(422, {
    code: 'form_param_unknown',
    message: 'is unknown',
    long_message: `${param} is not a valid parameter for this request. (The Clerk simulator does not implement it.)`,
    meta: { param_name: param },
  });
}

export function tooManyRequests(retryAfterSeconds: number): ClerkApiError {
  return new ClerkApiError(
    429,
    { code: 'too_many_requests', message: 'Too many requests', long_message: 'Too many requests, retry later' },
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

export function internalError(): ClerkApiError {
  return new ClerkApiError(500, {
    code: 'internal_clerk_error',
    message: 'Oops, an unexpected error occurred',
    long_message: "There was an internal error on our servers. We've been notified and are working on fixing it.",
  });
}

/** 400 for a body that is not a JSON object. */
export function requestBodyInvalid(): ClerkApiError {
  return new ClerkApiError(400, {
    code: 'request_body_invalid',
    message: 'Request body invalid',
    long_message: 'The request body is invalid. Please consult the API documentation for more information.',
  });
}

export function paramMissing(param: string): ClerkApiError {
  return new ClerkApiError(422, { code: 'form_param_missing', message: 'is missing', long_message: `${param} must be included.`, meta: { param_name: param } });
}

/** 422 for a body field of the wrong type or shape; `rule` says what it must be. */
export function paramFormatInvalid(param: string, rule: string): ClerkApiError {
  return new ClerkApiError(422, { code: 'form_param_format_invalid', message: 'is invalid', long_message: `${param} ${rule}`, meta: { param_name: param } });
}

/** 422 for a body field the endpoint does not take (the catalog's FormUnknownParameter). */
export function paramUnknown(param: string): ClerkApiError {
  return new ClerkApiError(422, {
    code: 'form_param_unknown',
    message: 'is unknown',
    long_message: `${param} is not a valid parameter for this request.`,
    meta: { param_name: param },
  });
}

/** 422 for an email address, phone number, username, external id or slug another object has. */
export function identifierExists(param: string, noun: string): ClerkApiError {
  const text = `That ${noun} is taken. Please try another.`;
  return new ClerkApiError(422, { code: 'form_identifier_exists', message: text, long_message: text, meta: { param_name: param } });
}

export function alreadyMember(): ClerkApiError {
  return new ClerkApiError(400, {
    code: 'already_a_member_in_organization',
    message: 'already a member',
    long_message: 'User is already a member of the organization.',
    meta: { param_name: 'user_id' },
  });
}

export function membershipQuotaExceeded(limit: number): ClerkApiError {
  return new ClerkApiError(403, {
    code: 'organization_membership_quota_exceeded',
    message: 'Membership quota exceeded',
    long_message: `You have reached your limit of ${limit} organization memberships.`,
  });
}

/** 422 for a list that needs one of several parameters and got none (`GET /sessions`: user_id or client_id). */
export function paramMissingOneOf(params: readonly string[]): ClerkApiError {
  return new ClerkApiError(422, {
    code: 'form_param_missing',
    message: 'is missing',
    long_message: `Either ${params.join(' or ')} must be included.`,
    meta: { param_name: params[0] },
  });
}
