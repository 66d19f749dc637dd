// What the benchmark counts as a round trip (bench/lib/round-trips.ts), on flights recorded by
// tcpdump for one sockaudit host: the server's identification line answers nothing and must not
// be counted; the last counted flight is the answer to the probe script.
import { describe, expect, it } from 'vitest';
import { countRoundTrips } from '../../bench/lib/round-trips.js';

const port = 2222;

/** tcpdump -nn lines for flights like `C22 S41 …` (C: client to server); SYN first. */
function capture(flights: string): string {
  const lines = ['12:00:00.000000 IP 127.0.0.1.40000 > 127.0.1.3.2222: Flags [S], seq 1, win 65495, length 0'];
  lines.push('12:00:00.000001 IP 127.0.1.3.2222 > 127.0.0.1.40000: Flags [S.], seq 2, ack 2, win 65483, length 0');
  for (const flight of flights.split(' ')) {
    const length = Number(flight.slice(1));
    const [from, to] = flight.startsWith('C') ? ['127.0.0.1.40000', `127.0.1.3.${port}`] : [`127.0.1.3.${port}`, '127.0.0.1.40000'];
    lines.push(`12:00:00.000002 IP ${from} > ${to}: Flags [P.], seq 1:${1 + length}, ack 1, win 512, length ${length}`);
    lines.push(`12:00:00.000003 IP ${to} > ${from}: Flags [.], ack ${1 + length}, win 512, length 0`);
  }
  return lines.join('\n');
}

describe('countRoundTrips', () => {
  it('counts sockaudit’s flights as 9 from SYN, 8 after connect (the banner answers nothing)', () => {
    const flights = 'C22 S41 C1024 S1088 C48 S532 C16 C52 S52 C244 S36 C52 S280 C52 S52 C52 S36 S72 C10980 C36 S116 S16472';
    const counted = countRoundTrips(capture(flights), port);
    expect(counted.fromSyn).toBe(9);
    expect(counted.afterConnect).toBe(8);
  });

  it('does not depend on whether the banner or the client line is captured first', () => {
    const flights = 'S41 C22 C1024 S1088 C48 S532 C16 C52 S52 C244 S36 C52 S280 C52 S52 C52 S36 S72 C10980 C36 S116';
    expect(countRoundTrips(capture(flights), port).fromSyn).toBe(9);
  });

  it('stops at the answer to the probe script', () => {
    const counted = countRoundTrips(capture('C22 S41 C1024 S1088 C10980 S116 C36 S52'), port);
    expect(counted.fromSyn).toBe(3);
  });
});
