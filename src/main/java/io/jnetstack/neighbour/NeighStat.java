package io.jnetstack.neighbour;

/**
 * The columns of /proc/net/stat/arp_cache (struct neigh_statistics), in Linux's order, kept in the
 * stack's counter group "arp_cache". {@code entries} is a gauge, as in Linux.
 */
public enum NeighStat {
    entries, allocs, destroys, hash_grows, lookups, hits, res_failed, rcv_probes_mcast, rcv_probes_ucast,
    periodic_gc_runs, forced_gc_runs, unresolved_discards, table_fulls
}
