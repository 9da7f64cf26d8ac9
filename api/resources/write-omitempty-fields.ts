// Writes omitempty-fields.ts from the Go types upstream serializes skiff's
// kinds with. Run it when the served API version moves:
//   node --import tsx api/resources/write-omitempty-fields.ts <kubernetes/api git dir> <kubernetes/apimachinery git dir>
// (a clone's .git or a bare mirror; HEAD is read). Only the json tags and the
// shape of each field's Go type matter: omitempty or not, pointer, slice, map,
// string-, number- or bool-like scalar, nested struct.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where each Go package's types live, and how the table names it. */
const PACKAGES = [
  { pkg: 'core', repo: 0, path: 'core/v1/types.go', prefix: 'core.v1' },
  { pkg: 'discovery', repo: 0, path: 'discovery/v1/types.go', prefix: 'discovery.v1' },
  { pkg: 'coordination', repo: 0, path: 'coordination/v1/types.go', prefix: 'coordination.v1' },
  { pkg: 'meta', repo: 1, path: 'pkg/apis/meta/v1/types.go', prefix: 'meta.v1' },
] as const;

const ROOTS: Record<string, string> = {
  Namespace: 'core.Namespace', Node: 'core.Node', Pod: 'core.Pod', Service: 'core.Service', Endpoints: 'core.Endpoints',
  Event: 'core.Event', Binding: 'core.Binding', EndpointSlice: 'discovery.EndpointSlice', Lease: 'coordination.Lease',
};

/** Structs that encode as scalars (or, for Time, as null when zero): never descended into, never omitted. */
const OPAQUE_STRUCTS = new Set(['meta.Time', 'meta.MicroTime', 'meta.Duration', 'meta.FieldsV1']);
const PACKAGE_ALIASES: Record<string, string> = { metav1: 'meta', v1: 'core', corev1: 'core' };
const STRING_TYPES = new Set(['string', 'types.UID', 'types.NodeName']);
const NUMBER_TYPES = new Set(['int', 'int32', 'int64', 'float64']);

interface GoField {
  type: string;
  tag: string;
}

const structs = new Map<string, GoField[]>();
const namedTypes = new Map<string, string>();

