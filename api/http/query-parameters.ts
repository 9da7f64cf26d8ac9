import { BadRequestError, InvalidError } from '../errors.js';
import { parseFieldSelector, type FieldSelector } from '../labels/field-selector.js';
import { parseLabelSelector, type LabelSelector } from '../labels/label-selector.js';
import { FieldErrors } from '../validation/field-errors.js';

// Query parameters, read the way kube-apiserver reads them. Upstream decodes
// url.Values into metav1 ListOptions/CreateOptions/UpdateOptions/
// PatchOptions/DeleteOptions with apimachinery's conversion functions, then
// validates the options struct:
// - a scalar takes the FIRST value of a repeated parameter (`in[0]`); only
//   slice fields (`dryRun`) take every value;
// - a boolean is false only for `0` or `false` in any case, and true for
//   anything else, the empty value included (`?watch` and `?watch=` watch);
// - an integer is Go's strconv.ParseInt(s, 10, 64), and its error, verbatim,
//   is a 400 BadRequest;
// - the decoded options are then validated; a violation is a 422 Invalid on
//   the options kind (`ListOptions.meta.k8s.io "" is invalid: ...`);
// - a parameter no options struct declares is ignored.

export type Query = Record<string, string | string[] | undefined>;

const META_GROUP = 'meta.k8s.io';

