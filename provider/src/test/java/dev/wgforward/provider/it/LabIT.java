package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

/** The lab itself: the ground every end-to-end test stands on. */
class LabIT {
    private static final String TARGET_SSH = "timeout 5 bash -c '</dev/tcp/10.200.0.2/22'";

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
