package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;

/** The lab itself: the ground every end-to-end test stands on. */
class LabIT {
    private static final String TARGET_SSH = "timeout 5 bash -c '</dev/tcp/10.200.0.2/22'";
    /** The design's default relay tunnel IPv6 address (no tunnel here: the probes' hand-made holes use it). */
    private static final String TUNNEL6 = "fd77:a4d:2a00::1";

    @BeforeAll
    static void up() {
        Lab.ensure(Lab.Mode.PLAIN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"client", "relay", "target", "outsider"})
    void eachHostAnswersSshUnderItsOwnHostname(String host) {
        assertEquals(host, Lab.ssh("root", host, "hostname").assertOk().output().trim());
    }

    @Test
    void aNonRootUserHasPasswordlessSudoAsOnCloudImages() {
        assertEquals("root", Lab.ssh("wgadmin", "relay", "sudo -n id -un").assertOk().output().trim());
    }

    @Test
    void theOutsiderCannotReachTheTargetThroughAFreshRelay() {
        assertNotEquals(0, Lab.exec("outsider", TARGET_SSH).exitCode(),
                "a fresh relay (ip_forward 0) must not carry the outsider's connection to the target");
    }

    /**
     * The seed's hand-made rules (MASQUERADE without interface or address match, FORWARD policy
     * ACCEPT) let anyone on the internet segment reach the target through the relay: the lab
     * must be able to show that, or a test of wgforward's scoping could not fail.
     */
    @Test
    void theSeedsUnscopedRulesLetTheOutsiderThrough() {
        try {
            Lab.exec("relay", "sysctl -qw net.ipv4.ip_forward=1 && iptables -t nat -A POSTROUTING -p tcp --dport 22 -j MASQUERADE")
                    .assertOk();
            assertEquals(0, Lab.exec("outsider", TARGET_SSH).exitCode(),
                    "with the seed's rules the outsider reaches the target: the lab shows the hole");
        } finally {
            // iptables-nft leaves its (empty) tables behind on -D; the fresh relay had none at all.
            Lab.exec("relay", "iptables -t nat -D POSTROUTING -p tcp --dport 22 -j MASQUERADE; nft flush ruleset; sysctl -qw net.ipv4.ip_forward=0");
        }
        assertNotEquals(0, Lab.exec("outsider", TARGET_SSH).exitCode());
    }

    /** The lab's IPv6 as the tests read it from hosts.env (the design's addresses). */
    @Test
    void hostsEnvDescribesEachHostsIpv6() {
        assertEquals("2001:db8:113::1", Lab.get("RELAY_ADDR6"));
        assertEquals("2001:db8:113::10", Lab.get("CLIENT_ADDR6"));
        assertEquals("2001:db8:113::11", Lab.get("CLIENT2_ADDR6"));
        assertEquals("2001:db8:113::66", Lab.get("OUTSIDER_ADDR6"));
        assertEquals("2001:db8:113::2", Lab.get("RELAY2_ADDR6"));
        assertEquals("2001:db8:200::2", Lab.get("TARGET_ADDR6"));
        assertEquals(0, Lab.exec("relay", "timeout 5 bash -c '</dev/tcp/2001:db8:200::2/22'").exitCode(),
                "the relay reaches the target's sshd over the LAN's IPv6");
        assertEquals(0, Lab.exec("client", "timeout 5 bash -c '</dev/tcp/2001:db8:113::1/22'").exitCode(),
                "the client reaches the relay's sshd over the internet segment's IPv6");
    }

    @Test
    void aFreshRelayGivesTheOutsiderNoWayInOverIpv6() {
        PortForwardScenario.assertNoWayIn6(TUNNEL6, 8888);
    }

