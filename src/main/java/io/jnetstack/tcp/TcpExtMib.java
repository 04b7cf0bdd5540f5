package io.jnetstack.tcp;

/** The TCP part of "TcpExt" in /proc/net/netstat (LINUX_MIB_*), with Linux's counter names. */
public enum TcpExtMib {
    EmbryonicRsts, TW, PAWSActive, PAWSEstab, DelayedACKs, ListenOverflows, ListenDrops, TCPHPHits, TCPPureAcks, TCPHPAcks,
    TCPRenoRecovery, TCPSackRecovery, TCPSACKReneging, TCPSACKReorder, TCPRenoReorder, TCPFullUndo, TCPLossUndo,
    TCPLostRetransmit, TCPRenoFailures, TCPSackFailures, TCPLossFailures, TCPFastRetrans, TCPSlowStartRetrans,
    TCPTimeouts, TCPLossProbes, TCPLossProbeRecovery, TCPDSACKOldSent, TCPDSACKOfoSent, TCPDSACKRecv,
    TCPAbortOnData, TCPAbortOnClose, TCPAbortOnMemory, TCPAbortOnTimeout, TCPAbortOnLinger, TCPAbortFailed,
    TCPSpuriousRTOs, TCPSackShifted, TCPBacklogDrop, TCPDeferAcceptDrop, TCPTimeWaitOverflow, TCPReqQFullDrop,
    TCPRcvCoalesce, TCPOFOQueue, TCPOFODrop, TCPOFOMerge, TCPChallengeACK, TCPSYNChallenge, TCPSpuriousRtxHostQueues,
    TCPAutoCorking, TCPFromZeroWindowAdv, TCPToZeroWindowAdv, TCPWantZeroWindowAdv, TCPSynRetrans, TCPOrigDataSent,
    TCPACKSkippedSynRecv, TCPACKSkippedPAWS, TCPACKSkippedSeq, TCPACKSkippedFinWait2, TCPACKSkippedTimeWait,
    TCPACKSkippedChallenge, TCPWinProbe, TCPKeepAlive, TCPDelivered, TCPZeroWindowDrop, TCPRcvQDrop, OutOfWindowIcmps,
    TCPMD5Unexpected, SyncookiesSent, SyncookiesRecv, SyncookiesFailed, TCPReqQFullDoCookies,
    TCPHystartTrainDetect, TCPHystartTrainCwnd, TCPHystartDelayDetect, TCPHystartDelayCwnd, TCPRetransFail,
    TCPPartialUndo, TCPDSACKUndo, TCPTSReorder, TCPDSACKOfoRecv, TCPDSACKRecvSegs, TCPDSACKIgnoredDubious,
    TCPSackRecoveryFail, TCPRenoRecoveryFail,
    TCPFastOpenActive, TCPFastOpenActiveFail, TCPFastOpenPassive, TCPFastOpenPassiveFail,
    TCPFastOpenListenOverflow, TCPFastOpenCookieReqd, TCPFastOpenBlackhole, TCPFastOpenPassiveAltKey
}
