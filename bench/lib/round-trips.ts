// Counting network round trips from a packet capture of one audited host on loopback.
//
// What is counted: the waits on the client's critical path. A round trip is a client flight
// (data-carrying segments in a row) answered by a server flight, plus the TCP handshake itself
// (SYN → SYN/ACK), up to the server's answer to the probe (output and exit status travel in
// that last flight; the probe script is the client's one large write, > 2,000 bytes).
// `fromSyn` counts the TCP handshake, `afterConnect` starts when connect() has returned.
//
// One exception to "client flight, then server flight": the server's identification line
// (`SSH-2.0-OpenSSH_9.2…`, its first data segment) is sent on accept, before the server has
// read anything, so it answers nothing. On loopback the client's own line usually leaves
// first and the capture reads `C22 S41`, which a naive count took for a round trip (10 from
// SYN for sockaudit where a reading of the flights gives 9). The server's key-exchange init,
// which does wait for the client's line, follows in the next server flight and is counted.
import { execFileSync, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RoundTrips {
  /** SYN → SYN/ACK included. */
  fromSyn: number;
  /** From the established connection (the SSH protocol's own waits). */
  afterConnect: number;
  /** The flights, e.g. `C22 S41 S1088 C1024 …`, for the record. */
  flights: string;
}

export async function captureRoundTrips(address: string, port: number, file: string, run: () => Promise<void>): Promise<RoundTrips> {
  const tcpdump = spawn('tcpdump', ['-i', 'lo', '-U', '-w', file, `host ${address} and tcp port ${port}`], { stdio: 'ignore' });
  await sleep(1_000);
  try {
    await run();
    await sleep(500);
  } finally {
    tcpdump.kill('SIGTERM');
    await new Promise((resolve) => tcpdump.once('exit', resolve));
  }
  const text = execFileSync('tcpdump', ['-r', file, '-nn'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return countRoundTrips(text, port);
}

export function countRoundTrips(tcpdumpText: string, serverPort: number): RoundTrips {
  let fromSyn = 0;
  let previous: 'C' | 'S' | undefined;
  let scriptSent = false;
  let bannerSeen = false;
  const flights: string[] = [];
  for (const line of tcpdumpText.split('\n')) {
    const match = /IP (\S+)\.(\d+) > (\S+)\.(\d+): Flags \[([^\]]*)\].* length (\d+)/.exec(line);
    if (match === null) continue;
    const fromServer = Number(match[2]) === serverPort;
    const flags = match[5] ?? '';
    const length = Number(match[6]);
    if (!fromServer && flags === 'S') fromSyn += 1;
    if (length === 0) continue;
    const direction = fromServer ? 'S' : 'C';
    flights.push(`${direction}${length}`);
    if (direction === 'S' && !bannerSeen) {
      // The identification line: unprompted, not an answer (see the top of this file).
      bannerSeen = true;
      continue;
    }
    if (direction === 'S' && previous === 'C') {
      fromSyn += 1;
      if (scriptSent) break;
    }
    if (direction === 'C' && length > 2_000) scriptSent = true;
    previous = direction;
  }
  return { fromSyn, afterConnect: fromSyn - 1, flights: flights.join(' ') };
}