    /**
     * Each probe of {@link PortForwardScenario#assertNoWayIn6} catches the hole it is there for,
     * made by hand on the relay (IPv6 forwarding on, an ip6 nat table); and {@link
     * PortForwardScenario#assertLandsOnTarget6} lands on the target through a hand-made forward
     * of the tunnel address, but not through one to another host (the target's host key is pinned).
     */
    @Test
    void eachIpv6ProbeCatchesTheHoleItIsFor() {
        String relay6 = Lab.get("RELAY_ADDR6");
        String before = Lab.snapshot("relay");
        try {
            // Forwarding on, everything forwarded and masqueraded: the outsider reaches the target directly.
            relayIpv6Hole("", false);
            assertOutsiderGetsIn("2001:db8:200::2", 22);
            assertNoWayIn6Fails("must not reach the target's IPv6");

            // Only DNATed connections are forwarded, and the relay DNATs its internet address's port.
            relayIpv6Hole("ip6 daddr " + relay6 + " tcp dport 8888 dnat to [2001:db8:200::2]:22", true);
            assertOutsiderGetsIn(relay6, 8888);
            assertNoWayIn6Fails("must not be open on the relay's internet IPv6 address");

            // A DNAT of the tunnel address without the tunnel's interface match (the seed's mistake, in IPv6).
            relayIpv6Hole("ip6 daddr " + TUNNEL6 + " tcp dport 8888 dnat to [2001:db8:200::2]:22", true);
            assertNoWayIn6Fails("must not answer packets that did not come through the tunnel");

            // The same hole, from the client (routing the tunnel address via the relay as a tunnel would).
            Lab.exec("client", "ip -6 route replace " + TUNNEL6 + "/128 via " + relay6).assertOk();
            PortForwardScenario.assertLandsOnTarget6(TUNNEL6, 8888);
            // ... and to relay2's sshd instead of the target's: the pinned host key refuses it.
            relayIpv6Hole("ip6 daddr " + TUNNEL6 + " tcp dport 8888 dnat to [2001:db8:200::3]:22", true);
            Commands.Result elsewhere = PortForwardScenario.sshThroughForward6(TUNNEL6, 8888);
            assertNotEquals(0, elsewhere.exitCode(), elsewhere.output());
            assertTrue(elsewhere.output().contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), elsewhere.output());
            assertThrows(AssertionFailedError.class, () -> PortForwardScenario.assertLandsOnTarget6(TUNNEL6, 8888));
        } finally {
            Lab.exec("client", "ip -6 route del " + TUNNEL6 + "/128");
            Lab.exec("relay", "nft delete table ip6 labhole; sysctl -qw net.ipv6.conf.all.forwarding=0");
        }
        assertEquals(before, Lab.snapshot("relay"), "the relay is as before");
        PortForwardScenario.assertNoWayIn6(TUNNEL6, 8888);
    }

    /** Replaces the relay's hand-made ip6 nat table: {@code dnat}, masquerade into the LAN, IPv6 forwarding on. */
    private static void relayIpv6Hole(String dnat, boolean forwardOnlyDnat) {
        Lab.exec("relay", "nft delete table ip6 labhole 2>/dev/null; sysctl -qw net.ipv6.conf.all.forwarding=1 && nft -f - <<'EOF'\n"
                + "table ip6 labhole {\n"
                + "  chain prerouting { type nat hook prerouting priority dstnat; policy accept; " + (dnat.isEmpty() ? "" : dnat + ";") + " }\n"
                + "  chain postrouting { type nat hook postrouting priority srcnat; policy accept; oifname \"eth1\" masquerade; }\n"
                + (forwardOnlyDnat ? "  chain forward { type filter hook forward priority filter; policy drop; ct status dnat accept; }\n" : "")
                + "}\nEOF").assertOk();
    }

    /** The hole is really there (polled: a hand-made rule may take a moment to carry the first connection). */
    private static void assertOutsiderGetsIn(String address, int port) {
        Commands.Result r = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            r = Lab.exec("outsider", "timeout 5 bash -c '</dev/tcp/" + address + "/" + port + "'");
            if (r.exitCode() == 0) {
                return;
            }
        }
        throw new AssertionError("the outsider does not get in through the hand-made hole [" + address + "]:" + port + ":\n" + r.output());
    }

    private static void assertNoWayIn6Fails(String because) {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> PortForwardScenario.assertNoWayIn6(TUNNEL6, 8888));
        assertTrue(e.getMessage().contains(because), "assertNoWayIn6 fails for the hole made, '" + because + "': " + e.getMessage());
    }

    /**
     * Sessions run the login user's dotfiles: the hosts must not run (or show) the machine's.
     * Its root's home is not below theirs, and /home holds only the lab's user.
     */
    @Test
    void hostsHaveMinimalHomesOfTheirOwn() throws IOException {
        String rootHome = Lab.ssh("root", "relay", "ls -A /root").assertOk().output();
        try (Stream<Path> machine = Files.list(Paths.get("/root"))) {
            machine.map(p -> p.getFileName().toString())
                    .filter(name -> !name.equals(".bashrc") && !name.equals(".profile"))
                    .forEach(name -> assertFalse(rootHome.lines().anyMatch(name::equals),
                            "the machine's /root/" + name + " shows in the host:\n" + rootHome));
        }
        Path debianBashrc = Paths.get("/usr/share/base-files/dot.bashrc");
        if (Files.isReadable(debianBashrc)) {
            assertEquals(Files.readString(debianBashrc), Lab.exec("relay", "cat /root/.bashrc").assertOk().output(),
                    "root's .bashrc in a host is Debian's default, not the machine's");
        }
        assertEquals("wgadmin", Lab.ssh("wgadmin", "relay", "ls -A /home").assertOk().output().trim());
        assertEquals("/home/wgadmin 700 root", Lab.ssh("wgadmin", "relay", "echo $HOME $(stat -c '%a %U' /root)")
                .assertOk().output().trim());
    }

    /** A script as the provider sends it to {@code sh -s}: braces, stdin cut off. */
    private static String providerScript(String body) {
        return "{\n" + body + "\n} </dev/null\n";
    }

    @Test
    void anArmedFaultCutsTheConnectionBeforeTheScriptRunsOnce() {
        String script = providerScript("# step: fault-before\ntouch /tmp/fault-before\necho ran-before");
        Lab.fault("relay", "step: fault-before", Lab.Cut.BEFORE, 1);
        try {
            assertTrue(Lab.faultStatus("relay").startsWith("armed"), Lab.faultStatus("relay"));
            Commands.Result cut = Lab.ssh("root", "relay", "sh -s", script);
            assertEquals(255, cut.exitCode(), "ssh reports a lost connection:\n" + cut.output());
            assertFalse(cut.output().contains("ran-before"), cut.output());
            assertTrue(Lab.faultFired("relay"), Lab.faultStatus("relay"));
            assertNotEquals(0, Lab.exec("relay", "test -e /tmp/fault-before").exitCode(), "the script did not run");

            // One-shot: the same script again runs as always.
            assertEquals("ran-before", Lab.ssh("root", "relay", "sh -s", script).assertOk().output().trim());
            assertEquals(0, Lab.exec("relay", "test -e /tmp/fault-before").exitCode());
            assertTrue(Lab.faultFired("relay"), "fired stays reported until cleared");
        } finally {
            Lab.clearFault("relay");
            Lab.exec("relay", "rm -f /tmp/fault-before");
        }
        assertEquals("clear", Lab.faultStatus("relay"));
    }

    @Test
    void anArmedFaultCutsTheNthMatchingSudoSessionAfterItsScriptRan() {
        String script = providerScript("# step: fault-after\nn=$(cat /tmp/fault-after 2>/dev/null || echo 0)\necho $((n + 1)) > /tmp/fault-after\n"
                + "echo ran-after; exit 3");
        Lab.fault("relay", "step: fault-after", Lab.Cut.AFTER, 2);
        try {
            // Everything else passes through unchanged: other scripts, commands naming the pattern.
            Commands.Result other = Lab.ssh("wgadmin", "relay", "sudo -n sh -s", providerScript("id -un; exit 4"));
            assertEquals(4, other.exitCode(), other.output());
            assertEquals("root", other.output().trim());
            assertEquals("step: fault-after", Lab.ssh("wgadmin", "relay", "echo 'step: fault-after'").assertOk().output().trim());
            assertEquals("step: fault-after", Lab.ssh("root", "relay", "cat", "step: fault-after\n").assertOk().output().trim());

            Commands.Result first = Lab.ssh("wgadmin", "relay", "sudo -n sh -s", script);
            assertEquals(3, first.exitCode(), "the 1st match runs as always:\n" + first.output());
            assertEquals("ran-after", first.output().trim());
            assertFalse(Lab.faultFired("relay"), Lab.faultStatus("relay"));

            Commands.Result cut = Lab.ssh("wgadmin", "relay", "sudo -n sh -s", script);
            assertEquals(255, cut.exitCode(), "ssh reports a lost connection, not the script's exit 3:\n" + cut.output());
            assertFalse(cut.output().contains("ran-after"), cut.output());
            assertEquals("2", Lab.exec("relay", "cat /tmp/fault-after").assertOk().output().trim(),
                    "the 2nd match ran to completion before the cut");
            assertEquals("fired after (the script ran, exit 3)", Lab.faultStatus("relay"));

            assertEquals(3, Lab.ssh("wgadmin", "relay", "sudo -n sh -s", script).exitCode(), "one-shot");
            assertEquals("3", Lab.exec("relay", "cat /tmp/fault-after").assertOk().output().trim());
        } finally {
            Lab.clearFault("relay");
            Lab.exec("relay", "rm -f /tmp/fault-after");
        }
    }
}
