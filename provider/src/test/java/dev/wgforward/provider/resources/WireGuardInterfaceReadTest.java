package dev.wgforward.provider.resources;

import static dev.wgforward.provider.testing.TestSupport.SCHEMA;
import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.wgforward.provider.framework.DiffResult;
import dev.wgforward.provider.framework.DiffResult.Change;
import dev.wgforward.provider.framework.DiffResult.Kind;
import dev.wgforward.provider.framework.ResourceHandler;
import dev.wgforward.provider.framework.EngineLog;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.host.OwnerMark;
import dev.wgforward.provider.host.ssh.MinaSshServerExtension;
import dev.wgforward.provider.host.ssh.SshjConnector;
import dev.wgforward.provider.host.wireguard.WgHostScripts;
import dev.wgforward.provider.host.wireguard.WgInterface;
import dev.wgforward.provider.host.wireguard.WgPeer;
import dev.wgforward.provider.host.wireguard.WgKeyPair;
import dev.wgforward.provider.host.wireguard.WgKeys;
import dev.wgforward.provider.wire.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Refresh of a WireGuardInterface through the real SSH client (sshj, with the redaction every
 * session does) against the in-process SSH server, whose {@code sh} answers the inspect script the
 * way a host would: what is really there shows up as a diff, and where nothing drifted the stored
 * state (secrets included) comes back unchanged.
 */
class WireGuardInterfaceReadTest {
    private static final WgKeyPair RELAY = WgKeys.generate();
    private static final WgKeyPair CLIENT = WgKeys.generate();
    private static final String PASSWORD = "read-test-password";
    private static final String URN = "urn:pulumi:test::proj::wgforward:index:PortForward::wg";

    @RegisterExtension
    static final MinaSshServerExtension SERVER = MinaSshServerExtension.builder().password("root", PASSWORD).build();

    /** A host whose sh prints {@code inspectOutput} for the inspect script and fails anything else (read must not change a host). */
    private void hostAnswers(String inspectOutput) {
        SERVER.installStub("sh", "#!/bin/sh\nscript=$(cat)\ncase \"$script\" in *'echo present'*) ;; *) echo \"not an inspect script\" >&2; exit 99 ;; esac\n"
                + "cat <<'INSPECT'\n" + inspectOutput + (inspectOutput.endsWith("\n") ? "" : "\n") + "INSPECT\n");
    }

    private static JsonObject inputs() {
        JsonObject in = obj("""
                {"connection": {"host": "127.0.0.1", "port": %d, "hostKey": "%s", "dialErrorLimit": 1},
                 "address": "10.77.42.1/24", "listenPort": 51820,
                 "peers": [{"publicKey": "%s", "allowedIps": ["10.77.42.2/32"]}]}
                """.formatted(SERVER.port(), SERVER.hostKey(), CLIENT.publicKey()));
        in.getAsJsonObject("connection").add("password", Values.secret(new JsonPrimitive(PASSWORD)));
        in.add("privateKey", Values.secret(new JsonPrimitive(RELAY.privateKey())));
        return in;
    }

    /** What inspect prints on a host whose interface runs with {@code privateKey}'s public key and a config file of {@code configDigest}. */
    private static String inspectWithConfig(String privateKey, String mtu, String configDigest, String... peerLines) {
        List<String> lines = new ArrayList<>(List.of("present", "--mark", OwnerMark.forResource(URN).text(),
                "--public-key", WgKeys.publicKeyOf(privateKey), "--listen-port", "51820", "--peers"));
        lines.addAll(List.of(peerLines));
        lines.addAll(List.of("--address", "10.77.42.1/24", "--mtu", mtu, "--config", configDigest, "--impl", "kernel", ""));
        return String.join("\n", lines);
    }

    /** The digest of the config file wgforward wrote for {@link #inputs()} (the schema's default MTU included). */
    private static String writtenConfig() {
        return WgHostScripts.configDigest(new WgInterface("wgf0", "10.77.42.1/24", java.util.OptionalInt.of(51820), RELAY.privateKey(),
                java.util.OptionalInt.of(1420), List.of(new WgPeer(CLIENT.publicKey(), List.of("10.77.42.2/32"), Optional.empty(),
                        java.util.OptionalInt.empty()))), OwnerMark.forResource(URN));
    }

    private static String inspect(String privateKey, String mtu, String... peerLines) {
        return inspectWithConfig(privateKey, mtu, writtenConfig(), peerLines);
    }

    private static String clientPeerLine(String endpoint) {
        return String.join("\t", CLIENT.publicKey(), "(none)", endpoint, "10.77.42.2/32", "1717171717", "100", "200", "off");
    }

    private record Refreshed(ResourceHandler<?, ?> handler, JsonObject inputs, JsonObject state, Optional<ResourceHandler.ReadResult> read) {}

