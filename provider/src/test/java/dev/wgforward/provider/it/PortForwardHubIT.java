package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.wgforward.provider.testing.ZbarDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * One relay, many clients (examples/port-forward-hub-yaml) through the engine on the lab: the
 * laptop is the lab's client, the desktop its client2, the phone an unmanaged client whose
 * wg-quick file is brought up by hand on relay2. Each client reaches exactly its own forwards;
 * clients come and go without disturbing the others. One stack through all the steps, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortForwardHubIT {
    private static final String RELAY_IP = "10.77.42.1";
    private static final String TABLET = """
                    - name: tablet
                      forwards:
                        - { port: 9090, targetHost: "${targetHost}", targetPort: 7002 }
            """;

    @TempDir
    static Path scratch;

    private static PortForwardScenario s;
    private static String relayBefore;
    private static String laptopBefore;
    private static String desktopBefore;
    private static boolean destroyed;
    private static boolean aStepFailed;

    @RegisterExtension
    static final TestExecutionExceptionHandler LATER_STEPS_SKIP_AFTER_A_FAILURE = (context, failure) -> {
        aStepFailed = true;
        throw failure;
    };

    @BeforeAll
    static void stack() {
        Lab.ensure(Lab.Mode.PLAIN);
        relayBefore = Lab.snapshot("relay");
        laptopBefore = Lab.snapshot("client");
        desktopBefore = Lab.snapshot("client2");
        s = hubStack(scratch, "hub");
        startTargetServices();
    }

    @BeforeEach
    void theStepsBeforeSucceeded() {
        Assumptions.assumeFalse(aStepFailed, "an earlier step of the lifecycle failed");
    }

    @AfterAll
    static void cleanUp() {
        if (s != null && !destroyed) {
            s.project.pulumi("destroy", "--yes", "--skip-preview");
        }
        Lab.exec("relay2", "[ -f /tmp/wgf-phone.conf ] && WG_QUICK_USERSPACE_IMPLEMENTATION=wireguard-go wg-quick down /tmp/wgf-phone.conf;"
                + " rm -f /tmp/wgf-phone.conf");
        stopTargetServices();
    }

    @Test
    @Order(1)
    void previewShowsOneRelayInterfaceAndEachClientsChildren() {
        String preview = s.project.pulumi("preview").assertOk().output();
        for (String child : new String[] {"hub-relay ", "hub-client-laptop ", "hub-client-desktop ", "hub-client-phone-key", "hub-addresses",
                "hub-forwards"}) {
            assertTrue(preview.contains(child), child + " is missing from the preview:\n" + preview);
        }
        assertFalse(preview.contains("hub-client-phone "), "an unmanaged client gets no interface:\n" + preview);
        assertEquals(relayBefore, Lab.snapshot("relay"), "preview must not touch the relay");
    }

    @Test
    @Order(2)
    void upGivesEachClientAnAddressAndOutputsKeyedByName() {
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        JsonObject ips = json("clientTunnelIps");
        assertEquals("10.77.42.2", ips.get("desktop").getAsString());
        assertEquals("10.77.42.3", ips.get("laptop").getAsString());
        assertEquals("10.77.42.4", ips.get("phone").getAsString());
        assertEquals(3, json("clientPublicKeys").size());
        assertTrue(s.project.pulumi("stack", "output", "clientConfigs").assertOk().output().contains("[secret]"));
        JsonObject configs = json("clientConfigs");
        assertTrue(configs.get("phone").getAsString().contains("Address = 10.77.42.4/24"));
        assertTrue(s.project.pulumi("stack", "output", "clientQrCodes").assertOk().output().contains("[secret]"));
        JsonObject codes = json("clientQrCodes");
        for (String client : configs.keySet()) {
            assertEquals(configs.get(client).getAsString(), ZbarDecoder.decode(codes.get(client).getAsString()),
                    client + "'s QR code, read by zbarimg, is its wg-quick file");
        }
        String points = s.output("accessPoints");
        assertTrue(points.contains("laptop: 10.77.42.1:8888 -> 10.200.0.2:22") && points.contains("desktop: 10.77.42.1:8888 -> 10.200.0.2:7001")
                && points.contains("phone: 10.77.42.1:8080 -> 10.200.0.2:7002"), points);
        String peers = Lab.exec("relay", "wg show wgf0 allowed-ips").assertOk().output();
        assertEquals(3, peers.lines().count(), "one relay interface with every client as a peer:\n" + peers);
    }

    @Test
    @Order(3)
    void eachClientReachesItsOwnForwardsAndTheSamePortGoesToEachOnesTarget() {
        PortForwardScenario.assertLandsOnTarget(RELAY_IP, 8888);
        assertEquals("target-7001", read("client2", RELAY_IP, 8888), "the desktop's 8888 goes to its own target");
        assertEquals("", read("client", RELAY_IP, 8080), "the laptop must not use the phone's forward");
        assertEquals("", read("client2", RELAY_IP, 8080), "the desktop must not use the phone's forward");
    }

    @Test
    @Order(4)
    void aClientCannotReachAnotherClientNorTheLanNorSpoofAnotherClientsAddress() {
        String laptopIp = json("clientTunnelIps").get("laptop").getAsString();
        String relayKey = s.output("relayPublicKey");
        // The desktop's owner routes the whole tunnel network and the relay's LAN into the tunnel.
        Lab.exec("client2", "wg set wgf0 peer " + relayKey + " allowed-ips 10.77.42.0/24,10.200.0.0/24"
                + " && ip route replace 10.200.0.0/24 dev wgf0").assertOk();
        try {
            assertNotEquals(0, Lab.exec("client2", "ping -c 2 -W 1 " + laptopIp).exitCode(), "a client pinged another");
            assertEquals("", read("client2", laptopIp, 22), "a client reached another client's sshd");
            assertEquals("", read("client2", "10.200.0.2", 22), "a client reached the relay's LAN beyond its forwards");
            assertEquals("", read("client2", "10.200.0.2", 7001), "a client reached its own target directly, bypassing the forward");
            // It takes the laptop's address as its own source: the relay's WireGuard drops the packets
            // (allowed-ips), so the laptop's forward never sees them.
            long before = dnatPackets(laptopIp);
            Lab.exec("client2", "ip addr add " + laptopIp + "/32 dev wgf0").assertOk();
            String spoofed = Lab.exec("client2", "timeout 6 socat -T 3 - TCP:" + RELAY_IP + ":8888,bind=" + laptopIp
                    + ",connect-timeout=3 </dev/null").output();
            assertFalse(spoofed.contains("SSH-"), "a spoofed source used the laptop's forward: " + spoofed);
            assertEquals(before, dnatPackets(laptopIp), "packets with the laptop's address from the desktop reached the relay's rules");
        } finally {
            // Back to what wgforward set: the relay's tunnel addresses, IPv4 and IPv6 (dual stack by default).
            Lab.exec("client2", "ip addr del " + laptopIp + "/32 dev wgf0; ip route del 10.200.0.0/24 dev wgf0;"
                    + " wg set wgf0 peer " + relayKey + " allowed-ips " + RELAY_IP + "/32,fd77:a4d:2a00::1/128");
        }
        PortForwardScenario.assertNoWayIn(RELAY_IP, 8888);
    }

    @Test
    @Order(5)
    void theUnmanagedPhonesConfigWorksWithWgQuick() {
        onRelay2WithTheConfigOf("phone", () -> {
            assertEquals("target-7002", firstAnswer("relay2", RELAY_IP, 8080), "the phone reaches its forward");
            assertEquals("", read("relay2", RELAY_IP, 8888), "the phone must not use the laptop's or the desktop's 8888");
        });
    }

    /** Brings {@code client}'s wg-quick file up on relay2 (the unmanaged client's machine), runs {@code probes}, takes it down. */
    private static void onRelay2WithTheConfigOf(String client, Runnable probes) {
        String config = json("clientConfigs").get(client).getAsString();
        Lab.exec("relay2", "umask 077; cat > /tmp/wgf-phone.conf <<'EOF'\n" + config + "EOF\n"
                + "WG_QUICK_USERSPACE_IMPLEMENTATION=wireguard-go wg-quick up /tmp/wgf-phone.conf").assertOk();
        try {
            probes.run();
        } finally {
            Lab.exec("relay2", "WG_QUICK_USERSPACE_IMPLEMENTATION=wireguard-go wg-quick down /tmp/wgf-phone.conf; rm -f /tmp/wgf-phone.conf")
                    .assertOk();
        }
    }

    /** {@link #read}, a few times while the tunnel's first handshake may still be under way. */
    static String firstAnswer(String host, String address, int port) {
        String answer = "";
        for (int attempt = 0; attempt < 5 && answer.isEmpty(); attempt++) {
            answer = read(host, address, port);
        }
        return answer;
    }

    @Test
    @Order(6)
    void anUntouchedHubShowsNoDriftAndItsStatusNamesEachForwardsClient() {
        s.assertNoDrift();
        // getTunnelStatus (examples/tunnel-status-yaml): the laptop's and the desktop's 8888 told apart.
        PulumiProject status = PulumiProject.copyOf(Toolchain.repoRoot().resolve("examples/tunnel-status-yaml"), scratch.resolve("status"));
        status.pulumi("stack", "init", "status").assertOk();
        status.pulumi("config", "set", "relayHost", "--", Lab.get("RELAY_SSH_HOST")).assertOk();
        status.pulumi("config", "set", "relayPort", "--", Lab.get("RELAY_SSH_PORT")).assertOk();
        status.pulumi("config", "set", "relayHostKey", "--", Lab.get("RELAY_HOST_KEY")).assertOk();
        status.pulumi("config", "set", "--secret", "sshPrivateKey", "--", Lab.privateKey()).assertOk();
        status.pulumi("up", "--yes", "--skip-preview").assertOk();
        JsonArray forwards = JsonParser.parseString(status.pulumi("stack", "output", "forwards", "--json", "--show-secrets").assertOk().output())
                .getAsJsonArray();
        JsonObject ips = json("clientTunnelIps");
        java.util.Map<String, String> targetOf8888 = new java.util.TreeMap<>();
        for (var f : forwards) {
            JsonObject forward = f.getAsJsonObject();
            if (forward.get("port").getAsInt() == 8888) {
                targetOf8888.put(forward.get("clientAddress").getAsString(), forward.get("targetPort").getAsString());
            }
        }
        assertEquals(java.util.Map.of(ips.get("laptop").getAsString(), "22", ips.get("desktop").getAsString(), "7001"), targetOf8888,
                forwards::toString);
        assertEquals(3, forwards.size(), forwards::toString);
    }

    @Test
    @Order(7)
    void oneClientsRuleDeletedByHandIsDriftThatUpRepairsLeavingTheOthersAlone() {
        String desktopIp = json("clientTunnelIps").get("desktop").getAsString();
        Lab.exec("relay", "h=$(nft -a list chain ip wgforward_wgf0 prerouting | awk '/wgforward:wgf0:8888\\/tcp@" + desktopIp
                + ":dnat/ { print $NF }'); [ -n \"$h\" ] && nft delete rule ip wgforward_wgf0 prerouting handle $h").assertOk();
        assertEquals("", read("client2", RELAY_IP, 8888), "the hand-made drift breaks the desktop's forward");
        PortForwardScenario.assertLandsOnTarget(RELAY_IP, 8888);
        assertNotEquals(0, s.project.pulumi("refresh", "--yes", "--skip-preview", "--expect-no-changes").exitCode(),
                "refresh must see the missing rule");
        String drift = s.project.pulumi("preview", "--diff").assertOk().output();
        assertTrue(drift.contains("hub-forwards") && !drift.contains("hub-client-"), "only the rules changed:\n" + drift);
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        assertEquals("target-7001", read("client2", RELAY_IP, 8888));
        s.assertQuiet();
    }

    @Test
    @Order(8)
    void addingAClientTouchesOnlyItsPeerAndRulesAndTheOthersLoseNothing() {
        String laptopIf = Lab.exec("client", "ip -d link show wgf0; wg show wgf0 public-key").assertOk().output();
        editProgram(yaml -> yaml.replace("outputs:\n", TABLET + "outputs:\n"));
        String preview = s.project.pulumi("preview", "--diff").assertOk().output();
        assertFalse(preview.contains("hub-client-laptop") || preview.contains("hub-client-desktop"),
                "other clients' children must not change:\n" + preview);
        String up = pingingFromTheLaptop(() -> s.project.pulumi("up", "--yes", "--skip-preview").assertOk().output());
        assertFalse(up.contains("127.0.0.1:" + Lab.get("CLIENT_SSH_PORT")) || up.contains("127.0.0.1:" + Lab.get("CLIENT2_SSH_PORT")),
                "the other clients' hosts must not be contacted:\n" + up);
        JsonObject ips = json("clientTunnelIps");
        assertEquals("10.77.42.2", ips.get("desktop").getAsString());
        assertEquals("10.77.42.3", ips.get("laptop").getAsString());
        assertEquals("10.77.42.4", ips.get("phone").getAsString());
        assertEquals("10.77.42.5", ips.get("tablet").getAsString(), "the new client gets the next free address");
        assertEquals(laptopIf, Lab.exec("client", "ip -d link show wgf0; wg show wgf0 public-key").assertOk().output());
        assertEquals(4, Lab.exec("relay", "wg show wgf0 allowed-ips").assertOk().output().lines().count());
        assertEquals("target-7001", read("client2", RELAY_IP, 8888));
        // The second unmanaged client's file works with wg-quick too.
        onRelay2WithTheConfigOf("tablet", () -> {
            assertEquals("target-7002", firstAnswer("relay2", RELAY_IP, 9090), "the tablet reaches its forward");
            assertEquals("", read("relay2", RELAY_IP, 8080), "the tablet must not use the phone's forward");
        });
        s.assertQuiet();
    }

    @Test
    @Order(9)
    void removingAManagedClientRemovesItsPeerRulesAndEverythingOnItsHost() {
        editProgram(yaml -> Pattern.compile("        - name: desktop\n.*?(?=        # No connection)", Pattern.DOTALL)
                .matcher(yaml).replaceFirst(""));
        String up = pingingFromTheLaptop(() -> s.project.pulumi("up", "--yes", "--skip-preview").assertOk().output());
        assertFalse(up.contains("127.0.0.1:" + Lab.get("CLIENT_SSH_PORT")), "the laptop's host must not be contacted:\n" + up);
        assertEquals(desktopBefore, Lab.snapshot("client2"), "the desktop's host is as it was before the hub");
        JsonObject ips = json("clientTunnelIps");
        assertFalse(ips.has("desktop"));
        assertEquals("10.77.42.3", ips.get("laptop").getAsString(), "nobody is renumbered");
        assertEquals("10.77.42.5", ips.get("tablet").getAsString(), "nobody is renumbered");
        String rules = Lab.exec("relay", "nft list table ip wgforward_wgf0").assertOk().output();
        assertFalse(rules.contains("10.77.42.2"), "the desktop's rules are gone:\n" + rules);
        assertEquals(3, Lab.exec("relay", "wg show wgf0 allowed-ips").assertOk().output().lines().count());
        PortForwardScenario.assertLandsOnTarget(RELAY_IP, 8888);
        s.assertQuiet();
    }

    @Test
    @Order(10)
    void destroyLeavesEveryHostAsBefore() {
        s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        destroyed = true;
        assertEquals(relayBefore, Lab.snapshot("relay"), "destroy must leave the relay as it was");
        assertEquals(laptopBefore, Lab.snapshot("client"), "destroy must leave the laptop as it was");
        assertEquals(desktopBefore, Lab.snapshot("client2"), "destroy must leave the desktop as it was");
    }

    /** The hub example as a fresh stack on the lab: the laptop on the lab's client, the desktop on client2. */
    static PortForwardScenario hubStack(Path scratch, String stack) {
        return hubStack("examples/port-forward-hub-yaml", scratch, stack);
    }

    /** {@code example} (the hub in YAML or Java), configured as a fresh stack on the lab. */
    static PortForwardScenario hubStack(String example, Path scratch, String stack) {
        PulumiProject project = PulumiProject.copyOf(Toolchain.repoRoot().resolve(example), scratch);
        project.pulumi("stack", "init", stack).assertOk();
        PortForwardScenario hub = PortForwardScenario.wrap(project);
        hub.config("relayHost", Lab.get("RELAY_SSH_HOST"));
        hub.config("relayPort", Lab.get("RELAY_SSH_PORT"));
        hub.config("relayHostKey", Lab.get("RELAY_HOST_KEY"));
        hub.config("relayEndpoint", Lab.get("RELAY_ADDR"));
        hub.config("laptopHost", Lab.get("CLIENT_SSH_HOST"));
        hub.config("laptopPort", Lab.get("CLIENT_SSH_PORT"));
        hub.config("laptopHostKey", Lab.get("CLIENT_HOST_KEY"));
        hub.config("desktopHost", Lab.get("CLIENT2_SSH_HOST"));
        hub.config("desktopPort", Lab.get("CLIENT2_SSH_PORT"));
        hub.config("desktopHostKey", Lab.get("CLIENT2_HOST_KEY"));
        hub.config("targetHost", "10.200.0.2");
        project.pulumi("config", "set", "--secret", "sshPrivateKey", "--", Lab.privateKey()).assertOk();
        return hub;
    }

    /** The desktop's and the phone's services on the target (ports 7001, 7002), telling which one answered. */
    static void startTargetServices() {
        Lab.exec("target", "for p in 7001 7002; do setsid socat TCP-LISTEN:$p,reuseaddr,fork SYSTEM:\"echo target-$p\""
                + " </dev/null >/dev/null 2>&1 & echo $! >> /tmp/wgf-hub-socat.pids; done").assertOk();
    }

    static void stopTargetServices() {
        Lab.exec("target", "kill $(cat /tmp/wgf-hub-socat.pids) 2>/dev/null; rm -f /tmp/wgf-hub-socat.pids");
    }

    /**
     * Runs {@code change} while the laptop pings the relay's tunnel address five times a second;
     * asserts that no ping was lost, and returns what {@code change} returned.
     */
    private static String pingingFromTheLaptop(java.util.function.Supplier<String> change) {
        Lab.exec("client", "rm -f /tmp/wgf-ping.out; setsid ping -i 0.2 " + RELAY_IP
                + " </dev/null >/tmp/wgf-ping.out 2>&1 & echo $! > /tmp/wgf-ping.pid").assertOk();
        String result;
        try {
            PortForwardScenario.sleep(1000);
            result = change.get();
            PortForwardScenario.sleep(1000);
        } finally {
            Lab.exec("client", "kill -INT $(cat /tmp/wgf-ping.pid); sleep 0.5; rm -f /tmp/wgf-ping.pid");
        }
        String out = Lab.exec("client", "cat /tmp/wgf-ping.out; rm -f /tmp/wgf-ping.out").assertOk().output();
        Matcher m = Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(out);
        assertTrue(m.find(), "no ping summary:\n" + out);
        assertTrue(Integer.parseInt(m.group(1)) >= 10, "too few pings to tell:\n" + out);
        assertEquals(m.group(1), m.group(2), "the laptop lost pings while another client changed:\n" + out);
        return result;
    }

    private static void editProgram(java.util.function.UnaryOperator<String> edit) {
        Path yaml = s.project.dir().resolve("Pulumi.yaml");
        try {
            String before = Files.readString(yaml);
            String after = edit.apply(before);
            assertNotEquals(before, after, "the edit changed nothing");
            Files.writeString(yaml, after);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code host} reads from a TCP connection to {@code address:port}; empty when none was made. */
    static String read(String host, String address, int port) {
        Commands.Result r = Lab.exec(host, "timeout 6 socat -T 3 - TCP:" + address + ":" + port + ",connect-timeout=3 </dev/null");
        return r.exitCode() == 0 ? r.output().strip() : "";
    }

    /** Packets the relay's DNAT rule of the laptop's port 8888 has seen. */
    private static long dnatPackets(String laptopIp) {
        String rules = Lab.exec("relay", "nft list table ip wgforward_wgf0").assertOk().output();
        Matcher m = Pattern.compile("counter packets (\\d+) .*\"wgforward:wgf0:8888/tcp@" + Pattern.quote(laptopIp) + ":dnat\"").matcher(rules);
        assertTrue(m.find(), "no DNAT rule for the laptop:\n" + rules);
        return Long.parseLong(m.group(1));
    }

    private static JsonObject json(String output) {
        return json(s, output);
    }

    static JsonObject json(PortForwardScenario s, String output) {
        return JsonParser.parseString(s.project.pulumi("stack", "output", output, "--json", "--show-secrets").assertOk().output())
                .getAsJsonObject();
    }
}