function parseFile(text: string, pkg: string): void {
  for (const match of text.matchAll(/^type (\w+) (\S+)/gm)) {
    if (match[2] !== 'struct') namedTypes.set(`${pkg}.${match[1]}`, match[2]!);
  }
  for (const match of text.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
    const fields: GoField[] = [];
    for (const raw of match[2]!.split('\n')) {
      const line = raw.trim();
      const field = /^(?:(\w+)\s+)?([\w.[\]*]+(?:\[[\w.]+\][\w.*[\]]+)?)\s+`json:"([^"]*)"/.exec(line);
      if (field && !line.startsWith('//')) fields.push({ type: field[2]!, tag: field[3]! });
    }
    structs.set(`${pkg}.${match[1]}`, fields);
  }
}

function qualify(type: string, pkg: string): string {
  if (type.includes('.')) {
    const [alias, name] = type.split('.', 2) as [string, string];
    return `${PACKAGE_ALIASES[alias] ?? alias}.${name}`;
  }
  if (type === 'bool' || type === 'byte' || STRING_TYPES.has(type) || NUMBER_TYPES.has(type)) return type;
  return `${pkg}.${type}`;
}

/** The outermost wrapper of a Go type (pointer, slice, map or none) and its element type. */
function shape(type: string, pkg: string): { wrapper: 'pointer' | 'list' | 'map' | null; base: string } {
  if (type.startsWith('*')) return { wrapper: 'pointer', base: shape(type.slice(1), pkg).base };
  if (type.startsWith('[]')) return { wrapper: 'list', base: shape(type.slice(2), pkg).base };
  if (type.startsWith('map[')) return { wrapper: 'map', base: shape(type.slice(type.indexOf(']') + 1), pkg).base };
  return { wrapper: null, base: qualify(type, pkg) };
}

/** Follows `type X Y` declarations to a builtin, a slice or a map. */
function underlying(type: string): string {
  let current = type;
  for (let i = 0; i < 5 && namedTypes.has(current); i++) {
    const next = namedTypes.get(current)!;
    current = next.startsWith('[]') || next.startsWith('map[') ? next : qualify(next, current.split('.')[0]!);
  }
  return current;
}

type Rule = 'string' | 'number' | 'boolean' | 'list' | 'map' | 'pointer';
type Entry = Map<string, { rule: Rule | null; child: string | null }>;
const table = new Map<string, Entry>();

function isStruct(type: string): boolean {
  return structs.has(type) && !OPAQUE_STRUCTS.has(type);
}

function scalarRule(base: string): Rule | null {
  const type = underlying(base);
  if (type.startsWith('map[')) return 'map';
  if (type.startsWith('[]')) return 'list';
  if (STRING_TYPES.has(type) || STRING_TYPES.has(base)) return 'string';
  if (NUMBER_TYPES.has(type)) return 'number';
  if (type === 'bool') return 'boolean';
  if (structs.has(base) || OPAQUE_STRUCTS.has(base) || base.startsWith('resource.') || base.startsWith('intstr.')) return null;
  throw new Error(`cannot tell how ${base} (${type}) encodes`);
}

function visit(name: string): void {
  if (table.has(name) || !structs.has(name)) return;
  const pkg = name.split('.')[0]!;
  const entry: Entry = new Map();
  table.set(name, entry);
  for (const field of structs.get(name)!) {
    const [jsonName = '', ...options] = field.tag.split(',');
    const { wrapper, base } = shape(field.type, pkg);
    if (options.includes('inline') || jsonName === '') {
      visit(base);
      for (const [key, value] of table.get(base) ?? []) entry.set(key, value);
      continue;
    }
    if (jsonName === '-') continue;
    const child = isStruct(base) ? base : null;
    if (child) visit(child);
    const rule = options.includes('omitempty') ? wrapper ?? scalarRule(base) : null;
    if (rule || child) entry.set(jsonName, { rule, child });
  }
}

/** Drops references to structs with nothing to prune inside, repeatedly, so the table names only useful types. */
function dropEmptyReferences(): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const entry of table.values()) {
      for (const [key, field] of entry) {
        if (field.child && (table.get(field.child)?.size ?? 0) === 0) {
          if (field.rule) entry.set(key, { rule: field.rule, child: null });
          else entry.delete(key);
          changed = true;
        }
      }
    }
  }
}

function tableName(type: string): string {
  const [pkg, name] = type.split('.') as [string, string];
  return `${PACKAGES.find((p) => p.pkg === pkg)!.prefix}.${name}`;
}

export function renderOmitemptyFields(sources: Record<string, string>, commits: readonly [string, string]): string {
  structs.clear();
  namedTypes.clear();
  table.clear();
  for (const { pkg, path } of PACKAGES) parseFile(sources[path]!, pkg);
  for (const root of Object.values(ROOTS)) visit(root);
  dropEmptyReferences();
  const lines = [...table.keys()].map((type) => [tableName(type), table.get(type)!] as const)
    .filter(([, entry]) => entry.size > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, entry]) => {
      const fields = [...entry].map(([key, { rule, child }]) => {
        if (child) return `${key}: [${rule ? `'${rule}'` : 'null'}, '${tableName(child)}']`;
        return `${key}: '${rule}'`;
      });
      return `  '${name}': { ${fields.join(', ')} },`;
    });
  const roots = Object.entries(ROOTS).map(([kind, type]) => `  ${kind}: '${tableName(type)}',`);
  return `${HEADER(commits)}export const GO_STRUCT_FIELDS: Readonly<Record<string, Readonly<Record<string, GoField>>>> = {
${lines.join('\n')}
};

/** The Go type of each kind skiff serves, by kind name. */
export const KIND_GO_TYPES: Readonly<Record<string, string>> = {
${roots.join('\n')}
};
`;
}

const HEADER = ([api, machinery]: readonly [string, string]): string => `// Which JSON fields of each served kind Kubernetes leaves out when empty,
// derived from the \`json:"…,omitempty"\` tags of the Go types in k8s.io/api
// (core/v1, discovery/v1, coordination/v1) and k8s.io/apimachinery (meta/v1).
// kube-apiserver decodes every body into those types and encodes them again,
// so an omitempty field holding its zero value never reaches a client.
// Read from kubernetes/api ${api.slice(0, 12)} and kubernetes/apimachinery ${machinery.slice(0, 12)};
// fields newer than the 1.32 API skiff reports are harmless (never sent).
// Written by write-omitempty-fields.ts; do not edit by hand.
//
// One entry per Go struct, keyed \`<group>.<version>.<Type>\`, listing only the
// fields that matter: an omission rule, a nested struct to descend into, or
// both. The rule follows the Go field's type:
//   'string' | 'number' | 'boolean'  omitted when "" / 0 / false (or null, which decodes to that)
//   'list' | 'map'                   omitted when empty or null
//   'pointer'                        omitted only when null: a pointer to "" or false is kept,
//                                    as EndpointSlice ports[].name "" is
// A field without a rule is kept whatever it holds: non-omitempty fields, and
// struct values (omitempty never drops a Go struct, so \`status: {}\` stays and a
// zero metav1.Time stays \`null\`, as \`lastProbeTime: null\` does).
// Inline structs (TypeMeta, ObjectMeta's embedding, VolumeSource, ProbeHandler)
// are merged into their parent's entry.

export type OmitRule = 'string' | 'number' | 'boolean' | 'list' | 'map' | 'pointer';

/** A field's omission rule, its nested struct type, or both ([rule or null, type]). */
export type GoField = OmitRule | readonly [OmitRule | null, string];

`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const gitDirs = process.argv.slice(2, 4);
  if (gitDirs.length !== 2) throw new Error('usage: write-omitempty-fields.ts <kubernetes/api git dir> <kubernetes/apimachinery git dir>');
  const git = (dir: string, ...args: string[]): string => execFileSync('git', [`--git-dir=${dir}`, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const sources: Record<string, string> = {};
  for (const { repo, path } of PACKAGES) sources[path] = git(gitDirs[repo]!, 'show', `HEAD:${path}`);
  const commits = [git(gitDirs[0]!, 'rev-parse', 'HEAD').trim(), git(gitDirs[1]!, 'rev-parse', 'HEAD').trim()] as const;
  const target = fileURLToPath(new URL('./omitempty-fields.ts', import.meta.url));
  writeFileSync(target, renderOmitemptyFields(sources, commits));
  process.stdout.write(`wrote ${target}\n`);
}
