// Plain TCP stand-ins for hosts that are not SSH servers at all.
import { createServer, type Server, type Socket } from 'node:net';

export { closedPort } from '../../src/demo/closed-port.js';

export interface SilentServer {
  port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  readonly openConnections: number;
  close(): Promise<void>;
}

/** Accepts TCP connections and never sends a byte, like a host whose sshd is wedged. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    // Read and drop what the client sends, so its FIN is seen and the socket closes.
    socket.resume();
    socket.once('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    port,
    get accepted() {
      return accepted;
    },
    get openConnections() {
      return sockets.size;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}
