import type { FastifyInstance, FastifyRequest } from 'fastify';
import YAML from 'yaml';
import { BadRequestError, UnsupportedMediaTypeError } from '../errors.js';

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
 * Request bodies: JSON and its patch dialects, YAML, and the apply-patch YAML
 * of server-side apply. Kubernetes protobuf is declined with 415 so clients
 * know to send JSON.
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
  app.addContentTypeParser('application/vnd.kubernetes.protobuf', (_request, _payload, done) => {
    // kubectl's typed generators (`kubectl create namespace|service|deployment …`) send only protobuf and
    // never retry in JSON, so the message points at the manifest path, which is JSON on the wire.
    done(new UnsupportedMediaTypeError('the body of the request was in an unknown format - accepted media types include: application/json, application/yaml; skiff does not decode application/vnd.kubernetes.protobuf, so instead of `kubectl create namespace|service …` write a manifest and use `kubectl apply -f` or `kubectl create -f`'), undefined);
  });
}