    private Refreshed refresh(String inspectOutput) {
        hostAnswers(inspectOutput);
        ResourceHandler<?, ?> handler = new ResourceHandler<>(new WireGuardInterface(new SshjConnector()), SCHEMA);
        ResourceHandler.CheckResult checked = handler.check(URN, inputs());
        assertEquals(List.of(), checked.failures());
        JsonObject state = checked.inputs().deepCopy();
        state.addProperty("publicKey", RELAY.publicKey());
        state.addProperty("implementation", "kernel");
        state.addProperty("observedHostKey", SERVER.hostKey());
        Optional<ResourceHandler.ReadResult> read = handler.read(new ResourceContext(URN, "wg", false, EngineLog.DISCARD, () -> false, Optional.empty()), "127.0.0.1:" + SERVER.port() + "/wgf0", state,
                checked.inputs());
        assertEquals(List.of("sh -s"), SERVER.commandLines(), "one inspect, the script on stdin only");
        SERVER.clearRecords();
        return new Refreshed(handler, checked.inputs(), state, read);
    }

    @Test
    void unchangedHostGivesBackTheStoredState() {
        Refreshed r = refresh(inspect(RELAY.privateKey(), "1420", clientPeerLine("(none)")));
        JsonObject outputs = r.read().orElseThrow().outputs();
        assertEquals(r.state(), outputs);
        assertTrue(Values.isSecret(outputs.get("privateKey")), "the private key stays secret after refresh");
        DiffResult d = r.handler().diff(outputs, r.inputs());
        assertFalse(d.hasChanges(), () -> d.changes().toString());
    }

    @Test
    void learnedEndpointOfANattedPeerIsNotDrift() {
        Refreshed r = refresh(inspect(RELAY.privateKey(), "1420", clientPeerLine("198.51.100.7:41641")));
        DiffResult d = r.handler().diff(r.read().orElseThrow().outputs(), r.inputs());
        assertFalse(d.hasChanges(), () -> d.changes().toString());
    }

    @Test
    void missingPeerIsDriftRepairedInPlace() {
        Refreshed r = refresh(inspect(RELAY.privateKey(), "1420"));
        DiffResult d = r.handler().diff(r.read().orElseThrow().outputs(), r.inputs());
        // The config rendered from what is there lacks the peer too: refresh shows its lines gone.
        assertEquals(java.util.Set.of("peers", "config"), d.changedTopLevel(), () -> d.changes().toString());
        assertEquals(java.util.Set.of(), d.replaces());
        assertFalse(r.read().orElseThrow().outputs().get("config").getAsString().contains("[Peer]"));
    }

    @Test
    void changedMtuIsDrift() {
        Refreshed r = refresh(inspect(RELAY.privateKey(), "1500", clientPeerLine("(none)")));
        DiffResult d = r.handler().diff(r.read().orElseThrow().outputs(), r.inputs());
        assertEquals(Map.of("mtu", new Change(Kind.UPDATE, false), "config", new Change(Kind.UPDATE, false)), d.changes());
        assertTrue(r.read().orElseThrow().outputs().get("config").getAsString().contains("\nMTU = 1500\n"));
    }

    @Test
    void otherPrivateKeyOnTheHostIsDrift() {
        Refreshed r = refresh(inspect(WgKeys.generate().privateKey(), "1420", clientPeerLine("(none)")));
        JsonObject outputs = r.read().orElseThrow().outputs();
        assertFalse(outputs.has("privateKey") && !outputs.get("privateKey").isJsonNull(), "the host's other key is not reported: " + outputs);
        DiffResult d = r.handler().diff(outputs, r.inputs());
        assertEquals(Map.of("privateKey", new Change(Kind.ADD, false)), d.changes());
    }

    @Test
    void aMissingConfigFileIsDriftThatTheNextUpRepairs() {
        Refreshed r = refresh(inspectWithConfig(RELAY.privateKey(), "1420", "none", clientPeerLine("(none)")));
        DiffResult d = r.handler().diff(r.read().orElseThrow().outputs(), r.inputs());
        assertEquals(Map.of("privateKey", new Change(Kind.ADD, false)), d.changes());
    }

    @Test
    void aHandEditedConfigFileIsDrift() {
        Refreshed r = refresh(inspectWithConfig(RELAY.privateKey(), "1420", "0".repeat(64), clientPeerLine("(none)")));
        DiffResult d = r.handler().diff(r.read().orElseThrow().outputs(), r.inputs());
        assertEquals(Map.of("privateKey", new Change(Kind.ADD, false)), d.changes());
    }

    @Test
    void anInterfaceNowOwnedByAnotherResourceIsGoneForThisOne() {
        Refreshed r = refresh(inspect(RELAY.privateKey(), "1420", clientPeerLine("(none)"))
                .replace(OwnerMark.forResource(URN).text(), OwnerMark.forResource(URN + "-other").text()));
        assertTrue(r.read().isEmpty());
    }

    @Test
    void absentInterfaceIsGone() {
        Refreshed r = refresh("absent\n");
        assertTrue(r.read().isEmpty());
    }
}
