package dev.wgforward.provider.resources;

import static dev.wgforward.provider.resources.ResourceTestSupport.SCHEMA;
import static dev.wgforward.provider.resources.ResourceTestSupport.ctx;
import static dev.wgforward.provider.resources.ResourceTestSupport.ed25519HostKey;
import static dev.wgforward.provider.resources.ResourceTestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.wgforward.provider.framework.DiffResult;
import dev.wgforward.provider.framework.DiffResult.Change;
import dev.wgforward.provider.framework.DiffResult.Kind;
import dev.wgforward.provider.framework.ResourceHandler;
import dev.wgforward.provider.host.ssh.DialListener;
import dev.wgforward.provider.host.ssh.ExecResult;
import dev.wgforward.provider.host.ssh.HostKeyPolicy;
import dev.wgforward.provider.host.ssh.HostSession;
import dev.wgforward.provider.host.ssh.Redactor;
import dev.wgforward.provider.host.ssh.SshConnector;
import dev.wgforward.provider.host.ssh.SshTarget;
import dev.wgforward.provider.host.wireguard.WgKeyPair;
import dev.wgforward.provider.host.wireguard.WgKeys;
import dev.wgforward.provider.wire.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Refresh of a WireGuardInterface against a scripted host (no SSH): what is really there shows up
 * as a diff, and where nothing drifted the stored state (secrets included) comes back unchanged.
 */
class WireGuardInterfaceReadTest {
    private static final WgKeyPair RELAY = WgKeys.generate();
    private static final WgKeyPair CLIENT = WgKeys.generate();
    private static final String HOST_KEY = ed25519HostKey();

    /** Answers the inspect script with a fixed output; refuses anything else (read must not change the host). */
    static final class ScriptedHost implements SshConnector {
        final String inspectOutput;
        final List<String> scripts = new ArrayList<>();

        ScriptedHost(String inspectOutput) {
            this.inspectOutput = inspectOutput;
        }

        @Override
        public HostSession open(SshTarget target, HostKeyPolicy policy, DialListener listener, Redactor redactor) {
            return new HostSession() {
                @Override
                public ExecResult run(String script, Duration timeout) {
                    scripts.add(script);
                    if (!script.contains("echo present")) {
                        throw new AssertionError("read ran a script that is not the inspect script:\n" + script);
                    }
                    return new ExecResult(0, inspectOutput, "");
                }

                @Override
                public String label() {
                    return "root@" + target.host() + ":22";
                }

                @Override
                public String hostKey() {
                    return HOST_KEY;
                }

                @Override
                public List<String> proxyHostKeys() {
                    return List.of();
                }

                @Override
                public boolean isRoot() {
                    return true;
                }

                @Override
                public void close() {}
            };
        }
    }

    private static JsonObject inputs() {
        JsonObject in = obj("""
                {"connection": {"host": "relay.example.com"}, "address": "10.77.42.1/24", "listenPort": 51820,
                 "peers": [{"publicKey": "%s", "allowedIps": ["10.77.42.2/32"]}]}
                """.formatted(CLIENT.publicKey()));
        in.add("privateKey", Values.secret(new JsonPrimitive(RELAY.privateKey())));
        return in;
    }

    private static String dump(String privateKey, String mtu, String... peerLines) {
        List<String> lines = new ArrayList<>(List.of("present", "--dump", String.join("\t", privateKey, RELAY.publicKey(), "51820", "off")));
        lines.addAll(List.of(peerLines));
        lines.addAll(List.of("--address", "10.77.42.1/24", "--mtu", mtu, "--config", "yes", "--impl", "kernel", ""));
        return String.join("\n", lines);
    }

    private static String clientPeerLine(String endpoint) {
        return String.join("\t", CLIENT.publicKey(), "(none)", endpoint, "10.77.42.2/32", "1717171717", "100", "200", "off");
    }

    private record Refreshed(ResourceHandler<?, ?> handler, JsonObject inputs, JsonObject state, Optional<ResourceHandler.ReadResult> read) {}

    private Refreshed refresh(String inspectOutput) {
        ScriptedHost host = new ScriptedHost(inspectOutput);
        ResourceHandler<?, ?> handler = new ResourceHandler<>(new WireGuardInterface(host), SCHEMA);
        ResourceHandler.CheckResult checked = handler.check(inputs());
        assertEquals(List.of(), checked.failures());
        JsonObject state = checked.inputs().deepCopy();
        state.addProperty("publicKey", RELAY.publicKey());
        state.addProperty("implementation", "kernel");
        state.addProperty("observedHostKey", HOST_KEY);
        Optional<ResourceHandler.ReadResult> read = handler.read(ctx("wg", false), "relay.example.com:22/wgf0", state, checked.inputs());
        assertEquals(1, host.scripts.size(), "one inspect");
        return new Refreshed(handler, checked.inputs(), state, read);
    }

    @Test
    void unchangedHostGivesBackTheStoredState() {
        Refreshed r = refresh(dump(RELAY.privateKey(), "1420", clientPeerLine("(none)")));
        JsonObject outputs = r.read().orElseThrow().outputs();
        assertEquals(r.state(), outputs);
        assertTrue(Values.isSecret(outputs.get("privateKey")), "the private key stays secret after refresh");
        DiffResult d = r.handler().diff(outputs, r.inputs());
        assertFalse(d.hasChanges(), () -> d.changes().toString());
    }

    @Test
    void learnedEndpointOfANattedPeerIsNotDrift() {
        Refreshed r = refresh(dump(RELAY.privateKey(), "1420", clientPeerLine("198.51.100.7:41641")));
        DiffResult d = r.handler().diff(r.read().orElseThrow().outputs(), r.inputs());
        assertFalse(d.hasChanges(), () -> d.changes().toString());
    }

    @Test
    void missingPeerIsDriftRepairedInPlace() {
        Refreshed r = refresh(dump(RELAY.privateKey(), "1420"));
        DiffResult d = r.handler().diff(r.read().orElseThrow().outputs(), r.inputs());
        assertEquals(java.util.Set.of("peers"), d.changedTopLevel(), () -> d.changes().toString());
        assertEquals(java.util.Set.of(), d.replaces());
    }

    @Test
    void changedMtuIsDrift() {
        Refreshed r = refresh(dump(RELAY.privateKey(), "1500", clientPeerLine("(none)")));
        DiffResult d = r.handler().diff(r.read().orElseThrow().outputs(), r.inputs());
        assertEquals(Map.of("mtu", new Change(Kind.UPDATE, false)), d.changes());
    }

    @Test
    void otherPrivateKeyOnTheHostIsDrift() {
        Refreshed r = refresh(dump(WgKeys.generate().privateKey(), "1420", clientPeerLine("(none)")));
        JsonObject outputs = r.read().orElseThrow().outputs();
        assertFalse(outputs.has("privateKey") && !outputs.get("privateKey").isJsonNull(), "the host's other key is not reported: " + outputs);
        DiffResult d = r.handler().diff(outputs, r.inputs());
        assertEquals(Map.of("privateKey", new Change(Kind.ADD, false)), d.changes());
    }

    @Test
    void absentInterfaceIsGone() {
        Refreshed r = refresh("absent\n");
        assertTrue(r.read().isEmpty());
    }
}
