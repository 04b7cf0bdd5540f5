package io.jnetstack.link;

/** struct rtnl_link_stats64, the part that matters here. Owned by one event loop; plain fields. */
public final class DeviceStats {
    public long rxPackets, rxBytes, rxDropped, rxErrors;
    public long txPackets, txBytes, txDropped, txErrors;

    @Override public String toString() {
        return "RX: " + rxPackets + " packets " + rxBytes + " bytes " + rxDropped + " dropped " + rxErrors
                + " errors; TX: " + txPackets + " packets " + txBytes + " bytes " + txDropped + " dropped "
                + txErrors + " errors";
    }
}
