// The bare-UDP reference for the DNS benchmark: answers every datagram with
// the same bytes and the QR bit set, doing no DNS work at all. It measures the
// ceiling that Node's dgram and the kernel put on one process.
import dgram from 'node:dgram';

const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024, sendBufferSize: 4 * 1024 * 1024 });
socket.on('message', (message, remote) => {
  if (message.length >= 3) message[2] = (message[2] ?? 0) | 0x80;
  socket.send(message, remote.port, remote.address);
});
socket.bind(0, '127.0.0.1', () => {
  process.stdout.write(`udp responder listening on udp 127.0.0.1:${socket.address().port}\n`);
});
const stop = (): void => {
  socket.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
