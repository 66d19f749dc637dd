# The benchmark hosts' login environment (sshd ForceCommand): read the probe script from stdin
# (or, for tools that cannot send stdin, from the command line), take its nonce, and print a
# probe output captured from a real Debian 12 host with that nonce. Hosts on even addresses
# answer like the healthy capture, odd ones like the one with failed sockets.
match($0, /^M='@@sockaudit:[A-Za-z0-9_-]+:'$/) { n = substr($0, 16, RLENGTH - 17) }
END {
  if (n == "" && match(ENVIRON["SSH_ORIGINAL_COMMAND"], /M='@@sockaudit:[A-Za-z0-9_-]+:'/)) {
    n = substr(ENVIRON["SSH_ORIGINAL_COMMAND"], RSTART + 15, RLENGTH - 17)
  }
  if (n == "") { print "no sockaudit probe on stdin" > "/dev/stderr"; exit 2 }
  split(ENVIRON["SSH_CONNECTION"], c, " ")
  split(c[3], ip, ".")
  f = D "/" ((ip[4] % 2 == 0) ? "healthy.txt" : "failures.txt")
  while ((getline line < f) > 0) { gsub(/FIXTURENONCE/, n, line); print line }
}
