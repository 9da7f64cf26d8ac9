// The node's images: skiff runs processes, not container images, so an image
// name maps to a command on this host. Built-ins ship with skiff; the rest
// come from `--image NAME=COMMAND…`. A tag or digest is ignored unless a
// mapping names it exactly (`--image web:2=…` beats `--image web=…`).

import { fileURLToPath } from 'node:url';
import type { Container } from '../../../client/types.js';

export interface ImageEntry {
  /** Entrypoint and default arguments, as an image's ENTRYPOINT and CMD. */
  entrypoint: string[];
  args: string[];
  /** Variables the image defines, given the container and its Pod. */
  env?: (container: Container, pod: { name: string; ip: string }) => Record<string, string>;
}

export const ECHO_IMAGE = 'skiff/echo';
const DEFAULT_ECHO_PORT = 8080;

/** The node program that backs skiff/echo: the example backend, under tsx when skiff runs from source. */
function echoEntrypoint(): string[] {
  const script = fileURLToPath(new URL(`../../../example-backend/example-backend${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
  if (!script.endsWith('.ts')) return [process.execPath, script];
  // Resolved here, not from the container's working directory, which may be anywhere.
  return [process.execPath, '--import', import.meta.resolve('tsx'), script];
}

export function builtinImages(): Map<string, ImageEntry> {
  return new Map([
    [
      ECHO_IMAGE,
      {
        entrypoint: echoEntrypoint(),
        args: [],
        // The container's own PORT (set in env) wins over these, as any env variable wins over the image's.
        env: (container, pod) => ({ POD_IP: pod.ip, POD_NAME: pod.name, PORT: String(container.ports?.[0]?.containerPort ?? DEFAULT_ECHO_PORT) }),
      },
    ],
  ]);
}

export class ImageCatalogError extends Error {}

/** Parses one `--image NAME=COMMAND…` value; the command is split as a POSIX shell would, without expansion. */
export function parseImageMapping(text: string): [string, ImageEntry] {
  const eq = text.indexOf('=');
  const name = eq === -1 ? '' : text.slice(0, eq).trim();
  const words = eq === -1 ? [] : splitWords(text.slice(eq + 1));
  if (name === '' || !/^[A-Za-z0-9][A-Za-z0-9._\/:@-]*$/.test(name) || words.length === 0) {
    throw new ImageCatalogError(`--image must be NAME=COMMAND [ARG…] such as nginx=/usr/sbin/nginx -g 'daemon off;', got ${JSON.stringify(text)}`);
  }
  return [name, { entrypoint: words, args: [] }];
}

export class ImageCatalog {
  private readonly images: Map<string, ImageEntry>;

  constructor(mappings: ReadonlyArray<[string, ImageEntry]> = []) {
    this.images = builtinImages();
    for (const [name, entry] of mappings) this.images.set(name, entry);
  }

  resolve(image: string | undefined): ImageEntry | undefined {
    if (image === undefined || image === '') return undefined;
    return this.images.get(image) ?? this.images.get(repository(image)) ?? this.images.get(repository(image).replace(/^docker\.io\/(library\/)?/, ''));
  }
}

/** `registry/name:tag@digest` without the tag and digest. */
function repository(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** POSIX-shell word splitting with single quotes, double quotes and backslashes; no expansion. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) throw new ImageCatalogError(`unterminated single quote in ${JSON.stringify(text)}`);
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let part = '';
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && '"\\$`'.includes(text[j + 1]!)) j++;
        part += text[j];
      }
      if (j >= text.length) throw new ImageCatalogError(`unterminated double quote in ${JSON.stringify(text)}`);
      word = (word ?? '') + part;
      i = j;
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i];
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
