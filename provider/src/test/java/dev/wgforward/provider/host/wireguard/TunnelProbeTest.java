package dev.wgforward.provider.host.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TunnelProbeTest {
    @Test
    void noKeyLeavesTheHost() {
        String script = TunnelProbe.interfaceScript("wgf0");
        assertFalse(script.contains("dump"), "wg show dump prints the private key and preshared keys");
        assertFalse(script.contains("private-key") || script.contains("preshared"), script);
        assertThrows(IllegalArgumentException.class, () -> TunnelProbe.interfaceScript("wgf0; rm -rf /"));
    }

    @Test
    void readsPeersFieldByField() {
        String output = """
                interface=up
                now=1000
                public-key=RELAYPUB=
                listen-port=51820
                handshake=PEERA=\t990
                handshake=PEERB=\t0
                transfer=PEERA=\t1200\t3400
                transfer=PEERB=\t0\t0
                endpoint=PEERA=\t203.0.113.10:40000
                endpoint=PEERB=\t(none)
                allowed=PEERA=\t10.77.42.2/32
                allowed=PEERB=\t10.77.42.3/32 10.77.43.0/24
                """;
        TunnelProbe.InterfaceState state = TunnelProbe.parseInterface(output);
        assertTrue(state.present() && state.up());
        assertEquals("RELAYPUB=", state.publicKey());
        assertEquals(51820, state.listenPort());
        assertEquals(1000, state.hostNow());
        assertEquals(List.of(
                new TunnelProbe.Peer("PEERA=", Optional.of("203.0.113.10:40000"), List.of("10.77.42.2/32"), OptionalLong.of(990), 1200, 3400),
                new TunnelProbe.Peer("PEERB=", Optional.empty(), List.of("10.77.42.3/32", "10.77.43.0/24"), OptionalLong.empty(), 0, 0)),
                state.peers());
    }

    @Test
    void anAbsentInterfaceHasNoPeers() {
        TunnelProbe.InterfaceState state = TunnelProbe.parseInterface("interface=absent\n");
        assertFalse(state.present());
        assertFalse(state.up());
        assertEquals(List.of(), state.peers());
    }

    @Test
    void targetsAreValidatedAndQuotedAndTheAnswersRead() {
        String script = TunnelProbe.reachScript(List.of(new TunnelProbe.Target("10.200.0.2", 22)), 3);
        assertTrue(script.contains("wgf_try '10.200.0.2' 22"), script);
        assertTrue(script.contains("timeout 3 "), script);
        assertThrows(IllegalArgumentException.class, () -> new TunnelProbe.Target("$(reboot)", 22));
        assertThrows(IllegalArgumentException.class, () -> new TunnelProbe.Target("10.200.0.2", 0));
        assertEquals(Map.of("10.200.0.2:22", true, "10.200.0.2:9", false),
                TunnelProbe.parseReach("reach=10.200.0.2:22 yes\nreach=10.200.0.2:9 no\nnoise\n"));
    }

    @Test
    void ipv6TargetsAreTriedAndReportedAsForwardsNameThem() {
        TunnelProbe.Target target = new TunnelProbe.Target("2001:DB8:200:0::2", 22);
        assertEquals("2001:db8:200::2", target.host());
        String script = TunnelProbe.reachScript(List.of(target), 3);
        assertTrue(script.contains("wgf_try '2001:db8:200::2' 22\n"), script);
        assertTrue(script.contains("*:*) wgf_target=\"[$1]:$2\""), script);
        assertEquals(java.util.Map.of("[2001:db8:200::2]:22", true), TunnelProbe.parseReach("reach=[2001:db8:200::2]:22 yes\n"));
        assertThrows(IllegalArgumentException.class, () -> new TunnelProbe.Target("2001:db8::1; reboot", 22));
    }
}
