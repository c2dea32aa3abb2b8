package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
}
