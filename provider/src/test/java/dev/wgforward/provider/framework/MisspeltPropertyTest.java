package dev.wgforward.provider.framework;

import static dev.wgforward.provider.testing.TestSupport.NO_SSH;
import static dev.wgforward.provider.testing.TestSupport.SCHEMA;
import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgforward.provider.resources.KeyPair;
import dev.wgforward.provider.resources.PortForward;
import dev.wgforward.provider.resources.WireGuardInterface;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A misspelt property is an error at preview, not silently dropped. */
class MisspeltPropertyTest {

    @Test
    void aTopLevelTypoIsNamedWithTheKnownProperties() {
        List<CheckFailure> failures = new ResourceHandler<>(new KeyPair(), SCHEMA).check(obj("{\"keeperz\": {}}")).failures();
        assertEquals(1, failures.size(), failures::toString);
        assertEquals("keeperz", failures.get(0).property());
        assertTrue(failures.get(0).reason().contains("is not a property of KeyPair; it has: keepers"), failures::toString);
    }

    @Test
    void aTypoInsideAConnectionIsNamedByPath() {
        List<CheckFailure> failures = new ResourceHandler<>(new WireGuardInterface(NO_SSH), SCHEMA).check(obj(
                "{\"connection\": {\"host\": \"h\", \"hots\": \"x\"}, \"address\": \"10.77.42.1/24\","
                        + " \"privateKey\": \"" + "A".repeat(43) + "=\"}")).failures();
        assertEquals(List.of("connection.hots"), failures.stream().map(CheckFailure::property).toList(), failures::toString);
        assertTrue(failures.get(0).reason().contains("is not a property of Connection"), failures::toString);
    }

    @Test
    void engineInternalKeysAreNotTypos() {
        List<CheckFailure> failures = new ResourceHandler<>(new KeyPair(), SCHEMA).check(obj("{\"__defaults\": []}")).failures();
        assertEquals(List.of(), failures);
    }

    @Test
    void aComponentTypoIsNamedToo() {
        List<CheckFailure> failures = new ComponentHandler<>(new PortForward(), SCHEMA).check(obj(
                "{\"relay\": {\"conection\": {\"host\": \"h\"}}, \"forwards\": []}"));
        assertTrue(failures.stream().anyMatch(f -> f.property().equals("relay.conection")
                && f.reason().contains("is not a property of Relay")), failures::toString);
    }
}
