import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError, InvalidError } from '../../../api/errors.js';
import { booleanParameter, goQuote, parseDeleteQuery, parseGoInt64, parsePatchQuery, prettyRequested } from '../../../api/http/query-parameters.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { create, request } from '../watch/api-requests.js';
import { namespaces, pods } from '../watch/fixtures.js';
import { WatchClient } from '../watch/watch-client.js';

// Query parameters as kube-apiserver 1.32 converts and validates them
// (apimachinery's Convert_Slice_string_To_bool/_int64, the metav1 options'
// url.Values conversion, and the handlers' options validation).

describe('the conversion of one query parameter', () => {
  it('reads a boolean as false only for 0 or false in any case, and true for anything else, the empty value included', () => {
    for (const value of ['true', 'True', 'TRUE', '1', '', 'yes', 'no', 'off']) assert.equal(booleanParameter({ watch: value }, 'watch'), true, value);
    for (const value of ['0', 'false', 'False', 'FALSE', 'fAlSe']) assert.equal(booleanParameter({ watch: value }, 'watch'), false, value);
    assert.equal(booleanParameter({}, 'watch'), undefined);
  });

  it('takes the first of repeated values', () => {
    assert.equal(booleanParameter({ watch: ['false', 'true'] }, 'watch'), false);
    assert.equal(booleanParameter({ watch: ['true', 'false'] }, 'watch'), true);
  });

  it("parses integers as Go's strconv.ParseInt, with its error text", () => {
    assert.equal(parseGoInt64('42'), 42);
    assert.equal(parseGoInt64('+7'), 7);
    assert.equal(parseGoInt64('-1'), -1);
    assert.equal(parseGoInt64('007'), 7);
    for (const text of ['abc', '', '1.5', ' 1', '0x10', '1_000', '1e3', '--1']) {
      assert.throws(() => parseGoInt64(text), (error: unknown) => error instanceof BadRequestError && error.message === `strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax`, text);
    }
    assert.throws(() => parseGoInt64('9223372036854775808'), { message: 'strconv.ParseInt: parsing "9223372036854775808": value out of range' });
    assert.equal(parseGoInt64('-9223372036854775808'), -9223372036854775808);
  });

  it('quotes values as Go does', () => {
    assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(goQuote('tab\there\x07\x00'), '"tab\\there\\a\\x00"');
    assert.equal(goQuote('é ✓'), '"é ✓"');
    assert.equal(goQuote('\u200b'), '"\\u200b"');
  });

  it('reads pretty as strconv.ParseBool, falling back to the User-Agent', () => {
    assert.equal(prettyRequested({ pretty: 'true' }, undefined), true);
    assert.equal(prettyRequested({ pretty: 'T' }, undefined), true);
    assert.equal(prettyRequested({ pretty: 'yes' }, 'curl/8.0'), false);
    assert.equal(prettyRequested({ pretty: '0' }, 'curl/8.0'), false);
    assert.equal(prettyRequested({ pretty: '' }, 'curl/8.0'), true);
    assert.equal(prettyRequested({}, 'kubectl/v1.32.0'), false);
  });
});

