# The benchmark hosts' login environment (sshd ForceCommand): take the probe's nonce and print
# a probe output captured from a real Debian 12 host with that nonce. Hosts on even addresses
# answer like the healthy capture, odd ones like the one with failed sockets.
#
# Where the probe is depends on the tool: sockaudit, the ssh2 floor, ssh, pssh and clush run
# `sh -s` and send the script on stdin; Ansible's raw module cannot send stdin, so the script
# is a here-document inside the command itself. In that case the answer is printed without
# reading stdin at all, as `sh -s <<EOF` on a real host would: Ansible keeps the session's
# stdin open until the command ends, so waiting for its end of file would hang every host.
function answer(n,    c, ip, f, line) {
  split(ENVIRON["SSH_CONNECTION"], c, " ")
  split(c[3], ip, ".")
  f = D "/" ((ip[4] % 2 == 0) ? "healthy.txt" : "failures.txt")
  while ((getline line < f) > 0) { gsub(/FIXTURENONCE/, n, line); print line }
  close(f)
}
BEGIN {
  if (match(ENVIRON["SSH_ORIGINAL_COMMAND"], /M='@@sockaudit:[A-Za-z0-9_-]+:'/)) {
    answer(substr(ENVIRON["SSH_ORIGINAL_COMMAND"], RSTART + 15, RLENGTH - 17))
    done = 1
    exit
  }
}
match($0, /^M='@@sockaudit:[A-Za-z0-9_-]+:'$/) { n = substr($0, 16, RLENGTH - 17) }
END {
  if (done) exit
  if (n == "") { print "no sockaudit probe on stdin" > "/dev/stderr"; exit 2 }
  answer(n)
}
