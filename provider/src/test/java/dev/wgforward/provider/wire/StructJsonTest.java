package dev.wgforward.provider.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import org.junit.jupiter.api.Test;

/** The engine's Struct must come back unchanged after a trip through gson, and vice versa. */
class StructJsonTest {

    private static Value num(double d) {
        return Value.newBuilder().setNumberValue(d).build();
    }

    private static Value str(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static Value bool(boolean b) {
        return Value.newBuilder().setBoolValue(b).build();
    }

    private static Value nul() {
        return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }

    private static Value list(Value... values) {
        ListValue.Builder l = ListValue.newBuilder();
        for (Value v : values) {
            l.addValues(v);
        }
        return Value.newBuilder().setListValue(l).build();
    }

    private static Value struct(Struct s) {
        return Value.newBuilder().setStructValue(s).build();
    }

    /** A WireGuardInterface-like tree: nested objects, a list of objects, numbers, bools, null. */
    private static Struct sample() {
        Struct connection = Struct.newBuilder()
                .putFields("host", str("relay.example.com"))
                .putFields("port", num(22))
                .putFields("proxy", struct(Struct.newBuilder().putFields("host", str("jump")).putFields("port", num(2222)).build()))
                .build();
        Struct peer = Struct.newBuilder()
                .putFields("publicKey", str("k"))
                .putFields("allowedIps", list(str("10.77.42.2/32"), str("10.0.0.0/24")))
                .putFields("persistentKeepalive", num(25))
                .build();
        return Struct.newBuilder()
                .putFields("connection", struct(connection))
                .putFields("mtu", num(1420))
                .putFields("ratio", num(0.5))
                .putFields("negative", num(-3))
                .putFields("enabled", bool(true))
                .putFields("nothing", nul())
                .putFields("peers", list(struct(peer), nul()))
                .putFields("empty", list())
                .putFields("emptyObject", struct(Struct.getDefaultInstance()))
                .build();
    }

    @Test
    void structToJsonKeepsIntegersIntegral() {
        JsonObject json = StructJson.toJson(sample());
        // Whole numbers must print as 22, not 22.0, and read back exactly as ints.
        assertEquals("22", json.getAsJsonObject("connection").get("port").toString());
        assertEquals("2222", json.getAsJsonObject("connection").getAsJsonObject("proxy").get("port").toString());
        assertEquals("1420", json.get("mtu").toString());
        assertEquals(1420, json.get("mtu").getAsInt());
        assertEquals("-3", json.get("negative").toString());
        assertEquals("0.5", json.get("ratio").toString());
        assertEquals("25", json.getAsJsonArray("peers").get(0).getAsJsonObject().get("persistentKeepalive").toString());
    }

    @Test
    void structToJsonKeepsShape() {
        JsonObject json = StructJson.toJson(sample());
        JsonObject expected = JsonParser.parseString("""
                {"connection": {"host": "relay.example.com", "port": 22, "proxy": {"host": "jump", "port": 2222}},
                 "mtu": 1420, "ratio": 0.5, "negative": -3, "enabled": true, "nothing": null,
                 "peers": [{"publicKey": "k", "allowedIps": ["10.77.42.2/32", "10.0.0.0/24"], "persistentKeepalive": 25}, null],
                 "empty": [], "emptyObject": {}}
                """).getAsJsonObject();
        assertEquals(expected, json);
        assertTrue(json.has("nothing"), "null fields stay present");
        assertTrue(json.get("nothing").isJsonNull());
        assertTrue(json.getAsJsonArray("peers").get(1).isJsonNull(), "null list items stay");
        assertTrue(json.get("enabled").getAsJsonPrimitive().isBoolean());
    }

    @Test
    void structRoundTripIsLossless() {
        Struct s = sample();
        assertEquals(s, StructJson.toStruct(StructJson.toJson(s)));
    }

    @Test
    void jsonRoundTripIsLossless() {
        JsonObject json = JsonParser.parseString("""
                {"a": 1, "b": [1, 2.25, "x", true, null, {"c": [[]]}], "d": {"e": {"f": null}}, "g": "", "h": false,
                 "big": 9007199254740991}
                """).getAsJsonObject();
        JsonObject back = StructJson.toJson(StructJson.toStruct(json));
        assertEquals(json, back);
        assertEquals("9007199254740991", back.get("big").toString(), "2^53-1 is still exact and integral");
        assertEquals("1", back.get("a").toString());
    }

    @Test
    void specialValuesSurviveAsPlainJson() {
        JsonObject json = new JsonObject();
        json.add("secret", Values.secret(new com.google.gson.JsonPrimitive("s3cret")));
        json.add("unknown", Values.unknown());
        JsonArray arr = new JsonArray();
        arr.add(Values.secret(Values.unknown()));
        json.add("arr", arr);
        JsonObject back = StructJson.toJson(StructJson.toStruct(json));
        assertEquals(json, back);
        assertTrue(Values.isSecret(back.get("secret")));
        assertTrue(Values.isUnknown(back.get("unknown")));
        assertTrue(Values.containsUnknown(back.get("arr")));
    }

    @Test
    void unsetValueIsNull() {
        assertEquals(JsonNull.INSTANCE, StructJson.toJson(Value.getDefaultInstance()));
        JsonElement nullValue = StructJson.toJson(nul());
        assertTrue(nullValue.isJsonNull());
        assertEquals(Value.KindCase.NULL_VALUE, StructJson.toValue(JsonNull.INSTANCE).getKindCase());
        assertEquals(Value.KindCase.NULL_VALUE, StructJson.toValue(null).getKindCase());
    }

    @Test
    void nonIntegralAndHugeNumbersStayNumbers() {
        JsonElement big = StructJson.toJson(num(1e300));
        assertTrue(big.getAsJsonPrimitive().isNumber());
        assertEquals(1e300, big.getAsDouble());
        assertFalse(StructJson.toJson(num(2.5)).toString().equals("2"));
    }
}
