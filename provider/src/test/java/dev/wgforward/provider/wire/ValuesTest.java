package dev.wgforward.provider.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValuesTest {

    private static final List<String> ALL_UNKNOWN_SENTINELS = List.of(
            "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
            "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
            "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
            "030794c1-ac77-496b-92df-f27374a8bd58",
            "e48ece36-62e2-4504-bad9-02848725956a",
            "dd056dcd-154b-4c76-9bd3-c8f88648b5ff");

    private static JsonElement json(String s) {
        return JsonParser.parseString(s);
    }

    private static JsonObject outputValue(JsonElement value, boolean secret) {
        JsonObject o = new JsonObject();
        o.addProperty(Values.SIG_KEY, Values.OUTPUT_SIG);
        if (value != null) {
            o.add("value", value);
        }
        o.addProperty("secret", secret);
        return o;
    }

    @Test
    void secretHasTheEngineWireShape() {
        JsonObject s = Values.secret(new JsonPrimitive("hunter2"));
        assertEquals(json("{\"4dabf18193072939515e22adb298388d\": \"1b47061264138c4ac30d75fd1eb44270\", \"value\": \"hunter2\"}"), s);
        assertTrue(Values.isSecret(s));
        assertEquals(new JsonPrimitive("hunter2"), Values.plain(s));
    }

    @Test
    void plainValuesAreNotSecretOrUnknown() {
        for (String s : List.of("\"x\"", "1", "true", "null", "{}", "[]", "{\"value\": 1}", "{\"4dabf18193072939515e22adb298388d\": \"other\", \"value\": 1}")) {
            assertFalse(Values.isSecret(json(s)), s);
            assertFalse(Values.isUnknown(json(s)), s);
            assertFalse(Values.containsSecret(json(s)), s);
            assertFalse(Values.containsUnknown(json(s)), s);
        }
        assertFalse(Values.isSecret(null));
        assertFalse(Values.isUnknown(null));
        assertFalse(Values.containsSecret(null));
        assertFalse(Values.containsUnknown(null));
    }

    @Test
    void everyUnknownSentinelIsUnknownAndPlainsToNull() {
        for (String sentinel : ALL_UNKNOWN_SENTINELS) {
            JsonPrimitive u = new JsonPrimitive(sentinel);
            assertTrue(Values.isUnknown(u), sentinel);
            assertEquals(JsonNull.INSTANCE, Values.plain(u), sentinel);
        }
        assertEquals(Values.UNKNOWN_STRING, Values.unknown().getAsString());
        // A string that merely resembles a sentinel is a real value.
        assertFalse(Values.isUnknown(new JsonPrimitive(Values.UNKNOWN_STRING.toUpperCase())));
        assertFalse(Values.isUnknown(new JsonPrimitive(Values.UNKNOWN_STRING + " ")));
    }

    @Test
    void outputValueWithoutValueIsUnknown() {
        assertTrue(Values.isUnknown(outputValue(null, false)));
        assertFalse(Values.isUnknown(outputValue(new JsonPrimitive("x"), false)));
        assertEquals(new JsonPrimitive("x"), Values.plain(outputValue(new JsonPrimitive("x"), false)));
        assertEquals(JsonNull.INSTANCE, Values.plain(outputValue(null, true)));
        assertTrue(Values.isSecret(outputValue(new JsonPrimitive("x"), true)));
        assertFalse(Values.isSecret(outputValue(new JsonPrimitive("x"), false)));
    }

    @Test
    void plainRemovesSecretsAndUnknownsEverywhere() {
        JsonObject tree = new JsonObject();
        JsonObject connection = new JsonObject();
        connection.addProperty("host", "relay");
        connection.add("privateKey", Values.secret(new JsonPrimitive("-----BEGIN KEY-----")));
        connection.add("port", Values.unknown());
        tree.add("connection", Values.secret(connection));
        com.google.gson.JsonArray peers = new com.google.gson.JsonArray();
        JsonObject peer = new JsonObject();
        peer.add("publicKey", Values.unknown());
        peer.add("allowedIps", json("[\"10.0.0.1/32\"]"));
        peers.add(peer);
        peers.add(Values.secret(Values.secret(new JsonPrimitive(7))));
        tree.add("peers", peers);
        tree.add("count", new JsonPrimitive(3));

        JsonElement plain = Values.plain(tree);
        assertEquals(json("""
                {"connection": {"host": "relay", "privateKey": "-----BEGIN KEY-----", "port": null},
                 "peers": [{"publicKey": null, "allowedIps": ["10.0.0.1/32"]}, 7], "count": 3}
                """), plain);
        assertFalse(Values.containsSecret(plain));
        assertFalse(Values.containsUnknown(plain));
        // The input is left alone.
        assertTrue(Values.isSecret(tree.get("connection")));
        assertNotSame(tree, plain);
    }

    @Test
    void containsFindsDeepSecretsAndUnknowns() {
        JsonElement deepSecret = json("{\"a\": [1, {\"b\": [{\"4dabf18193072939515e22adb298388d\": \"1b47061264138c4ac30d75fd1eb44270\", \"value\": 1}]}]}");
        assertTrue(Values.containsSecret(deepSecret));
        assertFalse(Values.containsUnknown(deepSecret));
        JsonElement deepUnknown = json("{\"a\": [1, {\"b\": [\"04da6b54-80e4-46f7-96ec-b56ff0331ba9\"]}]}");
        assertTrue(Values.containsUnknown(deepUnknown));
        assertFalse(Values.containsSecret(deepUnknown));
        // An unknown inside a secret is both.
        JsonElement both = json("{\"a\": {\"4dabf18193072939515e22adb298388d\": \"1b47061264138c4ac30d75fd1eb44270\", \"value\": \"04da6b54-80e4-46f7-96ec-b56ff0331ba9\"}}");
        assertTrue(Values.containsSecret(both));
        assertTrue(Values.containsUnknown(both));
        assertTrue(Values.containsSecret(json("[{\"x\": " + outputValue(new JsonPrimitive(1), true) + "}]")));
        assertTrue(Values.containsUnknown(json("[{\"x\": " + outputValue(null, false) + "}]")));
    }

    @Test
    void unwrapSecretRemovesOnlyTheOuterWrappers() {
        JsonObject inner = new JsonObject();
        inner.add("k", Values.secret(new JsonPrimitive("v")));
        JsonElement wrapped = Values.secret(Values.secret(inner));
        assertEquals(inner, Values.unwrapSecret(wrapped));
        assertTrue(Values.isSecret(((JsonObject) Values.unwrapSecret(wrapped)).get("k")), "nested secrets stay");
        assertEquals(Values.unknown(), Values.unwrapSecret(Values.secret(Values.unknown())));
        JsonPrimitive p = new JsonPrimitive("x");
        assertEquals(p, Values.unwrapSecret(p));
        assertEquals(null, Values.unwrapSecret(null));
    }

    @Test
    void resourceReferencePlainsToItsIdElseUrn() {
        JsonObject ref = new JsonObject();
        ref.addProperty(Values.SIG_KEY, Values.RESOURCE_SIG);
        ref.addProperty("urn", "urn:pulumi:s::p::t::n");
        assertEquals(new JsonPrimitive("urn:pulumi:s::p::t::n"), Values.plain(ref));
        ref.addProperty("id", "abc");
        assertEquals(new JsonPrimitive("abc"), Values.plain(ref));
    }

    @Test
    void plainOfNullIsJsonNull() {
        assertEquals(JsonNull.INSTANCE, Values.plain(null));
        assertEquals(JsonNull.INSTANCE, Values.plain(JsonNull.INSTANCE));
        assertEquals(JsonNull.INSTANCE, Values.plain(Values.secret(JsonNull.INSTANCE)));
    }
}
