package dev.wgforward.provider.host.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardModelTest {

    /** Values that would change a script or a rule if they got into one. */
    private static final List<String> HOSTILE = List.of(
            "wgf0; reboot", "$(reboot)", "`reboot`", "wgf0\nreboot", "wgf0'", "wgf0\"", "wg f0", "wgf0|x", "wgf0&", "wgf0>x",
            "wg\\f0", "\u0000", "", "-j ACCEPT", "wgf0 -j ACCEPT", "\"; drop");

    @Test
    void hostileInterfaceNamesAreRejected() {
        for (String name : HOSTILE) {
            assertThrows(IllegalArgumentException.class,
                    () -> new ForwardRuleset(name, "192.168.77.1", "192.168.77.2", List.of(Fixtures.SSH)), name);
            assertThrows(IllegalArgumentException.class, () -> FirewallScripts.remove(FirewallBackend.NFTABLES, name), name);
            assertThrows(IllegalArgumentException.class, () -> FirewallScripts.list(FirewallBackend.IPTABLES_NFT, name), name);
            assertThrows(IllegalArgumentException.class, () -> FirewallState.parse(FirewallBackend.IPTABLES_LEGACY, name, "x"), name);
        }
    }

    @Test
    void hostileAddressesAreRejected() {
        for (String value : HOSTILE) {
            if (value.isEmpty()) {
                continue;
            }
            String address = "10.0.0.1" + value;
            assertThrows(IllegalArgumentException.class, () -> new Forward(22, Protocol.TCP, address, 22), address);
            assertThrows(IllegalArgumentException.class,
                    () -> new ForwardRuleset("wgf0", address, "192.168.77.2", List.of()), address);
            assertThrows(IllegalArgumentException.class,
                    () -> new ForwardRuleset("wgf0", "192.168.77.1", address, List.of()), address);
        }
    }

    @Test
    void interfaceNamesThatToolsMisreadAreRejected() {
        // iptables reads "wg+" as every interface starting with "wg"; "-x" would be an option.
        for (String name : List.of("wg+", "-wgf0", "wgf0123456789abc", "wg/0", "wg:0")) {
            assertThrows(IllegalArgumentException.class,
                    () -> new ForwardRuleset(name, "192.168.77.1", "192.168.77.2", List.of()), name);
        }
    }

    @Test
    void portsMustBeInRange() {
        assertThrows(IllegalArgumentException.class, () -> new Forward(0, Protocol.TCP, "10.0.0.1", 22));
        assertThrows(IllegalArgumentException.class, () -> new Forward(65536, Protocol.TCP, "10.0.0.1", 22));
        assertThrows(IllegalArgumentException.class, () -> new Forward(22, Protocol.TCP, "10.0.0.1", 0));
        assertThrows(IllegalArgumentException.class, () -> new Forward(22, Protocol.TCP, "10.0.0.1", -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Forward(70000, Protocol.TCP, "10.0.0.1", 22));
        assertEquals("forward port must be a port number from 1 to 65535, got 70000", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ForwardKey(0, Protocol.UDP));
    }

    @Test
    void targetsThatCannotBeForwardedToAreRejected() {
        for (String target : List.of("127.0.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "240.0.0.1")) {
            assertThrows(IllegalArgumentException.class, () -> new Forward(22, Protocol.TCP, target, 22), target);
        }
        IllegalArgumentException tunnel = assertThrows(IllegalArgumentException.class, () -> new ForwardRuleset("wgf0",
                "192.168.77.1", "192.168.77.2", List.of(new Forward(22, Protocol.TCP, "192.168.77.2", 22))));
        assertTrue(tunnel.getMessage().contains("not a tunnel address"), tunnel.getMessage());
    }

    @Test
    void oneForwardPerPortAndProtocol() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ForwardRuleset("wgf0", "192.168.77.1",
                "192.168.77.2", List.of(Fixtures.SSH, new Forward(8888, Protocol.TCP, "10.200.0.3", 22))));
        assertTrue(e.getMessage().contains("8888/tcp appears twice"), e.getMessage());
        // The same port with the other protocol is a different forward.
        new ForwardRuleset("wgf0", "192.168.77.1", "192.168.77.2",
                List.of(Fixtures.SSH, new Forward(8888, Protocol.UDP, "10.200.0.3", 22)));
    }

    @Test
    void clientAndRelayNeedDifferentAddresses() {
        assertThrows(IllegalArgumentException.class, () -> new ForwardRuleset("wgf0", "192.168.77.1", "192.168.77.1", List.of()));
    }

    @Test
    void protocolAndBackendParse() {
        assertEquals(Protocol.TCP, Protocol.parse("tcp"));
        assertEquals(Protocol.UDP, Protocol.parse("udp"));
        assertThrows(IllegalArgumentException.class, () -> Protocol.parse("TCP"));
        assertThrows(IllegalArgumentException.class, () -> Protocol.parse("sctp"));
        assertEquals(FirewallBackend.NFTABLES, FirewallBackend.parse("nftables\n"));
        assertEquals(FirewallBackend.IPTABLES_NFT, FirewallBackend.parse("iptables-nft"));
        assertEquals(FirewallBackend.IPTABLES_LEGACY, FirewallBackend.parse(" iptables-legacy "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FirewallBackend.parse("ufw"));
        assertEquals("firewall backend must be one of nftables, iptables-nft or iptables-legacy, got \"ufw\"", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FirewallBackend.parse(""));
        assertThrows(IllegalArgumentException.class, () -> FirewallBackend.parse(null));
    }

    @Test
    void namesAndTags() {
        assertEquals("8888/tcp", Fixtures.SSH.key().toString());
        assertEquals("8888/tcp -> 10.200.0.2:22", Fixtures.SSH.toString());
        assertEquals("wgforward:wgf0:8888/tcp:dnat", RuleNames.forwardTag("wgf0", Fixtures.SSH.key(), RuleRole.DNAT));
        assertEquals("wgforward_wgf0", RuleNames.nftTable("wgf0"));
        // nft identifiers can't hold = or +; the escaped form stays one-to-one.
        assertEquals("wgforward_w/3dg/2b1", RuleNames.nftTable("w=g+1"));
        assertEquals("WGF-wgf0-PRE", RuleNames.iptablesPreroutingChain("wgf0"));
        assertTrue(RuleNames.iptablesPostroutingChain("abcdefghijklmno").length() <= 28);
    }
}
