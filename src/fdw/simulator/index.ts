// The built-in Clerk Backend API simulator: a local HTTP server serving a deterministic,
// generated Clerk instance (users, organizations, memberships) with Clerk's filters, paging,
// errors and rate limits, plus knobs for latency and faults.
export { secretKeysFor, type KeyType, type SecretKeys } from './auth.js';
export { Dataset, DEFAULT_DATASET, type DatasetOptions, type OrganizationOptions } from './dataset.js';
export { FAULT_KINDS, type Fault, type FaultKind } from './faults.js';
export { MEMBERSHIP_ORDER_FIELDS, ORGANIZATION_ORDER_FIELDS, USER_ORDER_FIELDS } from './listing.js';
export { DEFAULT_RUNTIME, type RuntimeChanges, type RuntimeOptions, type SimulatorOptions } from './options.js';
export { DEFAULT_LIMIT, MAX_LIMIT, MAX_LIST_VALUES } from './params.js';
export { CLERK_RATE_LIMITS, type RateLimits } from './rateLimit.js';
export { RequestLog, type LoggedRequest } from './requestLog.js';
export { startSimulator, type Simulator } from './server.js';
export { DAY_MS, DEFAULT_NOW } from './timeline.js';
export { DEFAULT_PORT, parseSimulateArgs, runSimulateCommand } from './command.js';
