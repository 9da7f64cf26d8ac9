import { Command, Option } from 'commander';
import YAML from 'yaml';
import { Agent, request } from 'undici';

export interface KubeconfigCredentials {
  /** PEM of the cluster CA the server certificate chains to. */
  ca: string;
  /** A client certificate and key (PEM), or a bearer token. */
  clientCert?: string;
  clientKey?: string;
  token?: string;
}

const base64 = (text: string): string => Buffer.from(text).toString('base64');

/**
 * A kubeconfig for a skiff server: with the CA and a client identity for
 * https://, or none for a plain-HTTP (--insecure-serve-http) one.
 */
export function kubeconfigFor(server: string, name = 'skiff', credentials?: KubeconfigCredentials): string {
  const cluster = credentials
    ? { server, 'certificate-authority-data': base64(credentials.ca) }
    // There is no TLS to verify on plain HTTP, but @kubernetes/client-node refuses an
    // http:// server unless this is set; kubectl ignores it there.
    : { server, ...(server.startsWith('http:') ? { 'insecure-skip-tls-verify': true } : {}) };
  const user = credentials?.clientCert && credentials.clientKey
    ? { 'client-certificate-data': base64(credentials.clientCert), 'client-key-data': base64(credentials.clientKey) }
    : credentials?.token ? { token: credentials.token } : {};
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

/** Upstream's identities: the admin in system:masters, a node's agent as system:node:NAME in system:nodes. */
export function clientIdentity(flags: { user?: string; group?: string[]; node?: string }): { user: string; groups: string[] } {
  if (flags.node !== undefined) {
    if (flags.user !== undefined) throw new Error('--node and --user name two different identities; give one');
    return { user: `system:node:${flags.node}`, groups: ['system:nodes', ...(flags.group ?? [])] };
  }
  if (flags.user !== undefined) return { user: flags.user, groups: flags.group ?? [] };
  return { user: 'system:admin', groups: flags.group ?? ['system:masters'] };
}

interface KubeconfigFlags {
  server: string;
  name: string;
  user?: string;
  group?: string[];
  node?: string;
  pkiDir?: string;
  data: string;
}

async function checkReachable(server: string, ca: string | undefined): Promise<void> {
  const dispatcher = new Agent(ca ? { connect: { ca } } : {});
  try {
    const response = await request(new URL('/version', server), { dispatcher }).catch((error: unknown) => {
      throw new Error(`cannot reach a skiff server at ${server}: ${(error as Error).message}`);
    });
    await response.body.dump();
    if (response.statusCode !== 200) throw new Error(`${server}/version answered ${response.statusCode}; is it a skiff server?`);
  } finally {
    await dispatcher.close();
  }
}

export function kubeconfigCommand(): Command {
  return new Command('kubeconfig')
    .description('print a kubeconfig with the cluster CA and a fresh client certificate signed by it (use: skiff kubeconfig > ~/.kube/skiff && KUBECONFIG=~/.kube/skiff kubectl get svc)')
    .addOption(new Option('--server <url>', 'URL of the skiff server (http:// for one started with --insecure-serve-http: no credentials then)').env('SKIFF_SERVER').default('https://127.0.0.1:6443'))
    .addOption(new Option('--name <name>', 'cluster, user and context name').default('skiff'))
    .addOption(new Option('--user <name>', 'user name in the certificate (default system:admin, in group system:masters)'))
    .addOption(new Option('--group <group>', 'a group of the user; repeat for several').argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]))
    .addOption(new Option('--node <name>', "a node agent's identity: system:node:NAME in group system:nodes"))
    .addOption(new Option('--pki-dir <path>', "the server's PKI folder (default: pki/ beside --data)").env('SKIFF_PKI_DIR'))
    .addOption(new Option('--data <path>', "the server's SQLite file, to find the PKI folder beside it").env('SKIFF_DATA').default('./data/skiff.db'))
    .action(async (flags: KubeconfigFlags) => {
      if (flags.server.startsWith('http:')) {
        await checkReachable(flags.server, undefined);
        process.stdout.write(kubeconfigFor(flags.server, flags.name));
        return;
      }
      const identity = clientIdentity(flags);
      const { readCertificateAuthority } = await import('../api/pki/pki-folder.js');
      const { defaultPkiDir } = await import('../api/pki/server-credentials.js');
      const { issueCertificate } = await import('../api/pki/certificates.js');
      const pkiDir = flags.pkiDir ?? defaultPkiDir(flags.data);
      if (!pkiDir) throw new Error('a server on :memory: keeps its PKI in a temporary folder; pass its --pki-dir');
      const ca = readCertificateAuthority(pkiDir);
      await checkReachable(flags.server, ca.cert);
      const leaf = await issueCertificate(ca, { commonName: identity.user, organizations: identity.groups, usage: 'client' });
      process.stdout.write(kubeconfigFor(flags.server, flags.name, { ca: ca.cert, clientCert: leaf.cert, clientKey: leaf.key }));
    });
}
