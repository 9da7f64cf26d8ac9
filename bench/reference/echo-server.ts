// The bare-fastify reference: parses a JSON body and echoes it, with nothing
// else. skiff's create rate is reported as a ratio of this.
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 3 * 1024 * 1024 });
app.post('/echo', async (request, reply) => reply.code(201).type('application/json').send(JSON.stringify(request.body)));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`echo server listening on ${address}\n`);
const stop = (): void => {
  void app.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
