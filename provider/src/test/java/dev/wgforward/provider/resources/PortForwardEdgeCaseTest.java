package dev.wgforward.provider.resources;

import static dev.wgforward.provider.testing.TestSupport.SCHEMA;
import static dev.wgforward.provider.testing.TestSupport.ctx;
import static dev.wgforward.provider.testing.TestSupport.describe;
import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgforward.provider.testing.TestSupport;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.wgforward.provider.framework.ComponentHandler;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.resources.PortForwardConstructTest.RecordingChildren;
import dev.wgforward.provider.wire.Values;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Edge cases of PortForward that once went wrong: whole inputs unknown at preview, numbers gson
 * would have truncated, secrets that must stay secret in the children and derived outputs.
 */
class PortForwardEdgeCaseTest {
    private final ComponentHandler<PortForward.Args> component = new ComponentHandler<>(new PortForward(), SCHEMA);

    private static JsonObject minimal() {
        return obj("""
                {"relay": {"connection": {"host": "relay.example.com"}},
                 "forwards": [{"port": 8888, "targetHost": "10.0.0.2", "targetPort": 22}]}
                """);
    }

    /** A relay given as one output that is unknown at preview is accepted (it once threw a NullPointerException in check). */
    @Test
    void wholeUnknownRelayIsAcceptedAtPreview() {
        JsonObject in = minimal();
        in.add("relay", Values.unknown());
        List<CheckFailure> failures = assertDoesNotThrow(() -> component.check(in));
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    /** A client given as one output that is unknown at preview is accepted (it once threw a NullPointerException in check). */
    @Test
    void wholeUnknownClientIsAcceptedAtPreview() {
        JsonObject in = minimal();
        in.add("client", Values.unknown());
        List<CheckFailure> failures = assertDoesNotThrow(() -> component.check(in));
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    /** One forward that is a whole unknown object at preview is accepted, not refused as "must be an object". */
    @Test
    void wholeUnknownForwardIsAcceptedAtPreview() {
        JsonObject in = minimal();
        in.getAsJsonArray("forwards").add(Values.unknown());
        List<CheckFailure> failures = component.check(in);
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    /** A fractional port is refused, not truncated by gson (8888.5 → 8888). */
    @Test
    void fractionalPortIsRefused() {
        JsonObject fractional = minimal();
        fractional.getAsJsonArray("forwards").get(0).getAsJsonObject().addProperty("port", 8888.5);
        assertFalse(component.check(fractional).isEmpty(), "port 8888.5 was accepted (as 8888)");
    }

    /** An integer beyond int range is refused, not wrapped around by gson (2^32 + 8888 → 8888). */
    @Test
    void overflowingPortIsRefused() {
        JsonObject overflow = minimal();
        overflow.getAsJsonArray("forwards").get(0).getAsJsonObject().addProperty("port", 4294967296L + 8888);
        assertFalse(component.check(overflow).isEmpty(), "port 4294976184 was accepted (as 8888)");
    }

    /**
     * A secret relay object stays secret in the children: the relay's connection (here with an SSH
     * private key) reaches WireGuardInterface and ForwardRules still wrapped, so the engine never
     * stores it in plain text in their state.
     */
    @Test
    void secretRelayStaysSecretInChildren() {
        JsonObject in = minimal();
        JsonObject relay = in.getAsJsonObject("relay").deepCopy();
        relay.getAsJsonObject("connection").addProperty("privateKey", TestSupport.sshPrivateKey(""));
        in.add("relay", Values.secret(relay));
        assertEquals(List.of(), component.check(in));
        RecordingChildren children = new RecordingChildren(false);
        component.construct(ctx("pf", false), in, children);
        assertTrue(Values.containsSecret(children.named("pf-relay").inputs().get("connection")),
                () -> "relay interface connection in plain text: " + children.named("pf-relay").inputs().get("connection"));
        assertTrue(Values.containsSecret(children.named("pf-forwards").inputs().get("connection")),
                () -> "forward rules connection in plain text: " + children.named("pf-forwards").inputs().get("connection"));
    }

    /** A secret relay host (or relay.endpoint) stays secret as the peer endpoint on the client's interface. */
    @Test
    void secretRelayHostStaysSecretInTheClientPeerEndpoint() {
        JsonObject in = minimal();
        in.getAsJsonObject("relay").getAsJsonObject("connection").add("host", Values.secret(new JsonPrimitive("relay.example.com")));
        in.add("client", obj("{\"connection\": {\"host\": \"client.example.com\"}}"));
        assertEquals(List.of(), component.check(in));
        RecordingChildren children = new RecordingChildren(false);
        component.construct(ctx("pf", false), in, children);
        JsonObject peer = children.named("pf-client").inputs().getAsJsonArray("peers").get(0).getAsJsonObject();
        assertTrue(Values.isSecret(peer.get("endpoint")), () -> "endpoint in plain text: " + peer.get("endpoint"));
    }

    /**
     * clientConfig "is always returned as a secret" (schema), at preview too: a secret unknown, so
     * `pulumi preview` shows it as secret.
     */
    @Test
    void clientConfigIsSecretAlsoAtPreview() {
        RecordingChildren children = new RecordingChildren(true);
        JsonObject out = component.construct(ctx("pf", true), minimal(), children);
        assertTrue(Values.isSecret(out.get("clientConfig")), () -> "clientConfig at preview: " + out.get("clientConfig"));
    }
}
