package dev.wgforward.provider.host.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgforward.provider.host.wireguard.WgHostScripts.Observed;
import dev.wgforward.provider.host.wireguard.WgHostScripts.ObservedPeer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reading back {@link WgHostScripts#inspect}'s output, with `wg show <if> dump`'s tab-separated
 * peer lines (its first line, the private key, is never read).
 */
class WgHostScriptsParseTest {
    private static final String DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String PUB = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";
    private static final String PEER_NAT = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private static final String PEER_ROAMING = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";

    /** What inspect prints for a relay with two peers: one behind NAT that has not connected yet, one live. */
    private static String inspectOutput() {
        return String.join("\n",
                "present",
                "--mark", "wgforward-owner=0123456789abcdef",
                "--public-key", PUB,
                "--listen-port", "51820",
                "--peers",
                String.join("\t", PEER_NAT, "(none)", "(none)", "10.77.42.2/32", "0", "0", "0", "off"),
                String.join("\t", PEER_ROAMING, "(none)", "198.51.100.7:41641", "10.77.42.3/32,192.168.50.0/24", "1717171717",
                        "12345", "67890", "25"),
                "--address",
                "10.77.42.1/24",
                "--mtu",
                "1420",
                "--config",
                DIGEST,
                "--impl",
                "kernel",
                "");
    }

    @Test
    void parsesARealisticDump() {
        Observed seen = WgHostScripts.parse(inspectOutput());
        assertTrue(seen.present());
        assertEquals("wgforward-owner=0123456789abcdef", seen.mark());
        assertEquals(Optional.of(PUB), seen.publicKey());
        assertEquals(Optional.of(51820), seen.listenPort());
        assertEquals(List.of("10.77.42.1/24"), seen.addresses());
        assertEquals(Optional.of(1420), seen.mtu());
        assertEquals(Optional.of(DIGEST), seen.configDigest());
        assertEquals("kernel", seen.implementation());
        assertEquals(List.of(
                new ObservedPeer(PEER_NAT, List.of("10.77.42.2/32"), Optional.empty(), Optional.empty()),
                new ObservedPeer(PEER_ROAMING, List.of("10.77.42.3/32", "192.168.50.0/24"), Optional.of("198.51.100.7:41641"), Optional.of(25))),
                seen.peers());
    }

    @Test
    void absentInterface() {
        Observed seen = WgHostScripts.parse("absent\n");
        assertFalse(seen.present());
        assertEquals(List.of(), seen.peers());
        assertFalse(WgHostScripts.parse("").present());
    }

    @Test
    void noPeersNoAllowedIpsNoConfigWireguardGo() {
        String out = String.join("\n",
                "present", "--mark", "--public-key", PUB, "--listen-port", "38211", "--peers",
                String.join("\t", PEER_NAT, "(none)", "[2001:db8::7]:51820", "(none)", "0", "0", "0", "off"),
                "--address", "10.0.0.1/24", "10.0.0.9/24", "--mtu", "1380", "--config", "none", "--impl", "wireguard-go");
        Observed seen = WgHostScripts.parse(out);
        assertEquals(Optional.of(38211), seen.listenPort());
        assertEquals(List.of(new ObservedPeer(PEER_NAT, List.of(), Optional.of("[2001:db8::7]:51820"), Optional.empty())), seen.peers());
        assertEquals(List.of("10.0.0.1/24", "10.0.0.9/24"), seen.addresses());
        assertEquals(Optional.of(1380), seen.mtu());
        assertEquals(Optional.empty(), seen.configDigest());
        assertEquals("", seen.mark(), "an interface without an owner mark");
        assertEquals("wireguard-go", seen.implementation());
    }

    @Test
    void interfaceWithoutKeyAndWithCrlf() {
        String out = String.join("\r\n",
                "present", "--mark", "--public-key", "(none)", "--listen-port", "0", "--peers",
                "--address", "--mtu", "1420", "--config", DIGEST, "--impl", "kernel", "");
        Observed seen = WgHostScripts.parse(out);
        assertTrue(seen.present());
        assertEquals(Optional.empty(), seen.publicKey());
        assertEquals(Optional.empty(), seen.listenPort());
        assertEquals(List.of(), seen.peers());
        assertEquals(List.of(), seen.addresses());
        assertEquals(Optional.of(1420), seen.mtu());
        assertEquals("kernel", seen.implementation());
    }
}
