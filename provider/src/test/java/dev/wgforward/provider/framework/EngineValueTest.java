package dev.wgforward.provider.framework;

import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonPrimitive;
import dev.wgforward.provider.wire.Values;
import org.junit.jupiter.api.Test;

/** What is derived from unknown is unknown, from secret is secret: a caller cannot forget either. */
class EngineValueTest {
    private static final EngineValue<String> KNOWN = EngineValue.of("10.77.42.1/24");
    private static final EngineValue<String> SECRET = EngineValue.of("hunter2").asSecret();
    private static final EngineValue<String> UNKNOWN = EngineValue.unknown();
    private static final EngineValue<String> ABSENT = EngineValue.absent();

    @Test
    void applyKeepsUnknownAbsentAndSecret() {
        assertEquals(EngineValue.of(13), KNOWN.apply(String::length));
        assertEquals(EngineValue.of(7).asSecret(), SECRET.apply(String::length));
        assertTrue(UNKNOWN.apply(String::length).isUnknown());
        assertTrue(ABSENT.apply(String::length).isAbsent());
        assertTrue(UNKNOWN.asSecret().apply(String::length).isSecret(), "an unknown secret stays secret");
    }

    @Test
    void combineAndAllAreUnknownFirstThenAbsentAndSecretIfAnyIs() {
        assertEquals(EngineValue.of("10.77.42.1/24 hunter2").asSecret(), EngineValue.combine(KNOWN, SECRET, (a, b) -> a + " " + b));
        assertTrue(EngineValue.combine(KNOWN, UNKNOWN, (a, b) -> a + b).isUnknown());
        assertTrue(EngineValue.combine(ABSENT, UNKNOWN, (a, b) -> a + b).isUnknown());
        assertTrue(EngineValue.combine(KNOWN, ABSENT, (a, b) -> a + b).isAbsent());
        assertTrue(EngineValue.combine(SECRET, UNKNOWN, (a, b) -> a + b).isSecret());

        assertEquals(EngineValue.of("10.77.42.1/24:hunter2").asSecret(), EngineValue.all(k -> k.get(KNOWN) + ":" + k.get(SECRET), KNOWN, SECRET));
        assertTrue(EngineValue.all(k -> k.get(KNOWN), KNOWN, UNKNOWN).isUnknown());
        assertThrows(IllegalStateException.class, () -> EngineValue.all(k -> k.get(UNKNOWN), KNOWN), "a value not passed to all()");
    }

    @Test
    void orElseReplacesOnlyWhatIsAbsent() {
        assertEquals(KNOWN, ABSENT.orElse(KNOWN));
        assertTrue(UNKNOWN.orElse(KNOWN).isUnknown(), "unknown is not absent: it may turn out to be given");
    }

    @Test
    void wireSubtreesKeepTheirMarksAndASecretObjectsFieldsAreSecret() {
        JsonElement secretObject = Values.secret(obj("{\"host\": \"h\", \"port\": 22}"));
        EngineValue<JsonElement> relay = EngineValue.wire(obj("{\"connection\": {}, \"address\": \"x\"}").deepCopy());
        assertFalse(relay.field("address").isSecret());
        EngineValue<JsonElement> connection = EngineValue.wire(secretObject);
        assertEquals(EngineValue.of("h").asSecret(), connection.field("host").as(String.class));
        assertEquals(Values.secret(new JsonPrimitive(22)), connection.field("port").toWire());
        assertTrue(EngineValue.wire(Values.unknown()).field("host").isUnknown());
        assertTrue(relay.field("missing").isAbsent());
        assertEquals(JsonNull.INSTANCE, relay.field("missing").toWire());
        assertEquals(Values.secret(Values.unknown()), UNKNOWN.asSecret().toWire());
        JsonElement nested = obj("{\"privateKey\": {\"" + Values.SIG_KEY + "\": \"" + Values.SECRET_SIG + "\", \"value\": \"k\"}}");
        assertEquals(nested, EngineValue.wire(nested).toWire(), "secrets nested inside a subtree stay marked");
    }
}
