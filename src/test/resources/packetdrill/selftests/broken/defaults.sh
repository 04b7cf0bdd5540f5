#!/bin/bash
# A baseline naming a sysctl no Linux has: the script that runs it must fail, naming it.
sysctl -q net.ipv4.tcp_rmem="4096 32768 1048576"
sysctl -q net.ipv4.tcp_no_such_knob=1
