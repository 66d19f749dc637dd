// The awk programs of the probe, as plain text (String.raw: what you read is what awk gets).
// POSIX awk only: they must run on mawk (Debian/Ubuntu default) and gawk (RHEL) alike, so no
// regex intervals `{n}`, no gensub/mktime/strftime, no `length(array)`. They never contain a
// single quote, because the script embeds each one in '…'.
//
// Unit names read here go back into journalctl/systemctl command lines. Every name is checked
// against systemd's own unit-name alphabet ([A-Za-z0-9:_.\@-]) and dropped otherwise, and the
// shell receives names only as positional parameters split on TAB with globbing off: a name is
// never evaluated.

/** Shared functions: unit-name checks, list unquoting, `Sat 2026-11-28 09:39:58 UTC` → epoch. */
const common = String.raw`
function ok(u) { return u ~ /^[A-Za-z0-9:_.\\@-]+$/ && length(u) <= 256 }
# Id= is raw from 234 on; up to 233 a backslash prints as \x5c.
function unesc(u) { if (v + 0 <= 233) gsub(/\\x5c/, "\\", u); return u }
# Names=/Triggers=/WantedBy= elements: shell-quoted on 246+, \x5c-escaped up to 233.
function elems(val, out,    n, i, u, a, m) {
  n = split(val, a, " "); m = 0
  for (i = 1; i <= n; i++) {
    u = a[i]
    if (u ~ /^".*"$/) { u = substr(u, 2, length(u) - 2); gsub(/\\\\/, "\\", u) }
    else u = unesc(u)
    if (u != "") out[++m] = u
  }
  return m
}
# Days from the civil date (proleptic Gregorian), then seconds; -1 when there is no date.
function epoch(s,    t, y, m, d) {
  if (s ~ /^@[0-9]+$/) return substr(s, 2) + 0
  if (!match(s, /[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]/)) return -1
  t = substr(s, RSTART, RLENGTH)
  y = substr(t, 1, 4) + 0; m = substr(t, 6, 2) + 0; d = substr(t, 9, 2) + 0
  if (m <= 2) { y--; m += 12 }
  d = 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + d - 719469
  return d * 86400 + substr(t, 12, 2) * 3600 + substr(t, 15, 2) * 60 + substr(t, 18, 2)
}
`;

/**
 * show-sockets → the template service names of loaded Accept=yes sockets (`foo@.service` for
 * foo.socket and for foo@bar.socket), one per line.
 */
export const templateNamesAwk = String.raw`${common}
function flush(   id, p) {
  if (blk["Accept"] == "yes" && blk["LoadState"] == "loaded") {
    id = unesc(blk["Id"]); p = id
    sub(/@.*$/, "", p); sub(/\.socket$/, "", p)
    if (ok(id) && p != "") print p "@.service"
  }
  split("", blk)
}
/^$/ { flush(); next }
{ k = $0; sub(/=.*$/, "", k); if (!(k in blk)) blk[k] = substr($0, length(k) + 2) }
END { flush() }
`;

/**
 * The journal plan: one line per problem socket, `SOCKET<TAB>SINCE<TAB>UNIT…`, SINCE an epoch
 * 5 minutes before the socket's last state change or `-` when it has none. Input files, in
 * order: show-services, templates (list-unit-files lines, or /dev/null when not checked),
 * show-sockets. Mirrors src/model/find-problems.ts: only problems at warning or above.
 * Variables: v (systemd major), tc (1 when the templates file is a real check), ms (at most
 * this many sockets get an excerpt: journalLimits.sockets).
 */
export const journalPlanAwk = String.raw`${common}
function wanted(   st) {
  st = blk["UnitFileState"]
  if (blk["WantedBy"] != "" || blk["RequiredBy"] != "") return 1
  if (st == "enabled" || st == "enabled-runtime" || st == "linked" || st == "linked-runtime" || st == "generated" || st == "transient") return 1
  return blk["ActiveState"] != "inactive"
}
function latest(   i, e, best, keys, n) {
  n = split("StateChangeTimestamp ActiveEnterTimestamp ActiveExitTimestamp InactiveEnterTimestamp InactiveExitTimestamp", keys, " ")
  best = -1
  for (i = 1; i <= n; i++) { e = epoch(blk[keys[i]]); if (e > best) best = e }
  return best
}
function service(   id) {
  id = unesc(blk["Id"])
  if (id != "") { sload[id] = blk["LoadState"]; sact[id] = blk["ActiveState"]; ssub[id] = blk["SubState"] }
}
function socket(   id, load, act, acc, n, i, t, bad, line, units, p, since, tr) {
  id = unesc(blk["Id"]); load = blk["LoadState"]; act = blk["ActiveState"]; acc = blk["Accept"]
  if (!ok(id) || planned >= ms) return
  n = elems(blk["Triggers"], tr)
  bad = 0
  if (load == "bad-setting" || load == "error") bad = wanted()
  else if (load == "loaded") {
    if (act == "failed") bad = 1
    if (act == "active" && blk["NRefused"] + 0 > 0) bad = 1
    for (i = 1; i <= n; i++) {
      t = tr[i]
      if (!(t in sload)) continue
      if (acc != "yes" && sload[t] != "loaded" && wanted()) bad = 1
      if (acc != "yes" && sload[t] == "loaded" && (sact[t] == "failed" || ssub[t] == "auto-restart")) bad = 1
    }
    if (acc == "yes" && tc == 1 && wanted()) {
      p = id; sub(/@.*$/, "", p); sub(/\.socket$/, "", p)
      if (!((p "@.service") in tpl)) bad = 1
    }
  }
  if (!bad) return
  since = latest()
  line = id "\t" (since < 0 ? "-" : since - 300) "\t" id
  units = 1
  for (i = 1; i <= n && units < 9; i++) if (ok(tr[i])) { line = line "\t" tr[i]; units++ }
  print line
  planned++
}
function flush() {
  if (role == 1) service(); else if (role == 3) socket()
  split("", blk)
}
# Roles by file name, not by position: an empty file has no first line to count.
FILENAME != cur { flush(); cur = FILENAME; role = cur == sf ? 1 : cur == tf ? 2 : 3 }
role == 2 { if ($1 != "") tpl[$1] = 1; next }
/^$/ { flush(); next }
{ k = $0; sub(/=.*$/, "", k); if (!(k in blk)) blk[k] = substr($0, length(k) + 2) }
END { flush() }
`;

/** Fields kept by `--output-fields=` (journalctl 236+): what the evidence model reads. */
export const journalFields = [
  'MESSAGE',
  'PRIORITY',
  'MESSAGE_ID',
  'UNIT',
  'USER_UNIT',
  '_SYSTEMD_UNIT',
  'OBJECT_SYSTEMD_UNIT',
  'COREDUMP_UNIT',
  'UNIT_RESULT',
  'ERRNO',
  '_PID',
  'SYSLOG_IDENTIFIER',
  '_COMM',
  'EXIT_CODE',
  'EXIT_STATUS',
] as const;
