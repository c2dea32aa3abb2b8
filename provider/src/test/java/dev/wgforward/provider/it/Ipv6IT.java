package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

/**
 * IPv6 through the engine, on the lab's dual-stack segments: one PortForward with an IPv4 forward
 * (8888 to the target's 10.200.0.2:22) and an IPv6 forward (8889 to [2001:db8:200::2]:22). One
 * stack lives through the phases in order: made IPv4-only and then given IPv6 (the upgrade of a
 * stack from before IPv6), then removed and made again on each iptables flavour, and last with
 * the client dialing the relay over IPv6. In each phase ssh through both forwards lands on the
 * target, the outsider's IPv6 probes fail, preview and refresh are quiet, and destroy leaves the
 * hosts as they were (IPv6 state included).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Ipv6IT {
    private static final String RELAY_IP = "10.77.42.1";
    private static final String RELAY_IP6 = "fd77:a4d:2a00::1";
    private static final String CLIENT_IP6 = "fd77:a4d:2a00::2";
    private static final String IPTABLES_MARKER = "wgf-it-v6-marker";

    @TempDir
    static Path scratch;

    private static PortForwardScenario s;
    private static boolean up;
    private static boolean aStepFailed;

    @RegisterExtension
    static final TestExecutionExceptionHandler LATER_STEPS_SKIP_AFTER_A_FAILURE = (context, failure) -> {
        aStepFailed = true;
        throw failure;
    };

    /** A YAML program with both forwards and the IPv6 knobs as config. */
    private static final String PROGRAM = """
            name: wgforward-ipv6
            runtime: yaml
            plugins:
              providers:
                - name: wgforward
                  path: ../../provider/target/plugin
                  version: 0.1.0
            config:
              relayHost: {type: string}
              relayPort: {type: integer}
              relayHostKey: {type: string}
              relayEndpoint: {type: string}
              clientHost: {type: string}
              clientPort: {type: integer}
              clientHostKey: {type: string}
              sshPrivateKey: {type: string, secret: true}
              ipv6: {type: boolean, default: true}
            resources:
              forward:
                type: wgforward:index:PortForward
                properties:
                  relay:
                    connection:
                      host: ${relayHost}
                      port: ${relayPort}
                      user: root
                      privateKey: ${sshPrivateKey}
                      hostKey: ${relayHostKey}
                    endpoint: ${relayEndpoint}
                    ipv6: ${ipv6}
                  client:
                    connection:
                      host: ${clientHost}
                      port: ${clientPort}
                      user: root
                      privateKey: ${sshPrivateKey}
                      hostKey: ${clientHostKey}
                  forwards:
                    - port: 8888
                      targetHost: 10.200.0.2
                      targetPort: 22
            %s
            outputs:
              relayTunnelIp: ${forward.relayTunnelIp}
              relayTunnelIp6: ${forward.relayTunnelIp6}
              clientTunnelIp6: ${forward.clientTunnelIp6}
              relayPublicKey: ${forward.relayPublicKey}
              clientPublicKey: ${forward.clientPublicKey}
              accessPoints: ${forward.accessPoints}
              clientConfig: ${forward.clientConfig}
            """;

    private static final String IPV6_FORWARD = "        - port: 8889\n          targetHost: \"2001:db8:200::2\"\n          targetPort: 22";

    @BeforeAll
    static void stack() throws IOException {
        Lab.ensure(Lab.Mode.PLAIN);
        s = PortForwardScenario.wrap(project(false));
        s.project.pulumi("stack", "init", "ipv6").assertOk();
        s.config("relayHost", Lab.get("RELAY_SSH_HOST"));
        s.config("relayPort", Lab.get("RELAY_SSH_PORT"));
        s.config("relayHostKey", Lab.get("RELAY_HOST_KEY"));
        s.config("relayEndpoint", Lab.get("RELAY_ADDR"));
        s.config("clientHost", Lab.get("CLIENT_SSH_HOST"));
        s.config("clientPort", Lab.get("CLIENT_SSH_PORT"));
        s.config("clientHostKey", Lab.get("CLIENT_HOST_KEY"));
        s.project.pulumi("config", "set", "--secret", "sshPrivateKey", "--", Lab.privateKey()).assertOk();
    }

    /** The program, with or without the IPv6 forward, written where the project (and its stack config) lives. */
    private static PulumiProject project(boolean withIpv6Forward) {
        try {
            Path source = scratch.resolve("source/ipv6");
            Files.createDirectories(source);
            Files.writeString(source.resolve("Pulumi.yaml"), PROGRAM.formatted(withIpv6Forward ? IPV6_FORWARD : ""));
            return PulumiProject.copyOf(source, scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites the program in place (the stack's config and state stay). */
    private static void program(boolean withIpv6Forward) {
        try {
            String yaml = PROGRAM.formatted(withIpv6Forward ? IPV6_FORWARD : "")
                    .replace("../../provider/target/plugin", Toolchain.pluginDir().toAbsolutePath().toString());
            Files.writeString(s.project.dir().resolve("Pulumi.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void theStepsBeforeSucceeded() {
        Assumptions.assumeFalse(aStepFailed, "an earlier step failed");
    }

    @AfterAll
    static void destroyWhatAFailedStepLeft() {
        if (s != null && up) {
            s.project.pulumi("destroy", "--yes", "--skip-preview");
        }
        Lab.exec("relay", "iptables-legacy -X " + IPTABLES_MARKER + " 2>/dev/null; iptables-nft -X " + IPTABLES_MARKER + " 2>/dev/null; true");
    }

    private static Map<String, String> snapshots() {
        return Map.of("relay", Lab.snapshot("relay"), "client", Lab.snapshot("client"), "target", Lab.snapshot("target"));
    }

    private static void assertBothForwardsLandOnTheTarget() {
        PortForwardScenario.assertLandsOnTarget(RELAY_IP, 8888);
        PortForwardScenario.assertLandsOnTarget6(RELAY_IP6, 8889);
        PortForwardScenario.assertNoWayIn(RELAY_IP, 8888);
        PortForwardScenario.assertNoWayIn6(RELAY_IP6, 8889);
        PortForwardScenario.assertNoWayIn6(RELAY_IP6, 8888);
    }

    private static void destroyAndAssertAsBefore(Map<String, String> before) {
        s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        up = false;
        snapshots().forEach((host, now) -> assertEquals(before.get(host), now, () -> "destroy must leave " + host
                + " as before, IPv6 included; it differs in:\n" + differingLines(before.get(host), now)));
    }

    /** The lines only before ({@code -}) and only now ({@code +}): the whole snapshots are long. */
    private static String differingLines(String before, String now) {
        java.util.List<String> gone = new java.util.ArrayList<>(before.lines().toList());
        gone.removeAll(now.lines().toList());
        java.util.List<String> come = new java.util.ArrayList<>(now.lines().toList());
        come.removeAll(before.lines().toList());
        StringBuilder out = new StringBuilder();
        gone.forEach(l -> out.append("- ").append(l).append('\n'));
        come.forEach(l -> out.append("+ ").append(l).append('\n'));
        return out.toString();
    }

    @Test
    @Order(1)
    void anIpv4OnlyStackGetsIpv6OnItsNextUpWithoutNewKeys() {
        Map<String, String> before = snapshots();
        s.config("ipv6", "false");
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        up = true;
        PortForwardScenario.assertLandsOnTarget(RELAY_IP, 8888);
        assertFalse(Lab.snapshot("relay").contains("table ip6 wgforward_wgf0"), "an IPv4-only tunnel has no ip6 table");
        String relayKey = s.output("relayPublicKey");
        String clientKey = s.output("clientPublicKey");

        // What a stack made before IPv6 meets after the upgrade: ipv6 defaults to true.
        s.project.pulumi("config", "rm", "ipv6").assertOk();
        program(true);
        String preview = s.project.pulumi("preview", "--diff").assertOk().output();
        assertFalse(preview.contains("replace"), "IPv6 comes as an update of both interfaces and the rules:\n" + preview);
        assertTrue(preview.contains("address6"), preview);
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        assertEquals(relayKey, s.output("relayPublicKey"), "no new key pairs");
        assertEquals(clientKey, s.output("clientPublicKey"), "no new key pairs");
        assertEquals(RELAY_IP6, s.output("relayTunnelIp6"));
        assertEquals(CLIENT_IP6, s.output("clientTunnelIp6"));
        String points = s.output("accessPoints");
        assertTrue(points.contains("10.77.42.1:8888 -> 10.200.0.2:22") && points.contains("[fd77:a4d:2a00::1]:8889 -> [2001:db8:200::2]:22"),
                points);
        String config = s.output("clientConfig");
        assertTrue(config.contains("Address = fd77:a4d:2a00::2/64") && config.contains("AllowedIPs = 10.77.42.1/32, fd77:a4d:2a00::1/128"), config);
        assertTrue(Lab.snapshot("relay").contains("table ip6 wgforward_wgf0"), "the relay has wgforward's ip6 table");
        assertBothForwardsLandOnTheTarget();
        s.assertQuiet();
        destroyAndAssertAsBefore(before);
    }

    /** A user chain in one iptables flavour makes the relay "use" it: wgforward then writes its rules there. */
    private static void onIptables(String flavour) {
        // iptables-nft makes `table ip filter` for the chain: gone again with it when it was not there before.
        boolean filterTableBefore = Lab.exec("relay", "nft list table ip filter >/dev/null 2>&1").exitCode() == 0;
        Lab.exec("relay", flavour + " -N " + IPTABLES_MARKER).assertOk();
        if (flavour.equals("iptables-legacy")) {
            // iptables-legacy's tables are the kernel's once used and stay registered (empty, policy
            // ACCEPT) after destroy (README): register them before the snapshot, so that it compares
            // what wgforward could remove.
            Lab.exec("relay", "for t in iptables-legacy ip6tables-legacy; do for table in filter nat mangle; do"
                    + " $t -t $table -S >/dev/null; done; done").assertOk();
        }
        try {
            Map<String, String> before = snapshots();
            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
            up = true;
            String ip6tables = Lab.exec("relay", flavour.replace("iptables", "ip6tables") + "-save").assertOk().output();
            assertTrue(ip6tables.contains("wgforward") && ip6tables.contains("2001:db8:200::2"),
                    "the IPv6 rules are in " + flavour.replace("iptables", "ip6tables") + ":\n" + ip6tables);
            assertFalse(Lab.snapshot("relay").contains("table ip6 wgforward_wgf0"), "no nftables table beside " + flavour);
            assertBothForwardsLandOnTheTarget();
            s.assertQuiet();
            destroyAndAssertAsBefore(before);
        } finally {
            Lab.exec("relay", flavour + " -X " + IPTABLES_MARKER).assertOk();
            if (!filterTableBefore && flavour.equals("iptables-nft")) {
                Lab.exec("relay", "nft delete table ip filter").assertOk();
            }
        }
    }

    @Test
    @Order(2)
    void onIptablesLegacy() {
        onIptables("iptables-legacy");
    }

    @Test
    @Order(3)
    void onIptablesNft() {
        onIptables("iptables-nft");
    }

    @Test
    @Order(4)
    void aRelayReachedOverIpv6() {
        Map<String, String> before = snapshots();
        s.config("relayEndpoint", Lab.get("RELAY_ADDR6"));
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        up = true;
        String endpoint = "[" + Lab.get("RELAY_ADDR6") + "]:51820";
        assertTrue(s.output("clientConfig").contains("Endpoint = " + endpoint), s.output("clientConfig"));
        assertBothForwardsLandOnTheTarget();
        String peers = Lab.exec("client", "wg show wgf0 endpoints").assertOk().output();
        assertTrue(peers.contains(endpoint), "the client's WireGuard goes to the relay over IPv6: " + peers);
        String relaySees = Lab.exec("relay", "wg show wgf0 endpoints").assertOk().output();
        assertTrue(relaySees.contains("[" + Lab.get("CLIENT_ADDR6") + "]:"), "the relay sees the client's IPv6 address: " + relaySees);
        // getTunnelStatus (examples/tunnel-status-yaml) tries the IPv6 forward's target too.
        PulumiProject status = PulumiProject.copyOf(Toolchain.repoRoot().resolve("examples/tunnel-status-yaml"), scratch.resolve("status"));
        status.pulumi("stack", "init", "status").assertOk();
        status.pulumi("config", "set", "relayHost", "--", Lab.get("RELAY_SSH_HOST")).assertOk();
        status.pulumi("config", "set", "relayPort", "--", Lab.get("RELAY_SSH_PORT")).assertOk();
        status.pulumi("config", "set", "relayHostKey", "--", Lab.get("RELAY_HOST_KEY")).assertOk();
        status.pulumi("config", "set", "--secret", "sshPrivateKey", "--", Lab.privateKey()).assertOk();
        status.pulumi("up", "--yes", "--skip-preview").assertOk();
        String forwards = status.pulumi("stack", "output", "forwards", "--json", "--show-secrets").assertOk().output();
        assertTrue(forwards.matches("(?s).*\\{[^}]*\"port\": 8889,[^}]*\"reachable\": true[^}]*\\}.*")
                && forwards.contains("\"targetHost\": \"2001:db8:200::2\""), "the IPv6 forward's target is reachable:\n" + forwards);
        s.assertQuiet();
        destroyAndAssertAsBefore(before);
    }
}
