package dev.wgforward.provider.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.EngineLog;
import dev.wgforward.provider.framework.ProviderInfo;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.framework.ResourceHandler;
import dev.wgforward.provider.framework.Schema;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Addresses are given once and kept: peers that stay are never renumbered when others come or go. */
class TunnelAddressesTest {
    private static final Schema SCHEMA = new Schema(ProviderInfo.load().schemaJson());
    private final ResourceHandler<?, ?> handler = new ResourceHandler<>(new TunnelAddresses(), SCHEMA);

    private static JsonObject obj(String json) {
        return JsonParser.parseString(json).getAsJsonObject();
    }

    private static ResourceContext ctx(boolean preview) {
        return new ResourceContext("urn:pulumi:t::p::wgforward:index:TunnelAddresses::a", "a", preview, EngineLog.DISCARD, () -> false,
                Optional.empty());
    }

    private JsonObject inputs(String requested) {
        ResourceHandler.CheckResult checked = handler.check(obj("{\"network\": \"10.77.42.1/24\", \"requested\": " + requested + "}"));
        assertEquals(List.of(), checked.failures());
        return checked.inputs();
    }

    @Test
    void anyAddressIsTheLowestFreeAndPreviewAlreadyKnowsIt() {
        JsonObject in = inputs("{\"laptop\": \"\", \"phone\": \"\", \"desk\": \"10.77.42.2\"}");
        JsonObject preview = handler.create(ctx(true), in).outputs();
        JsonObject created = handler.create(ctx(false), in).outputs();
        assertEquals(obj("{\"desk\": \"10.77.42.2\", \"laptop\": \"10.77.42.3\", \"phone\": \"10.77.42.4\"}"), created.get("addresses"));
        assertEquals(created.get("addresses"), preview.get("addresses"), "the same in preview as in up");
    }

    @Test
    void aPreviewWithTheNetworkNotKnownYetLeavesTheAddressesUnknown() {
        JsonObject in = obj("{\"requested\": {\"laptop\": \"\"}}");
        in.add("network", dev.wgforward.provider.wire.Values.unknown());
        JsonObject preview = handler.create(ctx(true), in).outputs();
        assertTrue(!preview.has("addresses") || dev.wgforward.provider.wire.Values.isUnknown(preview.get("addresses")), preview::toString);
    }

    @Test
    void peersThatStayKeepTheirAddressesWhileOthersComeAndGo() {
        JsonObject state = handler.create(ctx(false), inputs("{\"laptop\": \"\", \"phone\": \"\", \"tablet\": \"\"}")).outputs();
        assertEquals(obj("{\"laptop\": \"10.77.42.2\", \"phone\": \"10.77.42.3\", \"tablet\": \"10.77.42.4\"}"), state.get("addresses"));

        // The laptop leaves, an "alpha" (sorted first) arrives: it gets the laptop's old address, nobody moves.
        JsonObject next = inputs("{\"alpha\": \"\", \"phone\": \"\", \"tablet\": \"\"}");
        assertFalse(handler.diff(state, next).replaces().iterator().hasNext(), "a change of peers is an update, never a replacement");
        JsonObject updated = handler.update(ctx(false), "addresses", state, next);
        assertEquals(obj("{\"alpha\": \"10.77.42.2\", \"phone\": \"10.77.42.3\", \"tablet\": \"10.77.42.4\"}"), updated.get("addresses"));

        JsonObject again = handler.update(ctx(false), "addresses", updated, inputs("{\"alpha\": \"\", \"tablet\": \"\", \"zed\": \"\"}"));
        assertEquals(obj("{\"alpha\": \"10.77.42.2\", \"tablet\": \"10.77.42.4\", \"zed\": \"10.77.42.3\"}"), again.get("addresses"));
    }

    @Test
    void badRequestsAreRefusedAtCheckNamingThePeer() {
        List<CheckFailure> failures = handler.check(obj("""
                {"network": "10.77.42.1/24", "requested": {"Bad Name": "", "a": "10.77.42.1", "b": "10.9.9.9", "c": "10.77.42.255",
                 "d": "10.77.42.7", "e": "10.77.42.7"}}
                """)).failures();
        String all = failures.toString();
        assertTrue(all.contains("requested.Bad Name"), all);
        assertTrue(all.contains("requested.a") && all.contains("the relay's"), all);
        assertTrue(all.contains("requested.b") && all.contains("outside the tunnel network"), all);
        assertTrue(all.contains("requested.c") && all.contains("broadcast"), all);
        assertTrue(all.contains("requested.e") && all.contains("already peer d's"), all);

        List<CheckFailure> full = handler.check(obj("{\"network\": \"10.77.42.1/30\", \"requested\": {\"a\": \"\", \"b\": \"\"}}")).failures();
        assertTrue(full.toString().contains("has only 1 left"), full::toString);
    }
}
