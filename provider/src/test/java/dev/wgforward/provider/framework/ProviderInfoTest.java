package dev.wgforward.provider.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The served schema carries the plugin's version; schema.json itself leaves it to the build. */
class ProviderInfoTest {

    @Test
    void theVersionGoesInFrontAndTheRestStaysAsWritten() {
        String schema = "{\n  \"name\": \"wgforward\",\n  \"resources\": {}\n}\n";
        String served = ProviderInfo.withVersion(schema, "1.2.3");
        assertEquals("{\n  \"version\": \"1.2.3\",\n  \"name\": \"wgforward\",\n  \"resources\": {}\n}\n", served);
    }

    @Test
    void aSchemaThatAlreadyNamesThePluginsVersionIsServedAsItIs() {
        String schema = "{\"name\": \"wgforward\", \"version\": \"1.2.3\"}";
        assertEquals(schema, ProviderInfo.withVersion(schema, "1.2.3"));
    }

    @Test
    void aSchemaNamingAnotherVersionIsABuildMistake() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderInfo.withVersion("{\"version\": \"0.0.1\"}", "1.2.3"));
        assertTrue(e.getMessage().contains("leave the version out of schema.json"), e.getMessage());
    }
}
