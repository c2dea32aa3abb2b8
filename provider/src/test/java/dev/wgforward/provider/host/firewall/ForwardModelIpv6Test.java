package dev.wgforward.provider.host.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The IPv6 fields of the forwarding model: what is accepted, what is refused and why. */
class ForwardModelIpv6Test {

    @Test
    void ipv6TargetsAreKeptCanonical() {
        Forward forward = new Forward(8822, Protocol.TCP, "2001:DB8:200:0:0:0:0:2", 22);
        assertEquals("2001:db8:200::2", forward.targetHost());
        assertTrue(forward.isIpv6());
        assertEquals("[2001:db8:200::2]:22", forward.target());
        assertEquals("8822/tcp -> [2001:db8:200::2]:22", forward.toString());
        assertEquals("10.200.0.2:22", Fixtures.SSH.target());
        assertFalse(Fixtures.SSH.isIpv6());
    }

    @Test
    void ipv6TargetsThatCannotBeForwardedToAreRejected() {
        for (String target : List.of("::", "::1", "ff02::1", "fe80::1", "::ffff:10.0.0.1", "2001:db8::g", "2001:db8::1%eth0",
                "[2001:db8::1]", "2001:db8::1/128", "1:2:3:4:5:6:7:8:9")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Forward(22, Protocol.TCP, target, 22), target);
            assertTrue(e.getMessage().startsWith("forward target host "), e.getMessage());
        }
    }

    @Test
    void anIpv6ForwardNeedsATunnelWithIpv6() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ForwardRuleset("wgf0", "192.168.77.1", "192.168.77.2", List.of(Fixtures.SSH6)));
        assertTrue(e.getMessage().contains("targets an IPv6 address, but the tunnel has no IPv6 address"), e.getMessage());
    }

    @Test
    void clientsHaveAnIpv6AddressExactlyWhenTheRelayHasOne() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new ForwardRuleset("wgf0", "192.168.77.1", "fd77:42::1", "192.168.77.2", null, List.of()));
        assertTrue(missing.getMessage().contains("has no tunnel IPv6 address"), missing.getMessage());
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
                () -> new ForwardRuleset("wgf0", "192.168.77.1", null, "192.168.77.2", "fd77:42::2", List.of()));
        assertTrue(extra.getMessage().contains("the relay has none"), extra.getMessage());
    }

    @Test
    void ipv6AddressesAreValidatedAndCompared() {
        assertThrows(IllegalArgumentException.class,
                () -> new ForwardRuleset("wgf0", "192.168.77.1", "fd77:42::1; reboot", "192.168.77.2", "fd77:42::2", List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new ForwardRuleset("wgf0", "192.168.77.1", "ff02::1", "192.168.77.2", "fd77:42::2", List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new ForwardRuleset("wgf0", "192.168.77.1", "fd77:42::1", "192.168.77.2", "fd77:42:0::1", List.of()));
        IllegalArgumentException relay = assertThrows(IllegalArgumentException.class, () -> new ForwardRuleset("wgf0", "192.168.77.1",
                "fd77:42::1", "192.168.77.2", "fd77:42::2", List.of(new Forward(22, Protocol.TCP, "fd77:42::1", 22))));
        assertTrue(relay.getMessage().contains("relay's own tunnel address"), relay.getMessage());
        IllegalArgumentException client = assertThrows(IllegalArgumentException.class, () -> new ForwardRuleset("wgf0", "192.168.77.1",
                "fd77:42::1", "192.168.77.2", "fd77:42::2", List.of(new Forward(22, Protocol.TCP, "fd77:42::2", 22))));
        assertTrue(client.getMessage().contains("client's tunnel address"), client.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> new ForwardRuleset("wgf0", "192.168.77.1",
                "fd77:42::1", List.of(new ForwardRuleset.ClientForwards("192.168.77.2", "fd77:42::2", List.of()),
                        new ForwardRuleset.ClientForwards("192.168.77.3", "fd77:42::2", List.of())), true));
        assertTrue(twice.getMessage().contains("two clients have the tunnel IPv6 address"), twice.getMessage());
    }

    @Test
    void oneForwardPerPortAndProtocolAcrossFamilies() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ForwardRuleset("wgf0", "192.168.77.1",
                "fd77:42::1", "192.168.77.2", "fd77:42::2", List.of(Fixtures.SSH, new Forward(8888, Protocol.TCP, "2001:db8:200::2", 22))));
        assertTrue(e.getMessage().contains("8888/tcp appears twice"), e.getMessage());
    }

    @Test
    void theOldConstructorsMeanIpv4Only() {
        ForwardRuleset ruleset = Fixtures.ruleset();
        assertNull(ruleset.relayTunnelIp6());
        assertNull(ruleset.clientTunnelIp6());
        assertFalse(ruleset.hasIpv6());
        ForwardRuleset hub = new ForwardRuleset("wgf0", "192.168.77.1",
                List.of(new ForwardRuleset.ClientForwards("192.168.77.2", List.of(Fixtures.SSH))), true);
        assertNull(hub.clients().get(0).tunnelIp6());
    }

    @Test
    void entriesKnowTheirFamily() {
        ForwardRuleset ruleset = Fixtures.dualStack();
        assertTrue(ruleset.hasIpv6());
        assertTrue(ruleset.hasIpv6Forwards());
        assertEquals(2, ruleset.entries(true).size());
        assertEquals(2, ruleset.entries(false).size());
        ForwardRuleset.Entry six = ruleset.entries(true).get(0);
        assertEquals("fd77:42::2", six.clientAddress());
        assertEquals("192.168.77.2", ruleset.entries(false).get(0).clientAddress());
        assertEquals(new ForwardKey(8822, Protocol.TCP), six.key());
        // On a hub the key names the client by its IPv4 tunnel address, whatever the forward's family.
        assertEquals(new ForwardKey(8822, Protocol.TCP, "192.168.77.3"), Fixtures.dualStackHub().entries(true).get(1).key());
        assertFalse(new ForwardRuleset("wgf0", "192.168.77.1", "fd77:42::1", "192.168.77.2", "fd77:42::2", List.of(Fixtures.SSH))
                .hasIpv6Forwards());
    }
}
