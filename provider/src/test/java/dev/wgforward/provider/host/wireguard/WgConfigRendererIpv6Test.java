package dev.wgforward.provider.host.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** A dual-stack interface: both Address lines, IPv6 allowed IPs, an endpoint reached over IPv6. */
class WgConfigRendererIpv6Test {
    private static final String CLIENT_PRIVATE = "XasIfmJKikt54X+Lg4AO5m87sSkmGLb9HC+LJ/+I4Os=";
    private static final String RELAY_PUBLIC = "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=";

    private static WgInterface client() {
        return new WgInterface("wgf0", "10.77.42.2/24", "FD77:42:0::2/64", OptionalInt.empty(), CLIENT_PRIVATE, OptionalInt.empty(),
                List.of(new WgPeer(RELAY_PUBLIC, List.of("10.77.42.1/32", "fd77:42::1/128"), Optional.of("[2001:db8:113::1]:51820"),
                        OptionalInt.of(25))));
    }

    @Test
    void wgQuickHasBothAddressLines() {
        assertEquals("""
                # Managed by wgforward (interface wgf0). Manual changes are overwritten.
                [Interface]
                PrivateKey = XasIfmJKikt54X+Lg4AO5m87sSkmGLb9HC+LJ/+I4Os=
                Address = 10.77.42.2/24
                Address = fd77:42::2/64

                [Peer]
                PublicKey = hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=
                AllowedIPs = 10.77.42.1/32, fd77:42::1/128
                Endpoint = [2001:db8:113::1]:51820
                PersistentKeepalive = 25
                """, WgConfigRenderer.wgQuick(client()));
    }

    @Test
    void setconfHasNoAddress() {
        assertTrue(!WgConfigRenderer.wgSetconf(client()).contains("Address"));
        assertTrue(WgConfigRenderer.wgSetconf(client()).contains("Endpoint = [2001:db8:113::1]:51820\n"));
    }

    @Test
    void theAddressIsCanonicalAndValidated() {
        assertEquals("fd77:42::2/64", client().address6());
        assertNull(new WgInterface("wgf0", "10.77.42.2/24", OptionalInt.empty(), CLIENT_PRIVATE, OptionalInt.empty(), List.of()).address6());
        for (String bad : List.of("fd77:42::2", "fd77:42::2/8", "fd77:42::2/128", "10.0.0.1/24", "ff02::1/64", "fd77::2/64; reboot", "")) {
            assertThrows(IllegalArgumentException.class, () -> new WgInterface("wgf0", "10.77.42.2/24", bad, OptionalInt.empty(),
                    CLIENT_PRIVATE, OptionalInt.empty(), List.of()), bad);
        }
    }

    @Test
    void theRedactedFileKeepsTheIpv6Address() {
        assertTrue(WgHostScripts.redactedConfigFile(client(), dev.wgforward.provider.host.OwnerMark.forResource("urn:x"))
                .contains("Address = fd77:42::2/64\n"));
    }
}
