package dev.wgforward.provider.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** getTunnelStatus reads each forward's target from the DNAT rules, IPv6 ones in brackets. */
class TunnelStatusTargetTest {

    @Test
    void ipv4AndBracketedIpv6TargetsAreHostAndPort() {
        assertEquals("10.200.0.2", TunnelStatus.target("10.200.0.2:22").host());
        assertEquals(22, TunnelStatus.target("10.200.0.2:22").port());
        assertEquals("2001:db8:200::2", TunnelStatus.target("[2001:db8:200::2]:22").host());
        assertEquals(8443, TunnelStatus.target("[2001:db8:200::2]:8443").port());
    }
}
