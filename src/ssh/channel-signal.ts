// Sending a signal request (RFC 4254 §6.9) to a running command.
import type { Client, ClientChannel } from 'ssh2';

interface SignalCapableProtocol {
  signal(recipientChannel: number, signalName: string): void;
}

/**
 * Ask the server to deliver `signalName` (`KILL`) to the command. Best effort: the caller
 * closes the connection right after.
 *
 * ssh2's `channel.signal()` silently does nothing once stdin has been closed (it requires the
 * channel's writable side to be open), and we always close stdin after writing the probe.
 * The protocol allows the request after EOF, so when the public method cannot send it we use
 * the client's protocol object, checked at run time since it is not public API.
 */
export function sendSignal(client: Client, channel: ClientChannel, signalName: string): boolean {
  if (channel.writable) {
    channel.signal(signalName);
    return true;
  }
  const protocol = readProperty(client, '_protocol');
  const outgoing = readProperty(channel, 'outgoing');
  const recipient = readProperty(outgoing, 'id');
  const state = readProperty(outgoing, 'state');
  if (!isSignalCapable(protocol) || typeof recipient !== 'number' || (state !== 'open' && state !== 'eof')) return false;
  try {
    protocol.signal(recipient, signalName);
    return true;
  } catch {
    return false;
  }
}

function readProperty(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function isSignalCapable(value: unknown): value is SignalCapableProtocol {
  return typeof readProperty(value, 'signal') === 'function';
}
