package dev.wgforward.provider.host.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgforward.provider.host.OwnerMark;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The host scripts of a dual-stack interface, and reading one back. */
class WgHostScriptsIpv6Test {
    private static final String RELAY_PRIVATE = "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=";
    private static final String CLIENT_PUBLIC = "3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=";
    private static final OwnerMark OWNER = OwnerMark.forResource("urn:pulumi:s::p::wgforward:index:WireGuardInterface::relay");

    private static WgInterface relay(String address6) {
        return new WgInterface("wgf6", "10.77.42.1/24", address6, OptionalInt.of(51820), RELAY_PRIVATE, OptionalInt.empty(),
                List.of(WgPeer.of(CLIENT_PUBLIC, address6 == null ? List.of("10.77.42.2/32") : List.of("10.77.42.2/32", "fd77:42::2/128"))));
    }

    /**
     * What inspect printed on a lab relay (wireguard-go) after apply of {@link #relay} with
     * fd77:42::1/64: the link-local address the kernel gives the tun device is not listed.
     */
    @Test
    void inspectOfARealDualStackRelayReadsBackAsDeclared() throws IOException {
        String out;
        try (InputStream in = getClass().getResourceAsStream("/listings/wg-inspect-dual-stack.txt")) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        WgHostScripts.Observed seen = WgHostScripts.parse(out);
        assertEquals(List.of("10.77.42.1/24"), seen.addresses(), "the IPv4 addresses read as before");
        assertEquals(List.of("fd77:42::1/64"), seen.addresses6());
        assertEquals(relay("fd77:42::1/64").address6(), seen.address6());
        assertEquals(List.of("10.77.42.2/32", "fd77:42::2/128"), seen.peers().get(0).allowedIps());
        assertEquals(Optional.of("[2001:db8:113::10]:39752"), seen.peers().get(0).endpoint());
    }

    @Test
    void anInspectWithoutTheSectionHasNoIpv6Address() {
        WgHostScripts.Observed seen = WgHostScripts.parse("present\n--address\n10.0.0.1/24\n--mtu\n1420\n");
        assertEquals(List.of(), seen.addresses6());
        assertNull(seen.address6());
    }

    @Test
    void applySetsTheIpv6AddressAndChecksItsRange() throws Exception {
        String script = WgHostScripts.apply(relay("fd77:42::1/64"), OWNER, OwnerMark.Unmarked.FOREIGN, "fix");
        assertTrue(script.contains("NET6='fd77:42::/64'\n"), script);
        assertTrue(script.contains("ADDR6='fd77:42::1/64'\n"), script);
        assertTrue(script.contains("ip -6 address replace \"$ADDR6\" dev \"$IF\" nodad"), script);
        assertTrue(script.contains("ip -6 -o route show root \"$NET6\""), script);
        assertTrue(script.contains("Address = fd77:42::1/64\n"), "the boot config has the second Address line");
        assertSyntaxOk(script);
    }

    @Test
    void anIpv4OnlyInterfaceDropsAStaleIpv6Address() throws Exception {
        String script = WgHostScripts.apply(relay(null), OWNER, OwnerMark.Unmarked.FOREIGN, "fix");
        assertTrue(script.contains("NET6=''\n"), script);
        assertTrue(script.contains("ADDR6=''\n"), script);
        // Every global IPv6 address that is not ADDR6 (here: every one) is deleted.
        assertTrue(script.contains("[ \"$a\" = \"$ADDR6\" ] || ip -6 address del \"$a\" dev \"$IF\""), script);
        assertFalse(script.contains("Address = fd77"), script);
        assertSyntaxOk(script);
    }

    @Test
    void inspectListsGlobalIpv6AddressesOnly() {
        assertTrue(WgHostScripts.inspect("wgf6").contains("ip -6 -o address show dev \"$IF\" scope global"));
    }

    private static void assertSyntaxOk(String script) throws Exception {
        Process sh = new ProcessBuilder("sh", "-n").redirectErrorStream(true).start();
        sh.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        sh.getOutputStream().close();
        assertTrue(sh.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, sh.exitValue(), new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
