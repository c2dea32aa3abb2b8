package dev.wgforward.provider.host.wireguard;

import dev.wgforward.provider.testing.Golden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class WgConfigRendererTest {
    // RFC 7748's example keys: fixed, so the golden files stay put, and never anybody's real keys.
    private static final String RELAY_PRIVATE = "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=";
    private static final String RELAY_PUBLIC = "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=";
    private static final String CLIENT_PRIVATE = "XasIfmJKikt54X+Lg4AO5m87sSkmGLb9HC+LJ/+I4Os=";
    private static final String CLIENT_PUBLIC = "3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=";

    private static WgInterface relay() {
        return new WgInterface("wgf0", "192.168.77.1/24", OptionalInt.of(51820), RELAY_PRIVATE, OptionalInt.of(1420), List.of(
                WgPeer.of(CLIENT_PUBLIC, List.of("192.168.77.2/32"))));
    }

    private static WgInterface client() {
        return new WgInterface("wgf0", "192.168.77.2/24", OptionalInt.empty(), CLIENT_PRIVATE, OptionalInt.empty(), List.of(
                new WgPeer(RELAY_PUBLIC, List.of("192.168.77.1/32", "fd77::1/128"), Optional.of("relay.example.com:51820"),
                        OptionalInt.of(25))));
    }

    @Test
    void keysAreTheRfcPairs() {
        assertEquals(RELAY_PUBLIC, WgKeys.publicKeyOf(RELAY_PRIVATE));
        assertEquals(CLIENT_PUBLIC, WgKeys.publicKeyOf(CLIENT_PRIVATE));
    }

    @Test
    void relayWgQuick() {
        Golden.assertMatches("wireguard/relay-wg-quick.conf", WgConfigRenderer.wgQuick(relay()));
    }

    @Test
    void relaySetconf() {
        Golden.assertMatches("wireguard/relay-setconf.conf", WgConfigRenderer.wgSetconf(relay()));
    }

    @Test
    void clientWgQuick() {
        Golden.assertMatches("wireguard/client-wg-quick.conf", WgConfigRenderer.wgQuick(client()));
    }

    @Test
    void clientSetconf() {
        Golden.assertMatches("wireguard/client-setconf.conf", WgConfigRenderer.wgSetconf(client()));
    }

    @Test
    void setconfHasNoWgQuickKeys() {
        String setconf = WgConfigRenderer.wgSetconf(relay());
        assertFalse(setconf.contains("Address"));
        assertFalse(setconf.contains("MTU"));
        assertTrue(setconf.contains("ListenPort = 51820"));
    }

    @Test
    void deterministic() {
        assertEquals(WgConfigRenderer.wgQuick(relay()), WgConfigRenderer.wgQuick(relay()));
    }

    @Test
    void interfaceWithoutPeers() {
        String text = WgConfigRenderer.wgQuick(new WgInterface("wgf1", "10.9.0.1/30", OptionalInt.empty(), RELAY_PRIVATE,
                OptionalInt.empty(), List.of()));
        assertEquals("# Managed by wgforward (interface wgf1). Manual changes are overwritten.\n"
                + "[Interface]\n"
                + "PrivateKey = " + RELAY_PRIVATE + "\n"
                + "Address = 10.9.0.1/30\n", text);
    }

    @Test
    void toStringHidesThePrivateKey() {
        assertFalse(relay().toString().contains(RELAY_PRIVATE));
    }

    @Test
    void rejectsInvalidValues() {
        List<String> oneIp = List.of("192.168.77.2/32");
        assertThrows(IllegalArgumentException.class, () -> WgPeer.of("not a key", oneIp));
        assertThrows(IllegalArgumentException.class, () -> WgPeer.of(CLIENT_PUBLIC + "\nPostUp = reboot", oneIp));
        assertThrows(IllegalArgumentException.class, () -> WgPeer.of(CLIENT_PUBLIC, List.of("192.168.77.2/32\nPostUp = x")));
        assertThrows(IllegalArgumentException.class, () -> WgPeer.of(CLIENT_PUBLIC, List.of("192.168.77.2")));
        assertThrows(IllegalArgumentException.class, () -> WgPeer.of(CLIENT_PUBLIC, List.of("fd00::1/129")));
        assertThrows(IllegalArgumentException.class, () -> new WgPeer(CLIENT_PUBLIC, oneIp,
                Optional.of("relay.example.com:51820; reboot"), OptionalInt.empty()));
        assertThrows(IllegalArgumentException.class, () -> new WgPeer(CLIENT_PUBLIC, oneIp,
                Optional.of("relay.example.com"), OptionalInt.empty()));
        assertThrows(IllegalArgumentException.class, () -> new WgPeer(CLIENT_PUBLIC, oneIp,
                Optional.empty(), OptionalInt.of(65536)));
        assertThrows(IllegalArgumentException.class, () -> WgPeer.of(CLIENT_PUBLIC, List.of("0.0.0.0/0")));
        assertThrows(IllegalArgumentException.class, () -> WgPeer.of(CLIENT_PUBLIC, List.of("::/0")));
        WgPeer peer = WgPeer.of(CLIENT_PUBLIC, oneIp);
        assertThrows(IllegalArgumentException.class, () -> new WgInterface("wg$(id)", "192.168.77.1/24", OptionalInt.empty(),
                RELAY_PRIVATE, OptionalInt.empty(), List.of(peer)));
        assertThrows(IllegalArgumentException.class, () -> new WgInterface("wgf0", "192.168.77.1", OptionalInt.empty(),
                RELAY_PRIVATE, OptionalInt.empty(), List.of(peer)));
        assertThrows(IllegalArgumentException.class, () -> new WgInterface("wgf0", "192.168.77.1/24", OptionalInt.of(70000),
                RELAY_PRIVATE, OptionalInt.empty(), List.of(peer)));
        assertThrows(IllegalArgumentException.class, () -> new WgInterface("wgf0", "192.168.77.1/24", OptionalInt.empty(),
                RELAY_PRIVATE, OptionalInt.of(100), List.of(peer)));
        // The same rules as Check (Validators): MTU from 1280, a tunnel network no larger than /8.
        IllegalArgumentException mtu = assertThrows(IllegalArgumentException.class, () -> new WgInterface("wgf0", "192.168.77.1/24",
                OptionalInt.empty(), RELAY_PRIVATE, OptionalInt.of(576), List.of(peer)));
        assertTrue(mtu.getMessage().startsWith("MTU must be from 1280 to 9000"), mtu.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WgInterface("wgf0", "192.168.2.1/0", OptionalInt.empty(),
                RELAY_PRIVATE, OptionalInt.empty(), List.of(peer)));
        assertThrows(IllegalArgumentException.class, () -> new WgInterface("wgf0", "192.168.77.1/24", OptionalInt.empty(),
                "x", OptionalInt.empty(), List.of(peer)));
        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class, () -> new WgInterface("wgf0",
                "192.168.77.1/24", OptionalInt.empty(), RELAY_PRIVATE, OptionalInt.empty(), List.of(peer, peer)));
        assertTrue(duplicate.getMessage().contains("appears twice"), duplicate.getMessage());
        IllegalArgumentException badKey = assertThrows(IllegalArgumentException.class, () -> new WgInterface("wgf0",
                "192.168.77.1/24", OptionalInt.empty(), RELAY_PRIVATE.substring(1), OptionalInt.empty(), List.of()));
        assertFalse(badKey.getMessage().contains(RELAY_PRIVATE.substring(1, 12)), badKey.getMessage());
    }
}
