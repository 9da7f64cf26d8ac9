import type { FastifyInstance, FastifyRequest } from 'fastify';
import YAML from 'yaml';
import { BadRequestError } from '../errors.js';
import { decodeKubernetesProtobuf, KUBERNETES_PROTOBUF } from '../protobuf/envelope.js';

const JSON_TYPES = [
  'application/json',
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/strategic-merge-patch+json',
];
const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'application/apply-patch+yaml'];

function parseYaml(text: string, contentType: string): unknown {
  // Server-side apply bodies are YAML, and JSON is YAML: one parser serves both.
  const documents = YAML.parseAllDocuments(text);
  if (Array.isArray(documents) && documents.length > 1) {
    throw new BadRequestError('the request body contains more than one YAML document; send one object per request');
  }
  const document = Array.isArray(documents) ? documents[0] : documents;
  if (!document) return undefined;
  if (document.errors.length > 0) {
    throw new BadRequestError(`the body of the request (${contentType}) could not be decoded: ${document.errors[0]!.message.split('\n')[0]}`);
  }
  return document.toJS({ maxAliasCount: 100 });
}

/**
 * Request bodies: JSON and its patch dialects, YAML, the apply-patch YAML
 * of server-side apply, and Kubernetes protobuf (decoded to the same object
 * JSON would give; responses stay JSON or YAML).
 */
export function registerContentTypes(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  const jsonParser = app.getDefaultJsonParser('error', 'ignore');
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'string', bodyLimit }, (request: FastifyRequest, body: string | Buffer, done) => {
    const text = body.toString();
    if (text.trim() === '') {
      // DELETE with an empty JSON body is what client-node sends; treat it as no options.
      if (request.method === 'DELETE') return done(null, undefined);
      return done(new BadRequestError('the request body is empty'), undefined);
    }
    jsonParser(request, text, (error, value) => {
      if (error) return done(new BadRequestError(`the body of the request could not be decoded as JSON: ${error.message}`), undefined);
      done(null, value);
    });
  });
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string', bodyLimit }, (request, body: string | Buffer, done) => {
    try {
      done(null, parseYaml(body.toString(), (request.headers['content-type'] ?? '').split(';')[0] ?? ''));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser(KUBERNETES_PROTOBUF, { parseAs: 'buffer', bodyLimit }, (request, body: string | Buffer, done) => {
    // kubectl's typed generators (`kubectl create namespace|service …`) send only protobuf; the decoded
    // object is what the same object in JSON parses to, so it takes the JSON path from here on.
    if (body.length === 0 && request.method === 'DELETE') return done(null, undefined);
    // No patch type is protobuf upstream; the PATCH route answers 415 for the raw bytes.
    if (request.method === 'PATCH') return done(null, body);
    try {
      done(null, decodeKubernetesProtobuf(typeof body === 'string' ? Buffer.from(body, 'latin1') : body));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