describe('DeleteOptions and PatchOptions', () => {
  it('reads a DeleteOptions body in place of the query', () => {
    const fromBody = parseDeleteQuery({ dryRun: 'All', propagationPolicy: 'Nonsense' }, { kind: 'DeleteOptions', propagationPolicy: 'Orphan' });
    assert.deepEqual(fromBody, { dryRun: false, gracePeriodSeconds: undefined, orphanDependents: undefined, preconditions: undefined, propagationPolicy: 'Orphan' });
    const fromQuery = parseDeleteQuery({ dryRun: 'All', gracePeriodSeconds: '-5', uid: 'u-1' }, undefined);
    assert.deepEqual(fromQuery, { dryRun: true, gracePeriodSeconds: 1, orphanDependents: undefined, preconditions: { uid: 'u-1', resourceVersion: undefined } });
  });

  it('refuses orphanDependents with a propagationPolicy, from the body as from the query', () => {
    const message = 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Background": orphanDependents and deletionPropagation cannot be both set';
    assert.throws(() => parseDeleteQuery({ orphanDependents: 'false', propagationPolicy: 'Background' }, undefined), (e: unknown) => e instanceof InvalidError && e.message === message);
    assert.throws(() => parseDeleteQuery({}, { orphanDependents: true, propagationPolicy: 'Background' }), (e: unknown) => e instanceof InvalidError && e.message === message);
  });

  it('requires a fieldManager for apply and forbids force elsewhere', () => {
    assert.throws(() => parsePatchQuery({}, true), { message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch' });
    assert.throws(() => parsePatchQuery({ force: 'false' }, false), { message: 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch' });
    assert.equal(parsePatchQuery({ fieldManager: 'me', force: '' }, true).force, true);
  });
});

describe('query parameters through the server', () => {
  let server: TestServer;
  const NS = 'params';
  const PODS = pods.collection(NS);

  before(async () => {
    server = await startTestServer();
    await create(server.url, namespaces.collection(), namespaces.body(NS));
    for (const name of ['a', 'b', 'c']) await create(server.url, PODS, pods.body(name, { app: name }));
  });
  after(async () => {
    await server?.close();
  });

  /** Opens `query` on the pod collection and says whether it became a watch (true) or a list (false). */
  async function watches(query: string): Promise<boolean> {
    const watch = await WatchClient.open(server.url, `${PODS}?${query}`);
    try {
      assert.equal(watch.statusCode, 200, query);
      if (watch.headers['transfer-encoding'] === 'chunked') {
        // A watch sends the current pods as ADDED events.
        await watch.waitForCount(3);
        assert.ok(watch.events.every((e) => e.type === 'ADDED'));
        return true;
      }
      await watch.done;
      return false;
    } finally {
      watch.close();
    }
  }

  for (const query of ['watch=True', 'watch=true', 'watch=1', 'watch=', 'watch', 'watch=yes', 'watch=true&watch=false']) {
    it(`watches on ${query}`, async () => {
      assert.equal(await watches(query), true);
    });
  }

  for (const query of ['watch=0', 'watch=false', 'watch=FALSE', 'watch=False', 'watch=false&watch=true', '']) {
    it(`lists on ${query || 'no watch parameter'}`, async () => {
      assert.equal(await watches(query), false);
      const response = await request(server.url, 'GET', `${PODS}?${query}`);
      assert.equal(response.body.kind, 'PodList');
      assert.equal(response.body.items?.length, 3);
    });
  }

  it('reads allowWatchBookmarks and sendInitialEvents in any spelling', async () => {
    const watch = await WatchClient.open(server.url, `${PODS}?watch&sendInitialEvents=True&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=YES`);
    try {
      await watch.waitFor((events) => events.some((e) => e.type === 'BOOKMARK'), 'the initial-events-end bookmark');
      const bookmark = watch.events.find((e) => e.type === 'BOOKMARK')!;
      assert.equal(bookmark.object.metadata?.annotations?.['k8s.io/initial-events-end'], 'true');
      assert.equal(watch.events.filter((e) => e.type === 'ADDED').length, 3);
    } finally {
      watch.close();
    }
  });

  const badRequests: Array<[string, string, string]> = [
    ['GET', `?limit=abc`, 'strconv.ParseInt: parsing "abc": invalid syntax'],
    ['GET', `?limit=1.5`, 'strconv.ParseInt: parsing "1.5": invalid syntax'],
    ['GET', `?limit=99999999999999999999`, 'strconv.ParseInt: parsing "99999999999999999999": value out of range'],
    ['GET', `?watch=true&timeoutSeconds=ten`, 'strconv.ParseInt: parsing "ten": invalid syntax'],
    ['GET', `?timeoutSeconds=`, 'strconv.ParseInt: parsing "": invalid syntax'],
    ['DELETE', `/a?gracePeriodSeconds=soon`, 'strconv.ParseInt: parsing "soon": invalid syntax'],
  ];
  for (const [method, suffix, message] of badRequests) {
    it(`answers ${method} ${suffix} with 400 and upstream's message`, async () => {
      const response = await request(server.url, method, `${PODS}${suffix}`);
      assert.equal(response.status, 400);
      assert.deepEqual(response.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
    });
  }

  const invalid: Array<[string, string, unknown, string, string]> = [
    ['GET', '?resourceVersionMatch=Exact', undefined, 'ListOptions', 'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided'],
    ['GET', '?sendInitialEvents=false', undefined, 'ListOptions', 'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list'],
    ['GET', '?watch=1&resourceVersionMatch=NotOlderThan', undefined, 'ListOptions', 'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'],
    ['POST', '?dryRun=All&dryRun=Some', pods.body('x'), 'CreateOptions', 'dryRun: Unsupported value: []string{"All", "Some"}: supported values: "All"'],
    ['POST', '?dryRun=', pods.body('x'), 'CreateOptions', 'dryRun: Unsupported value: []string{""}: supported values: "All"'],
    ['POST', `?fieldManager=${'m'.repeat(129)}`, pods.body('x'), 'CreateOptions', 'fieldManager: Too long: may not be more than 128 bytes'],
    ['POST', '?fieldManager=a%07b', pods.body('x'), 'CreateOptions', 'fieldManager: Invalid value: "a\\ab": invalid character U+0007 (at position 1)'],
    ['POST', '?fieldValidation=strict', pods.body('x'), 'CreateOptions', 'fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"'],
    ['PUT', '/a?fieldValidation=Loud', pods.body('a'), 'UpdateOptions', 'fieldValidation: Unsupported value: "Loud": supported values: "", "Ignore", "Strict", "Warn"'],
    ['DELETE', '/a?propagationPolicy=Sideways', undefined, 'DeleteOptions', 'propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"'],
    ['DELETE', '/a?dryRun=Partly', undefined, 'DeleteOptions', 'dryRun: Unsupported value: []string{"Partly"}: supported values: "All"'],
    ['DELETE', '?propagationPolicy=Sideways', undefined, 'DeleteOptions', 'propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"'],
  ];
  for (const [method, suffix, body, kind, cause] of invalid) {
    it(`answers ${method} ${suffix.slice(0, 60)} with 422 on ${kind}`, async () => {
      const response = await request(server.url, method, `${PODS}${suffix}`, body);
      assert.equal(response.status, 422);
      assert.equal(response.body.kind, 'Status');
      assert.equal(response.body.reason, 'Invalid');
      assert.equal(response.body.message, `${kind}.meta.k8s.io "" is invalid: ${cause}`);
      // StatusDetails.name is omitempty, so an options kind's error names nothing.
      const reason = (response.body.details as { causes: Array<{ reason: string }> }).causes[0]!.reason;
      assert.deepEqual(response.body.details, { group: 'meta.k8s.io', kind, causes: [{ reason, field: cause.split(':')[0], message: cause.slice(cause.indexOf(': ') + 2) }] });
      assert.match(reason, /^FieldValue(NotSupported|Forbidden|TooLong|Invalid)$/);
    });
  }

  it('answers a merge patch with force with 422 on PatchOptions', async () => {
    const response = await request(server.url, 'PATCH', `${PODS}/a?force=true`, { metadata: { labels: { x: 'y' } } }, 'application/merge-patch+json');
    assert.equal(response.status, 422);
    assert.equal(response.body.message, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
  });

  it('refuses a resourceVersion beside a continue token, as the storage layer does', async () => {
    const first = await request(server.url, 'GET', `${PODS}?limit=1`);
    const token = String((first.body.metadata as { continue?: string }).continue);
    const response = await request(server.url, 'GET', `${PODS}?limit=1&continue=${encodeURIComponent(token)}&resourceVersion=${String(first.body.metadata?.resourceVersion)}`);
    assert.equal(response.status, 400);
    assert.equal(response.body.message, 'specifying resource version is not allowed when using continue');
    const next = await request(server.url, 'GET', `${PODS}?limit=1&continue=${encodeURIComponent(token)}&resourceVersion=0`);
    assert.equal(next.status, 200);
    assert.equal(next.body.items?.length, 1);
  });

  it('takes the first of repeated scalar parameters', async () => {
    const limited = await request(server.url, 'GET', `${PODS}?limit=1&limit=5`);
    assert.equal(limited.body.items?.length, 1);
    const selected = await request(server.url, 'GET', `${PODS}?labelSelector=app%3Db&labelSelector=app%3Dc`);
    assert.deepEqual(selected.body.items?.map((p) => p.metadata?.name), ['b']);
    const invalidFirst = await request(server.url, 'GET', `${PODS}?limit=x&limit=1`);
    assert.equal(invalidFirst.status, 400);
  });

  it('ignores a limit of zero or less, and a negative timeoutSeconds on a list, as upstream does', async () => {
    for (const query of ['limit=-1', 'limit=0', 'timeoutSeconds=-1']) {
      const response = await request(server.url, 'GET', `${PODS}?${query}`);
      assert.equal(response.status, 200, query);
      assert.equal(response.body.items?.length, 3, query);
    }
  });

  it('ends a watch with a negative timeoutSeconds at once', async () => {
    const watch = await WatchClient.open(server.url, `${PODS}?watch=1&timeoutSeconds=-1&sendInitialEvents=false&resourceVersionMatch=NotOlderThan`);
    try {
      assert.equal(watch.statusCode, 200);
      const end = await watch.done;
      assert.equal(end.byClient, false);
    } finally {
      watch.close();
    }
  });

  it('ignores parameters no options type declares', async () => {
    const response = await request(server.url, 'GET', `${PODS}?color=blue&limit=2&export=true&foo`);
    assert.equal(response.status, 200);
    assert.equal(response.body.items?.length, 2);
  });

  it('creates nothing with dryRun=All repeated', async () => {
    const response = await request(server.url, 'POST', `${PODS}?dryRun=All&dryRun=All`, pods.body('dry'));
    assert.equal(response.status, 201);
    assert.equal((await request(server.url, 'GET', `${PODS}/dry`)).status, 404);
  });

  it('reads DELETE options from a body in place of the query, as upstream does', async () => {
    await create(server.url, PODS, pods.body('gone'));
    // The body has no dryRun, so the query's dryRun=All is not read: the pod is deleted.
    const response = await request(server.url, 'DELETE', `${PODS}/gone?dryRun=All&propagationPolicy=Sideways`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', gracePeriodSeconds: 0 });
    assert.equal(response.status, 200);
    assert.equal((await request(server.url, 'GET', `${PODS}/gone`)).status, 404);
  });

  it('turns the uid and resourceVersion query parameters of a DELETE into preconditions', async () => {
    const made = await create(server.url, PODS, pods.body('guarded'));
    const stale = await request(server.url, 'DELETE', `${PODS}/guarded?uid=not-its-uid`);
    assert.equal(stale.status, 409);
    const response = await request(server.url, 'DELETE', `${PODS}/guarded?uid=${String((made.object.metadata as { uid?: string }).uid)}&resourceVersion=${made.revision}`);
    assert.equal(response.status, 200);
  });

  it('pretty-prints JSON for pretty=true and for curl, compactly otherwise', async () => {
    const text = async (query: string, headers: Record<string, string> = {}): Promise<string> => (await fetch(new URL(`${PODS}/a${query}`, server.url), { headers })).text();
    assert.match(await text('?pretty=true'), /^\{\n {2}"apiVersion": "v1",\n {2}"kind": "Pod",/);
    assert.match(await text('', { 'user-agent': 'curl/8.5.0' }), /^\{\n {2}"apiVersion"/);
    assert.match(await text('?pretty=0', { 'user-agent': 'curl/8.5.0' }), /^\{"/);
    assert.match(await text('?pretty=sure'), /^\{"/);
    assert.match(await text(''), /^\{"/);
  });
});
