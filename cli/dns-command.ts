import { Command, Option } from 'commander';
import { DnsConfigError, runDnsCommand } from '../clients/dns/run-dns.js';

interface DnsFlags {
  server?: string;
  kubeconfig?: string;
  listen?: string;
  domain?: string;
  ttl?: string;
  upstream?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

export function dnsCommand(): Command {
  return new Command('dns')
    .description('run the cluster DNS server: Service names, headless records, SRV, PTR and ExternalName CNAMEs, fed by watches')
    .addOption(new Option('--server <url>', 'API server URL, for a plain-HTTP (--insecure-serve-http) server (default http://127.0.0.1:8080)').env('SKIFF_SERVER'))
    .addOption(new Option('--kubeconfig <path>', 'server URL, CA and credentials from a kubeconfig (skiff kubeconfig); its server wins over --server').env('SKIFF_KUBECONFIG'))
    .addOption(new Option('--listen <host:port>', 'UDP and TCP address to answer on (default 127.0.0.1:10053)').env('SKIFF_DNS_LISTEN'))
    .addOption(new Option('--domain <domain>', 'cluster domain (default cluster.local)').env('SKIFF_DNS_DOMAIN'))
    .addOption(new Option('--ttl <seconds>', 'TTL of every answer (default 5)').env('SKIFF_DNS_TTL'))
    .addOption(new Option('--upstream <host:port>', 'resolver for names outside the cluster domain (default: answer REFUSED)').env('SKIFF_DNS_UPSTREAM'))
    .addOption(new Option('--log-level <level>', 'debug, info, warn or error').env('SKIFF_LOG_LEVEL').choices(['debug', 'info', 'warn', 'error']).default('info'))
    .action(async (flags: DnsFlags) => {
      try {
        const running = await runDnsCommand({ ...flags, logLevel: flags.logLevel });
        await running.done;
      } catch (error) {
        if (error instanceof DnsConfigError) {
          process.stderr.write(`skiff dns: ${error.message}\n`);
          process.exit(2);
        }
        throw error;
      }
    });
}
