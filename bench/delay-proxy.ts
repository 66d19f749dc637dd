// A userspace TCP proxy on loopback that delays every chunk of data by a fixed time in each
// direction: the benchmark's stand-in for netem, which this machine's kernel lacks
// (CONFIG_NET_SCH_NETEM unset). Not the same thing, and RESULTS.md says so:
// - it delays data, not TCP's own segments: the client's TCP handshake is with the proxy and
//   costs no added latency, and ACK timing (delayed ACKs, Nagle's wait for them) happens on
//   each loopback leg without the added delay;
// - it runs on the same two cores as everything else (its CPU is not counted as the client's).
// It accepts on 0.0.0.0:PORT and connects to the address the client dialled (127.x.y.z) on
// TARGET_PORT, so the sshd still sees which inventory address a connection is for.
//
//   node delay-proxy.js PORT TARGET_PORT ONE_WAY_MS
//
// Prints `ready` on stdout once listening; stops on SIGTERM.
import { createServer, connect, type Socket } from 'node:net';

const [port, targetPort, oneWayMs] = process.argv.slice(2).map(Number);
if (port === undefined || targetPort === undefined || oneWayMs === undefined || [port, targetPort, oneWayMs].some((n) => !Number.isFinite(n))) {
  process.stderr.write('usage: delay-proxy PORT TARGET_PORT ONE_WAY_MS\n');
  process.exit(2);
}

/** Forwards `from` → `to`, each chunk and the end of stream `oneWayMs` later, in order. */
function pipeDelayed(from: Socket, to: Socket): void {
  // Timers of equal duration fire in the order they were set: chunks cannot overtake.
  from.on('data', (chunk: Buffer) => {
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk);
    }, oneWayMs);
  });
  from.on('end', () => setTimeout(() => to.end(), oneWayMs));
}

const server = createServer({ noDelay: true, allowHalfOpen: true }, (client) => {
  const upstream = connect({ host: client.localAddress ?? '127.0.0.1', port: targetPort, noDelay: true, allowHalfOpen: true });
  const close = (): void => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
  // A reset or close on one side ends the other after the same delay, as it would arrive.
  client.on('close', () => setTimeout(() => upstream.destroy(), oneWayMs));
  upstream.on('close', () => setTimeout(() => client.destroy(), oneWayMs));
  pipeDelayed(client, upstream);
  pipeDelayed(upstream, client);
});
server.maxConnections = 4_096;
server.listen({ port, host: '0.0.0.0', backlog: 4_096 }, () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
