#!/bin/sh
# nsconnect NETNS: carry stdin/stdout to 127.0.0.1:22 inside NETNS (lab.sh's forwarder, socat, runs it for each connection)
exec nsenter --net="/run/netns/$1" -- socat STDIO TCP4:127.0.0.1:22
