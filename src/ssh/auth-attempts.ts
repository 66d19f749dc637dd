// Public-key authentication for one connection: hands ssh2 the credentials one at a time
// (never `none`, password or keyboard-interactive), and remembers what happened to each so an
// auth-failed outcome can say which keys were rejected and which could not even be offered.
import type { AuthenticationType, AuthHandlerMiddleware } from 'ssh2';
import type { AuthCandidate } from './credentials.js';
import { oneLine } from './ssh-errors.js';

// ssh2 documents `false` as "no more methods to try"; @types/ssh2 leaves it out.
const NO_MORE_AUTH_METHODS = false as unknown as AuthenticationType;

export class AuthAttempts {
  /** True once every candidate was tried: ssh2's next error is the final auth failure. */
  exhausted = false;
  private readonly pending: AuthCandidate[];
  private readonly problems: string[];
  private offered: string[] = [];
  private current: AuthCandidate | undefined;
  private serverMethods: readonly string[] | null = null;

  constructor(
    private readonly username: string,
    candidates: readonly AuthCandidate[],
    /** Credentials that could not be loaded, reported if nothing else works. */
    loadProblems: readonly string[],
  ) {
    this.pending = [...candidates];
    this.problems = [...loadProblems];
  }

  /** ssh2's authHandler: called first with null, then after each failure with the methods left. */
  readonly next: AuthHandlerMiddleware = (methodsLeft, _partialSuccess, next) => {
    if (Array.isArray(methodsLeft)) this.serverMethods = methodsLeft;
    const candidate = this.pending.shift();
    this.current = candidate;
    if (candidate === undefined) {
      this.exhausted = true;
      next(NO_MORE_AUTH_METHODS);
      return;
    }
    this.offered.push(candidate.label);
    if (candidate.kind === 'agent') next({ type: 'agent', username: this.username, agent: candidate.socketPath });
    else next({ type: 'publickey', username: this.username, key: candidate.key });
  };

  /**
   * The agent failed locally (no socket, refused to sign): the server did not reject it.
   * ssh2 goes on with the next candidate.
   */
  agentFailed(message: string): void {
    const label = this.current?.kind === 'agent' ? this.current.label : 'ssh-agent';
    this.offered = this.offered.filter((offered) => offered !== label);
    this.problems.push(`${label}: ${message}`);
  }

  /** A non-fatal problem with the current candidate (e.g. signing failed). */
  problem(message: string): void {
    this.problems.push(message);
  }

  /** One line: what the server rejected, what could not be used, what the server wanted. */
  failureDetail(): string {
    const problems = this.problems.join('; ');
    let detail =
      this.offered.length > 0
        ? `server rejected keys: ${this.offered.join(', ')}${problems === '' ? '' : `; also: ${problems}`}`
        : `no key could be offered to the server: ${problems === '' ? 'none configured' : problems}`;
    const methods = this.serverMethods;
    if (methods !== null && !methods.includes('publickey')) {
      detail += `; the server allows only ${methods.join(', ') || 'no methods'}`;
    }
    return oneLine(detail);
  }
}
