// An error as Postgres reports one: message, SQLSTATE, optional detail and hint, and where in
// the cell it points. Every failure a notebook user sees goes through this shape.
import type { TextPosition } from '../sql/sourceText.js';

export interface SqlErrorFields {
  message: string;
  /** SQLSTATE, e.g. `42710`. */
  code: string;
  detail?: string;
  hint?: string;
  /** Where in the cell the error points, when it points somewhere. */
  position?: TextPosition;
  /**
   * The key the failure asks for: a server without one, or one Clerk refused (401). Typed, so
   * that the notebook can offer "Set key for <origin>" without reading the message.
   */
  needsKey?: KeyTarget;
}

/** A key's place in a secret store: the server's name and its API origin. */
export interface KeyTarget {
  server: string;
  origin: string;
}

export class SqlError extends Error {
  override name = 'SqlError';
  readonly code: string;
  readonly detail?: string;
  readonly hint?: string;
  position?: TextPosition;
  readonly needsKey?: KeyTarget;

  constructor(fields: SqlErrorFields) {
    super(fields.message);
    this.code = fields.code;
    this.detail = fields.detail;
    this.hint = fields.hint;
    this.position = fields.position;
    this.needsKey = fields.needsKey;
  }

  /** The fields as plain data (what crosses a thread). */
  fields(): SqlErrorFields {
    const { message, code, detail, hint, position, needsKey } = this;
    return { message, code, detail, hint, position, needsKey };
  }
}

/** SQLSTATEs used by the FDW's own statements, named as in Postgres's errcodes.txt. */
export const SQLSTATE = {
  duplicateObject: '42710',
  undefinedObject: '42704',
  undefinedFunction: '42883',
  undefinedTable: '42P01',
  duplicateTable: '42P07',
  dependentObjectsStillExist: '2BP01',
  wrongObjectType: '42809',
  featureNotSupported: '0A000',
  fdwInvalidOptionName: 'HV00D',
  fdwOptionNameNotFound: 'HV00J',
  fdwInvalidAttributeValue: 'HV024',
  fdwUnableToEstablishConnection: 'HV00N',
  fdwError: 'HV000',
  syntaxError: '42601',
  queryCanceled: '57014',
  objectNotInPrerequisiteState: '55000',
} as const;
