// The closed catalogue of root causes. A finding names exactly one of these; every renderer and
// the README's "Causes" table read titles and explanations from here (a test keeps the README
// in sync), so a cause is described once.
import type { CauseId, CauseInfo } from './types.js';

export const causes: Record<CauseId, CauseInfo> = {
  'port-in-use': {
    title: 'Port already in use',
    severity: 'critical',
    explanation:
      'systemd could not bind the listening socket because another process already holds the address (EADDRINUSE, "Address already in use"): typically a daemon started outside socket activation, a leftover debug process, or two units listening on the same port. The socket fails with Result=resources and refuses connections until the port is freed and the socket restarted.',
  },
  'address-not-available': {
    title: 'Address not available',
    severity: 'critical',
    explanation:
      'The socket listens on an IP address this host does not have (EADDRNOTAVAIL, "Cannot assign requested address"): the address moved, the interface is not up yet at boot, or the unit was copied from another host. Fix the address, order the socket after the network is configured, or set FreeBind=yes.',
  },
  'permission-denied': {
    title: 'Permission denied',
    severity: 'critical',
    explanation:
      'The kernel refused to create or bind the socket (EACCES/EPERM, "Permission denied"): a unix socket path in a directory that cannot be written, a SocketUser/SocketGroup/SocketMode that cannot be applied, a security policy (SELinux, AppArmor) or a privileged port in a manager without the capability.',
  },
  'service-crash-loop': {
    title: 'Service crash loop',
    severity: 'critical',
    explanation:
      'The service the socket activates keeps failing: systemd restarted it until its start limit (StartLimitBurst= within StartLimitIntervalSec=) and then gave up, failing the socket with Result=service-start-limit-hit, or it is cycling through auto-restart right now. The service\'s own exit status and last output lines say why it exits.',
  },
  'service-exit-failure': {
    title: 'Service failed',
    severity: 'warning',
    explanation:
      'The triggered service\'s last run ended in failure (non-zero exit status) while the socket still listens: the next connection starts it again, so clients see errors or resets intermittently. Its exit status and last output lines say why.',
  },
  'trigger-limit-hit': {
    title: 'Trigger limit hit',
    severity: 'critical',
    explanation:
      'The socket was activated more often than TriggerLimitBurst= within TriggerLimitIntervalSec= (by default 20 per 2 s for Accept=no sockets, 200 for Accept=yes), so systemd stopped it (Result=trigger-limit-hit). Usually the service starts and exits without taking the pending connection off the socket (it does not accept the passed file descriptor), so the socket stays readable and re-triggers in a busy loop.',
  },
  'missing-service-unit': {
    title: 'Service unit missing',
    severity: 'critical',
    explanation:
      'The service this socket activates (the same name with .service, or Service=) does not exist on the host. systemd refuses to start the socket ("Socket service … not loaded, refusing."), so it never listens; it stays inactive with Result=success and is invisible to `systemctl --failed`.',
  },
  'missing-template': {
    title: 'Template service missing',
    severity: 'critical',
    explanation:
      'An Accept=yes socket starts one service instance per connection from a template unit named like the socket (foo.socket → foo@.service). That template does not exist on the host, so every accepted connection fails to start a service and is closed.',
  },
  'missing-socket-unit': {
    title: 'Socket unit missing',
    severity: 'critical',
    explanation:
      'A socket unit is referenced (wanted by a target, listed in a service\'s Sockets=, or enabled) but its unit file does not exist (LoadState=not-found): a removed package, a typo, or a unit file that was never installed. Nothing listens.',
  },
  'invalid-unit-setting': {
    title: 'Invalid unit setting',
    severity: 'critical',
    explanation:
      'The unit file could not be used (LoadState=bad-setting or error): a setting has an invalid value (a port out of range, no Listen*= at all, an unknown option that systemd refuses), or the file could not be parsed. systemd refuses to start the unit until the file is fixed and the manager reloaded.',
  },
  'unit-masked': {
    title: 'Unit masked',
    severity: 'notice',
    explanation:
      'The unit is masked (linked to /dev/null), usually on purpose: an administrator or a package disabled a vendor unit so that nothing can start it. Listed for completeness; unmask it only if the mask is a mistake.',
  },
  'exec-pre-post-failed': {
    title: 'ExecStartPre/Post failed',
    severity: 'critical',
    explanation:
      'A control command failed (ExecStartPre=, ExecStartPost=, ExecStopPre= or ExecStopPost= of the socket or of its service exited non-zero), so systemd aborted the start. The command and its exit status are in the journal.',
  },
  timeout: {
    title: 'Timed out',
    severity: 'critical',
    explanation:
      'A start or stop step did not finish within its timeout (TimeoutSec= of the socket, TimeoutStartSec= of the service, or the watchdog), so systemd killed it and failed the unit. A hanging ExecStartPre, a slow network mount or a daemon that never signals readiness (Type=notify) are common reasons.',
  },
  'killed-by-signal': {
    title: 'Killed by a signal / core dump',
    severity: 'critical',
    explanation:
      'The process was terminated by a signal (Result=signal), dumped core (Result=core-dump) or was killed by the OOM killer (Result=oom-kill): a crash (SIGSEGV, SIGABRT) or an external kill. coredumpctl and the journal show which signal and where.',
  },
  'socket-start-limit': {
    title: 'Socket start limit hit',
    severity: 'critical',
    explanation:
      'The socket unit itself was started (or restarted) more often than its own StartLimitBurst= within StartLimitIntervalSec=, so systemd refuses to start it again (Result=start-limit-hit) until `systemctl reset-failed`.',
  },
  'connection-limit': {
    title: 'Connections refused',
    severity: 'warning',
    explanation:
      'The socket is up but has refused connections (NRefused > 0, systemd 239+): more simultaneous connections than MaxConnections= (or MaxConnectionsPerSource=) for an Accept=yes socket, or activations refused while the unit was stopping. Clients saw connection resets; raise the limit or find out why connections stay open.',
  },
  unknown: {
    title: 'Cause not determined',
    severity: 'warning',
    explanation:
      'The state, the Result and the journal lines that could be read do not match a known cause. The finding keeps the raw evidence; the journal of the socket and its service usually says more.',
  },
  'policy-requirement': {
    title: 'Required by policy',
    severity: 'critical',
    explanation:
      'The policy file (--policy) requires this socket on this host — present, active, listening on given addresses — and the host does not meet it. The finding names the requirement and what the host has instead; a socket that has failed also has its own finding with the cause.',
  },
};