function valuesOf(query: Query, name: string): string[] {
  const value = query[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Convert_Slice_string_To_string: the first value; undefined when the parameter is absent. */
export function firstValue(query: Query, name: string): string | undefined {
  return valuesOf(query, name)[0];
}

/** Convert_Slice_string_To_bool: undefined when absent, false for `0` or `false` (any case), true otherwise. */
export function booleanParameter(query: Query, name: string): boolean | undefined {
  const value = firstValue(query, name);
  if (value === undefined) return undefined;
  return !(value === '0' || value.toLowerCase() === 'false');
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** strconv.ParseInt(text, 10, 64), with Go's error text. */
export function parseGoInt64(text: string): number {
  if (!/^[+-]?[0-9]+$/.test(text)) throw new BadRequestError(`strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax`);
  const value = BigInt(text);
  if (value > INT64_MAX || value < INT64_MIN) throw new BadRequestError(`strconv.ParseInt: parsing ${goQuote(text)}: value out of range`);
  return Number(value);
}

/** Convert_Slice_string_To_int64 / _Pointer_int64: undefined when absent. */
export function int64Parameter(query: Query, name: string): number | undefined {
  const value = firstValue(query, name);
  return value === undefined ? undefined : parseGoInt64(value);
}

const GO_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function isPrintable(char: string): boolean {
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(char);
}

/** strconv.Quote (Go's %q), so messages quote values exactly as upstream prints them. */
export function goQuote(text: string): string {
  let out = '"';
  for (const char of text) {
    const escape = GO_ESCAPES[char];
    if (escape !== undefined) out += escape;
    else if (isPrintable(char)) out += char;
    else {
      const code = char.codePointAt(0)!;
      if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
      else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += `\\U${code.toString(16).padStart(8, '0')}`;
    }
  }
  return `${out}"`;
}

function invalidOptions(kind: string, errors: FieldErrors): InvalidError {
  return new InvalidError(kind, '', errors.causes, META_GROUP);
}

// ---------------------------------------------------------------- ListOptions

export interface ListQuery {
  watch: boolean;
  labelSelector?: LabelSelector;
  fieldSelector?: FieldSelector;
  /** Positive, or undefined: upstream pages only when limit > 0. */
  limit?: number;
  continueToken?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  /** Seconds; 0 or absent means the server's randomized default, negative ends the watch at once. */
  timeoutSeconds?: number;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
}

/** metainternalversionvalidation.ValidateListOptions, with the WatchList feature enabled. */
function validateListOptions(query: ListQuery): FieldErrors {
  const errors = new FieldErrors();
  const match = query.resourceVersionMatch ?? '';
  if (query.watch) {
    if (query.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
      errors.forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
    }
    if (match !== '') {
      if (query.sendInitialEvents === undefined) errors.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
      if (match !== 'NotOlderThan') errors.notSupported('resourceVersionMatch', match, ['NotOlderThan']);
      if (query.continueToken) errors.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided');
    }
    return errors;
  }
  if (match !== '') {
    if (!query.resourceVersion) errors.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided');
    if (query.continueToken) errors.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided');
    if (match !== 'Exact' && match !== 'NotOlderThan') errors.notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']);
    if (match === 'Exact' && query.resourceVersion === '0') errors.forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
  }
  if (query.sendInitialEvents !== undefined) errors.forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list');
  return errors;
}

/**
 * The list handler's listOpts: decode, validate, parse the selectors, and,
 * for a single-object watch path (`.../watch/pods/NAME`), turn the name into
 * `metadata.name=NAME` — refusing a field selector that names another object.
 */
export function parseListQuery(query: Query, supportedFields: readonly string[], name?: string): ListQuery {
  const limit = int64Parameter(query, 'limit');
  const timeoutSeconds = int64Parameter(query, 'timeoutSeconds');
  const labelText = firstValue(query, 'labelSelector');
  const fieldText = firstValue(query, 'fieldSelector');
  const parsed: ListQuery = {
    watch: booleanParameter(query, 'watch') ?? false,
    labelSelector: labelText ? parseLabelSelector(labelText) : undefined,
    fieldSelector: undefined,
    limit: limit !== undefined && limit > 0 ? limit : undefined,
    continueToken: firstValue(query, 'continue') || undefined,
    resourceVersion: firstValue(query, 'resourceVersion') || undefined,
    resourceVersionMatch: firstValue(query, 'resourceVersionMatch') || undefined,
    timeoutSeconds,
    allowWatchBookmarks: booleanParameter(query, 'allowWatchBookmarks') ?? false,
    sendInitialEvents: booleanParameter(query, 'sendInitialEvents'),
  };
  const errors = validateListOptions(parsed);
  if (!errors.empty) throw invalidOptions('ListOptions', errors);
  // skiff's storage revisions are decimal; anything else can name no state.
  if (parsed.resourceVersion !== undefined && !/^\d+$/.test(parsed.resourceVersion)) {
    throw new BadRequestError(`resourceVersion: Invalid value: ${goQuote(parsed.resourceVersion)}: must be a non-negative integer`);
  }
  // A continue token carries its own revision (etcd3 store's resolveGetListRev).
  if (!parsed.watch && parsed.continueToken && parsed.resourceVersion && parsed.resourceVersion !== '0') {
    throw new BadRequestError('specifying resource version is not allowed when using continue');
  }
  if (fieldText) parsed.fieldSelector = parseFieldSelector(fieldText, supportedFields);
  if (name !== undefined) {
    if (parsed.fieldSelector && !parsed.fieldSelector.isEmpty()) {
      if (parsed.fieldSelector.exactValue('metadata.name') !== name) throw new BadRequestError("fieldSelector metadata.name doesn't match requested name");
    } else {
      parsed.fieldSelector = parseFieldSelector(`metadata.name=${name.replace(/[\\,=]/g, (c) => `\\${c}`)}`, supportedFields);
    }
  }
  return parsed;
}

// ------------------------------------------------ Create/Update/PatchOptions

export type FieldValidationDirective = 'Ignore' | 'Warn' | 'Strict';

export interface WriteQuery {
  dryRun: boolean;
  fieldManager?: string;
  /** Warn when absent or empty, as upstream defaults it. */
  fieldValidation: FieldValidationDirective;
}

export interface PatchQuery extends WriteQuery {
  force?: boolean;
}

/** ValidateDryRun: every value must be `All`. */
function validateDryRun(errors: FieldErrors, dryRun: readonly string[]): void {
  if (dryRun.some((value) => value !== 'All')) {
    errors.causes.push({ reason: 'FieldValueNotSupported', field: 'dryRun', message: `Unsupported value: []string{${dryRun.map(goQuote).join(', ')}}: supported values: "All"` });
  }
}

const FIELD_MANAGER_MAX_BYTES = 128;

/** ValidateFieldManager: at most 128 bytes, printable characters only. */
function validateFieldManager(errors: FieldErrors, fieldManager: string): void {
  if (Buffer.byteLength(fieldManager) > FIELD_MANAGER_MAX_BYTES) errors.tooLong('fieldManager', FIELD_MANAGER_MAX_BYTES);
  let position = 0;
  for (const char of fieldManager) {
    if (!isPrintable(char)) {
      const code = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errors.causes.push({ reason: 'FieldValueInvalid', field: 'fieldManager', message: `Invalid value: ${goQuote(fieldManager)}: invalid character U+${code} (at position ${position})` });
    }
    position += Buffer.byteLength(char);
  }
}

const FIELD_VALIDATION_VALUES = ['', 'Ignore', 'Strict', 'Warn'] as const;

function decodeWriteQuery(query: Query, errors: FieldErrors): WriteQuery {
  const dryRun = valuesOf(query, 'dryRun');
  const fieldManager = firstValue(query, 'fieldManager') ?? '';
  const fieldValidation = firstValue(query, 'fieldValidation') ?? '';
  validateFieldManager(errors, fieldManager);
  validateDryRun(errors, dryRun);
  if (!(FIELD_VALIDATION_VALUES as readonly string[]).includes(fieldValidation)) errors.notSupported('fieldValidation', fieldValidation, FIELD_VALIDATION_VALUES);
  return {
    dryRun: dryRun.length > 0,
    fieldManager: fieldManager || undefined,
    fieldValidation: (fieldValidation || 'Warn') as FieldValidationDirective,
  };
}

/** CreateOptions (POST, and the pods/binding subresource). */
export function parseCreateQuery(query: Query): WriteQuery {
  const errors = new FieldErrors();
  const parsed = decodeWriteQuery(query, errors);
  if (!errors.empty) throw invalidOptions('CreateOptions', errors);
  return parsed;
}

/** UpdateOptions (PUT). */
export function parseUpdateQuery(query: Query): WriteQuery {
  const errors = new FieldErrors();
  const parsed = decodeWriteQuery(query, errors);
  if (!errors.empty) throw invalidOptions('UpdateOptions', errors);
  return parsed;
}

/** PatchOptions: an apply patch needs a fieldManager; `force` is for apply patches only. */
export function parsePatchQuery(query: Query, apply: boolean): PatchQuery {
  const errors = new FieldErrors();
  const force = booleanParameter(query, 'force');
  if (apply) {
    if (!firstValue(query, 'fieldManager')) errors.required('fieldManager', 'is required for apply patch');
  } else if (force !== undefined) {
    errors.forbidden('force', 'may not be specified for non-apply patch');
  }
  const parsed = decodeWriteQuery(query, errors);
  if (!errors.empty) throw invalidOptions('PatchOptions', errors);
  return { ...parsed, force };
}

// ------------------------------------------------------------ DeleteOptions

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export interface DeleteQuery {
  dryRun: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

interface DeleteOptionsBody {
  dryRun?: unknown;
  gracePeriodSeconds?: unknown;
  propagationPolicy?: unknown;
  orphanDependents?: unknown;
  preconditions?: { uid?: string; resourceVersion?: string };
}

function isEmptyBody(body: unknown): boolean {
  return body === undefined || body === null || body === '';
}

function bodyField<T>(body: DeleteOptionsBody, field: keyof DeleteOptionsBody, type: 'number' | 'boolean' | 'string'): T | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (type === 'number' ? typeof value !== 'number' || !Number.isInteger(value) : typeof value !== type) {
    throw new BadRequestError(`DeleteOptions.${field} in the request body must be ${type === 'number' ? 'an integer' : `a ${type}`}`);
  }
  return value as T;
}

/**
 * DeleteOptions for DELETE of one object or a collection. As upstream's
 * delete handler does, a request body (a DeleteOptions object) is read in
 * place of the query: the query's options count only when the body is empty.
 */
export function parseDeleteQuery(query: Query, body: unknown): DeleteQuery {
  let parsed: DeleteQuery;
  let dryRun: string[];
  let propagation: string | undefined;
  if (isEmptyBody(body)) {
    dryRun = valuesOf(query, 'dryRun');
    propagation = firstValue(query, 'propagationPolicy');
    const uid = firstValue(query, 'uid') || undefined;
    const resourceVersion = firstValue(query, 'resourceVersion') || undefined;
    parsed = {
      dryRun: dryRun.length > 0,
      gracePeriodSeconds: int64Parameter(query, 'gracePeriodSeconds'),
      orphanDependents: booleanParameter(query, 'orphanDependents'),
      preconditions: uid || resourceVersion ? { uid, resourceVersion } : undefined,
    };
  } else {
    if (typeof body !== 'object' || Array.isArray(body)) throw new BadRequestError('the request body must be a DeleteOptions object');
    const options = body as DeleteOptionsBody;
    if (options.dryRun !== undefined && options.dryRun !== null && (!Array.isArray(options.dryRun) || options.dryRun.some((v) => typeof v !== 'string'))) {
      throw new BadRequestError('DeleteOptions.dryRun in the request body must be a list of strings');
    }
    dryRun = (options.dryRun as string[] | undefined | null) ?? [];
    propagation = bodyField<string>(options, 'propagationPolicy', 'string');
    parsed = {
      dryRun: dryRun.length > 0,
      gracePeriodSeconds: bodyField<number>(options, 'gracePeriodSeconds', 'number'),
      orphanDependents: bodyField<boolean>(options, 'orphanDependents', 'boolean'),
      preconditions: options.preconditions ?? undefined,
    };
  }
  const errors = new FieldErrors();
  if (parsed.orphanDependents !== undefined && propagation !== undefined) {
    errors.invalid('propagationPolicy', propagation, 'orphanDependents and deletionPropagation cannot be both set');
  }
  if (propagation !== undefined && propagation !== 'Foreground' && propagation !== 'Background' && propagation !== 'Orphan') {
    errors.notSupported('propagationPolicy', propagation, ['Foreground', 'Background', 'Orphan', 'nil']);
  }
  validateDryRun(errors, dryRun);
  if (!errors.empty) throw invalidOptions('DeleteOptions', errors);
  if (propagation !== undefined) parsed.propagationPolicy = propagation as PropagationPolicy;
  // Upstream treats a negative grace period as one second.
  if (parsed.gracePeriodSeconds !== undefined && parsed.gracePeriodSeconds < 0) parsed.gracePeriodSeconds = 1;
  return parsed;
}

// ------------------------------------------------------- response options

/**
 * isPrettyPrint: a non-empty `pretty` is Go's strconv.ParseBool of its first
 * value (false when it does not parse); otherwise curl, Wget and browsers get
 * indented output by default.
 */
export function prettyRequested(query: Query, userAgent: string | undefined): boolean {
  const value = firstValue(query, 'pretty');
  if (value) return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value);
  return userAgent !== undefined && /^(curl|Wget|Mozilla\/5\.0)/.test(userAgent);
}
