#!/bin/bash
# The baseline every script in this folder starts from (the runner's own fixture, laid out as the
# kernel's selftests are: scripts run `./defaults.sh` from their own folder, then add their lines).

# No cached metrics from an earlier script.
ip tcp_metrics flush all > /dev/null 2>&1

# Small buffers, so the windows the scripts check stay short numbers.
sysctl -q net.ipv4.tcp_rmem="4096 32768 $((1024*1024))"
sysctl -q net.ipv4.tcp_wmem="4096 32768 $((1024*1024))"

# Plain segments: no timestamps to map, SACK allowed.
sysctl -q net.ipv4.tcp_timestamps=0
sysctl -q net.ipv4.tcp_sack=1
