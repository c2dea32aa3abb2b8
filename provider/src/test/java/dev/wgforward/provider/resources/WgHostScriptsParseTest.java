package dev.wgforward.provider.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgforward.provider.host.wireguard.WgHostScripts;
import dev.wgforward.provider.host.wireguard.WgHostScripts.Observed;
import dev.wgforward.provider.host.wireguard.WgHostScripts.ObservedPeer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading back {@link WgHostScripts#inspect}'s output, with `wg show <if> dump`'s tab-separated lines. */
class WgHostScriptsParseTest {
    private static final String PRIV = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
    private static final String PUB = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";
    private static final String PEER_NAT = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private static final String PEER_ROAMING = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";

    /** What inspect prints for a relay with two peers: one behind NAT that has not connected yet, one live. */
    private static String inspectOutput() {
        return String.join("\n",
                "present",
                "--dump",
                String.join("\t", PRIV, PUB, "51820", "off"),
                String.join("\t", PEER_NAT, "(none)", "(none)", "10.77.42.2/32", "0", "0", "0", "off"),
                String.join("\t", PEER_ROAMING, "(none)", "198.51.100.7:41641", "10.77.42.3/32,192.168.50.0/24", "1717171717",
                        "12345", "67890", "25"),
                "--address",
                "10.77.42.1/24",
                "--mtu",
                "1420",
                "--config",
                "yes",
                "--impl",
                "kernel",
                "");
    }

    @Test
    void parsesARealisticDump() {
        Observed seen = WgHostScripts.parse(inspectOutput());
        assertTrue(seen.present());
        assertEquals(Optional.of(PRIV), seen.privateKey());
        assertEquals(Optional.of(51820), seen.listenPort());
        assertEquals(List.of("10.77.42.1/24"), seen.addresses());
        assertEquals(Optional.of(1420), seen.mtu());
        assertTrue(seen.configFile());
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
                "present", "--dump",
                String.join("\t", PRIV, PUB, "38211", "0xca6c"),
                String.join("\t", PEER_NAT, "(none)", "[2001:db8::7]:51820", "(none)", "0", "0", "0", "off"),
                "--address", "10.0.0.1/24", "10.0.0.9/24", "--mtu", "1380", "--config", "no", "--impl", "wireguard-go");
        Observed seen = WgHostScripts.parse(out);
        assertEquals(Optional.of(38211), seen.listenPort());
        assertEquals(List.of(new ObservedPeer(PEER_NAT, List.of(), Optional.of("[2001:db8::7]:51820"), Optional.empty())), seen.peers());
        assertEquals(List.of("10.0.0.1/24", "10.0.0.9/24"), seen.addresses());
        assertEquals(Optional.of(1380), seen.mtu());
        assertFalse(seen.configFile());
        assertEquals("wireguard-go", seen.implementation());
    }

    @Test
    void interfaceWithoutKeyAndWithCrlf() {
        String out = String.join("\r\n",
                "present", "--dump",
                String.join("\t", "(none)", "(none)", "0", "off"),
                "--address", "--mtu", "1420", "--config", "yes", "--impl", "kernel", "");
        Observed seen = WgHostScripts.parse(out);
        assertTrue(seen.present());
        assertEquals(Optional.empty(), seen.privateKey());
        assertEquals(List.of(), seen.peers());
        assertEquals(List.of(), seen.addresses());
        assertEquals(Optional.of(1420), seen.mtu());
        assertEquals("kernel", seen.implementation());
    }
}
