/**
 * A packetdrill script runner for jnetstack: {@link io.jnetstack.packetdrill.Parser} reads the
 * script grammar into an {@link io.jnetstack.packetdrill.Ast}; {@link io.jnetstack.packetdrill.Runner}
 * plays each script against a fresh stack on a virtual clock, with a tun-like device as the remote
 * host (192.0.2.1) and the system calls on simulated application threads, matching packets,
 * timing, results and TCP_INFO ({@code %{ }%} code, run by python3) as packetdrill does;
 * {@link io.jnetstack.packetdrill.Report} sets the results against the corpus's class and Linux
 * tables. The corpus itself (GPL-2.0 data) is read from {@code ../shared/conformance/packetdrill},
 * never copied into this repository.
 *
 * <p>Command line: {@code jns packetdrill [--tsv FILE] [--verbose] PATH...}.
 */
package io.jnetstack.packetdrill;
