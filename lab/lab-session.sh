#!/bin/bash
# lab-session: ForceCommand of a wgforward lab host's sshd (lab-init installs it as
# /run/lab/session; see `lab.sh fault`). State in /run/lab/fault: armed, pattern, when, nth,
# count, fired; lock serializes the sessions' bookkeeping.
shell=${SHELL:-/bin/sh}
if [[ -z ${SSH_ORIGINAL_COMMAND+set} ]]; then
  exec -a "-${shell##*/}" "$shell"          # interactive: a login shell, as sshd runs it
fi
cmd=$SSH_ORIGINAL_COMMAND
unset SSH_ORIGINAL_COMMAND
f=/run/lab/fault

# Cut this ssh connection: SIGKILL to the nearest sshd ancestor (the session's
# unprivileged sshd; its monitor then exits and the TCP connection closes).
# Once kill(2) returned, that process cannot send another byte.
cut() {
  local p=$$ s
  while :; do
    s=$(cat "/proc/$p/stat") || break
    s=${s##*) }; set -- $s; p=$2
    ((p > 1)) || break
    if [[ $(cat "/proc/$p/comm") == sshd* ]]; then kill -KILL "$p"; exit 255; fi
  done
  echo "lab-session: no sshd ancestor to cut" >&2; exit 255
}

if [[ -e $f/armed && ( $cmd == "sh -s" || $cmd == "sudo -n sh -s" ) ]]; then
  buf=$(mktemp "$f/stdin.XXXXXX") || exit 255
  cat > "$buf"
  fire=
  if grep -qF -e "$(cat "$f/pattern" 2>/dev/null)" "$buf"; then
    exec 8<"$f/lock"; flock 8
    if [[ -e $f/armed ]]; then
      n=$(( $(cat "$f/count") + 1 )); echo "$n" > "$f/count"
      if ((n == $(cat "$f/nth"))); then
        fire=$(cat "$f/when"); rm -f "$f/armed"
        case $fire in
          before) echo "fired before (the script did not run)" > "$f/fired" ;;
          after)  echo "fired after (the script is running)" > "$f/fired" ;;
        esac
      fi
    fi
    flock -u 8; exec 8<&-
  fi
  exec 0<"$buf"; rm -f "$buf"
  case $fire in
    before) cut ;;
    after)
      # The script runs to its end, its output going nowhere; then the cut,
      # before its exit status can be sent.
      rc=0; "$shell" -c "$cmd" >/dev/null 2>&1 || rc=$?
      echo "fired after (the script ran, exit $rc)" > "$f/fired"
      cut ;;
  esac
fi
exec "$shell" -c "$cmd"
