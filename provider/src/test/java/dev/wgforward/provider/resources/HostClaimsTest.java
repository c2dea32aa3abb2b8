package dev.wgforward.provider.resources;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.framework.Unknowns;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Clashes between two PortForwards of one program on one relay, IPv6 ranges included. */
class HostClaimsTest {
    private static ConnectionArgs relayHost(String host) {
        return new ConnectionArgs(host, 22, "root", null, null, null, null, null, null, null, null, null);
    }

    private static PortForward.RelayArgs relay(String host, String interfaceName, int port, String address, String address6, Boolean ipv6) {
        return new PortForward.RelayArgs(relayHost(host), null, port, interfaceName, address, address6, ipv6, false);
    }

    @Test
    void theSameIpv6RangeOnOneRelayIsAClash() {
        HostClaims.claim("urn:a6", relay("claims6.example.com", "wgf0", 51820, "10.77.42.1/24", "fd77:42::1/64", true), Unknowns.NONE, List.of());
        ProviderException clash = assertThrows(ProviderException.class, () -> HostClaims.claim("urn:b6",
                relay("claims6.example.com", "wgf1", 51821, "10.77.43.1/24", "FD77:42::100/64", true), Unknowns.NONE, List.of()));
        assertTrue(clash.getMessage().contains("IPv6 address range fd77:42::/64") && clash.getMessage().contains("relay.address6"),
                clash.getMessage());
        // Another range, or no IPv6 on the second tunnel: no clash.
        assertDoesNotThrow(() -> HostClaims.claim("urn:b6",
                relay("claims6.example.com", "wgf1", 51821, "10.77.43.1/24", "fd77:43::1/64", true), Unknowns.NONE, List.of()));
        assertDoesNotThrow(() -> HostClaims.claim("urn:c6",
                relay("claims6.example.com", "wgf2", 51822, "10.77.44.1/24", "fd77:42::1/64", false), Unknowns.NONE, List.of()));
    }

    @Test
    void defaultIpv6RangesFollowTheIpv4RangesSoTwoTunnelsOnOneRelayDoNotClash() {
        // Two stacks on a shared relay, each with its own interfaceName, listenPort and address (as
        // README says), relay.address6 left out: their IPv6 ranges differ as their IPv4 ranges do.
        HostClaims.claim("urn:d6", relay("claims6-default.example.com", "wgf0", 51820, "10.77.42.1/24", null, null),
                Unknowns.NONE, List.of());
        assertDoesNotThrow(() -> HostClaims.claim("urn:e6",
                relay("claims6-default.example.com", "wgf1", 51821, "10.77.43.1/24", null, null), Unknowns.NONE, List.of()));
        // The second's default (fd77:a4d:2b00::/64) given to a third explicitly is a clash with it.
        ProviderException clash = assertThrows(ProviderException.class, () -> HostClaims.claim("urn:f6",
                relay("claims6-default.example.com", "wgf2", 51822, "10.77.44.1/24", "fd77:a4d:2b00::9/64", null),
                Unknowns.NONE, List.of()));
        assertTrue(clash.getMessage().contains("IPv6 address range fd77:a4d:2b00::/64") && clash.getMessage().contains("urn:e6"),
                clash.getMessage());
    }

    @Test
    void equalExplicitIpv6RangesAreRefusedEvenWithDistinctIpv4Ranges() {
        HostClaims.claim("urn:g6", relay("claims6-explicit.example.com", "wgf0", 51820, "10.77.42.1/24", "fd00:1::1/64", null),
                Unknowns.NONE, List.of());
        ProviderException clash = assertThrows(ProviderException.class, () -> HostClaims.claim("urn:h6",
                relay("claims6-explicit.example.com", "wgf1", 51821, "10.77.43.1/24", "fd00:1::1/64", null), Unknowns.NONE, List.of()));
        assertTrue(clash.getMessage().contains("IPv6 address range fd00:1::/64"), clash.getMessage());
    }
}
