package dev.wgforward.provider.resources;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgforward.provider.framework.ProviderException;
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
        HostClaims.claim("urn:a6", relay("claims6.example.com", "wgf0", 51820, "10.77.42.1/24", "fd77:42::1/64", true), List.of());
        ProviderException clash = assertThrows(ProviderException.class, () -> HostClaims.claim("urn:b6",
                relay("claims6.example.com", "wgf1", 51821, "10.77.43.1/24", "FD77:42::100/64", true), List.of()));
        assertTrue(clash.getMessage().contains("IPv6 address range fd77:42::/64") && clash.getMessage().contains("relay.address6"),
                clash.getMessage());
        // Another range, or no IPv6 on the second tunnel: no clash.
        assertDoesNotThrow(() -> HostClaims.claim("urn:b6",
                relay("claims6.example.com", "wgf1", 51821, "10.77.43.1/24", "fd77:43::1/64", true), List.of()));
        assertDoesNotThrow(() -> HostClaims.claim("urn:c6",
                relay("claims6.example.com", "wgf2", 51822, "10.77.44.1/24", "fd77:42::1/64", false), List.of()));
    }
}
