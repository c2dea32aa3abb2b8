package dev.wgforward.provider.framework;

import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.wgforward.provider.wire.Values;
import org.junit.jupiter.api.Test;

class UnknownsTest {

    @Test
    void tellsAnUnknownFromAnAbsentValue() {
        JsonObject inputs = obj("{\"relay\": {\"connection\": {\"host\": \"h\"}}, \"forwards\": [{\"port\": 1}, {}]}");
        inputs.getAsJsonObject("relay").getAsJsonObject("connection").add("privateKeyPassword", Values.unknown());
        inputs.getAsJsonArray("forwards").get(1).getAsJsonObject().add("targetHost", Values.secret(Values.unknown()));
        Unknowns unknowns = Unknowns.in(inputs);
        assertTrue(unknowns.at("relay.connection.privateKeyPassword"));
        assertFalse(unknowns.at("relay.connection.password"), "absent, not unknown");
        assertFalse(unknowns.at("relay.connection.host"));
        assertTrue(unknowns.at("forwards[1].targetHost"), "a secret unknown is unknown");
        assertFalse(unknowns.at("forwards[0].targetHost"));
        assertFalse(unknowns.at("forwards[7].targetHost"));
        assertFalse(unknowns.at("client.connection.privateKeyPassword"));
    }

    @Test
    void whatLiesInsideAnUnknownIsUnknown() {
        JsonObject inputs = obj("{\"relay\": {}}");
        inputs.getAsJsonObject("relay").add("connection", Values.secret(Values.unknown()));
        inputs.add("forwards", Values.unknown());
        Unknowns unknowns = Unknowns.in(inputs);
        assertTrue(unknowns.at("relay.connection.privateKeyPassword"));
        assertTrue(unknowns.at("forwards[0].port"));
        assertFalse(Unknowns.NONE.at("relay.connection.privateKeyPassword"));
    }

    @Test
    void seesThroughSecretAndOutputWrappers() {
        JsonObject connection = obj("{\"host\": \"h\"}");
        connection.add("privateKeyPassword", Values.unknown());
        JsonObject output = new JsonObject();
        output.addProperty(Values.SIG_KEY, Values.OUTPUT_SIG);
        output.add("value", connection);
        JsonObject relay = new JsonObject();
        relay.add("connection", output);
        JsonObject inputs = new JsonObject();
        inputs.add("relay", Values.secret(relay));
        assertTrue(Unknowns.in(inputs).at("relay.connection.privateKeyPassword"));
        assertFalse(Unknowns.in(inputs).at("relay.connection.host"));
    }
}
