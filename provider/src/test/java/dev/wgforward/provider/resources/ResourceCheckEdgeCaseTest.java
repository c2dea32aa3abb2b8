package dev.wgforward.provider.resources;

import static dev.wgforward.provider.testing.TestSupport.NO_SSH;
import static dev.wgforward.provider.testing.TestSupport.SCHEMA;
import static dev.wgforward.provider.testing.TestSupport.describe;
import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.ResourceHandler;
import dev.wgforward.provider.host.wireguard.WgKeys;
import dev.wgforward.provider.wire.Values;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Edge cases of the resources' checks that once went wrong: unknown list items at preview,
 * fractional and overflowing whole numbers, a secret wrapped around nothing.
 */
class ResourceCheckEdgeCaseTest {
    private final ResourceHandler<?, ?> wg = new ResourceHandler<>(new WireGuardInterface(NO_SSH), SCHEMA);
    private final ResourceHandler<?, ?> rules = new ResourceHandler<>(new ForwardRules(NO_SSH), SCHEMA);

    private static JsonObject wgInputs() {
        JsonObject in = obj("""
                {"connection": {"host": "relay.example.com"}, "address": "10.77.42.1/24",
                 "peers": [{"publicKey": "%s", "allowedIps": ["10.77.42.2/32"]}]}
                """.formatted(WgKeys.generate().publicKey()));
        in.add("privateKey", Values.secret(new JsonPrimitive(WgKeys.generate().privateKey())));
        return in;
    }

    private static JsonObject rulesInputs() {
        return obj("""
                {"connection": {"host": "relay.example.com"}, "interfaceName": "wgf0",
                 "relayAddress": "10.77.42.1", "clientAddress": "10.77.42.2",
                 "forwards": [{"port": 8888, "targetHost": "10.0.0.2", "targetPort": 22}]}
                """);
    }

    /** A peer that is a whole unknown object at preview is accepted (it once threw a NullPointerException in check). */
    @Test
    void wholeUnknownPeerIsAcceptedAtPreview() {
        JsonObject in = wgInputs();
        in.getAsJsonArray("peers").add(Values.unknown());
        List<CheckFailure> failures = assertDoesNotThrow(() -> wg.check(in).failures());
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    /** A forward that is a whole unknown object at preview is accepted, not refused as "forwards[1]: must be an object". */
    @Test
    void wholeUnknownForwardIsAcceptedAtPreview() {
        JsonObject in = rulesInputs();
        in.getAsJsonArray("forwards").add(Values.unknown());
        List<CheckFailure> failures = rules.check(in).failures();
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    /** A secret wrapping null (an unset secret config value) counts as missing for a required input. */
    @Test
    void secretNullPrivateKeyIsMissing() {
        JsonObject in = wgInputs();
        in.add("privateKey", Values.secret(JsonNull.INSTANCE));
        List<CheckFailure> failures = wg.check(in).failures();
        assertTrue(failures.stream().anyMatch(f -> f.property().equals("privateKey")), () -> "accepted: " + describe(failures));
    }

    /** The same inside an object type: connection.host = secret(null) is missing. */
    @Test
    void secretNullHostIsMissing() {
        JsonObject host = wgInputs();
        host.getAsJsonObject("connection").add("host", Values.secret(JsonNull.INSTANCE));
        List<CheckFailure> failures = wg.check(host).failures();
        assertTrue(failures.stream().anyMatch(f -> f.property().equals("connection.host")), () -> "accepted: " + describe(failures));
    }

    /** A fractional integer input is refused, not truncated by gson (targetPort 22.9 → 22, mtu 1420.5 → 1420). */
    @Test
    void fractionalIntegersAreRefused() {
        JsonObject fractional = rulesInputs();
        fractional.getAsJsonArray("forwards").get(0).getAsJsonObject().addProperty("targetPort", 22.9);
        assertEquals(1, rules.check(fractional).failures().size(), "targetPort 22.9 was accepted (as 22)");
        JsonObject mtu = wgInputs();
        mtu.addProperty("mtu", 1420.5);
        assertEquals(1, wg.check(mtu).failures().size(), "mtu 1420.5 was accepted (as 1420)");
    }

    /** An integer beyond int range is refused, not wrapped around (port 2^32 + 8888 → 8888). */
    @Test
    void overflowingIntegersAreRefused() {
        JsonObject overflow = rulesInputs();
        overflow.getAsJsonArray("forwards").get(0).getAsJsonObject().addProperty("port", 4294967296L + 8888);
        assertEquals(1, rules.check(overflow).failures().size(), "port 4294976184 was accepted (as 8888)");
    }
}
