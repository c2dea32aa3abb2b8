package dev.wgforward.provider.resources;

import static dev.wgforward.provider.testing.TestSupport.SCHEMA;
import static dev.wgforward.provider.testing.TestSupport.assertOneFailure;
import static dev.wgforward.provider.testing.TestSupport.describe;
import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.ComponentHandler;
import dev.wgforward.provider.wire.Values;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PortForward with {@code clients} (a hub): what `pulumi preview` says about bad inputs. */
class PortForwardHubCheckTest {
    private final ComponentHandler<PortForward.Args> component = new ComponentHandler<>(new PortForward(), SCHEMA);

    private static JsonObject hub() {
        return obj("""
                {"relay": {"connection": {"host": "relay.example.com"}},
                 "clients": [
                   {"name": "laptop", "connection": {"host": "laptop.example.com"},
                    "forwards": [{"port": 8888, "targetHost": "10.0.0.2", "targetPort": 22}]},
                   {"name": "phone", "address": "10.77.42.9",
                    "forwards": [{"port": 8888, "targetHost": "10.0.0.3", "targetPort": 22}]}]}
                """);
    }

    private List<CheckFailure> checkWith(Consumer<JsonObject> change) {
        JsonObject in = hub();
        change.accept(in);
        return component.check(in);
    }

    private static JsonObject client(JsonObject in, int i) {
        return in.getAsJsonArray("clients").get(i).getAsJsonObject();
    }

    @Test
    void aHubWithTheSamePortForTwoClientsPasses() {
        List<CheckFailure> failures = component.check(hub());
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    @Test
    void clientAndClientsTogetherNameTheFieldToDrop() {
        assertOneFailure(checkWith(in -> in.add("client", obj("{\"connection\": {\"host\": \"a.example.com\"}}"))),
                "client", "not both", "drop client");
        assertOneFailure(checkWith(in -> in.add("forwards", obj("{\"f\": [{\"port\": 1, \"targetHost\": \"10.0.0.2\", \"targetPort\": 2}]}")
                .get("f"))), "forwards", "not both", "drop forwards");
    }

    @Test
    void neitherClientsNorForwardsSaysWhatIsMissing() {
        assertOneFailure(component.check(obj("{\"relay\": {\"connection\": {\"host\": \"relay.example.com\"}}}")), "forwards",
                "required", "clients");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Laptop", "-laptop", "my laptop", "laptop_1", "a23456789012345678901234567890123"})
    void aBadNameIsRefused(String name) {
        assertOneFailure(checkWith(in -> client(in, 0).addProperty("name", name)), "clients[0].name", "a-z, 0-9");
    }

    @Test
    void namesAndAddressesAreUnique() {
        assertOneFailure(checkWith(in -> client(in, 1).addProperty("name", "laptop")), "clients[1].name", "clients[0]");
        assertOneFailure(checkWith(in -> client(in, 0).addProperty("address", "10.77.42.9")), "clients[1].address", "clients[0]");
    }

    @Test
    void anAddressMustBeAFreeHostAddressOfTheRelaysNetwork() {
        assertOneFailure(checkWith(in -> client(in, 1).addProperty("address", "10.78.0.5")), "clients[1].address", "outside");
        assertOneFailure(checkWith(in -> client(in, 1).addProperty("address", "10.77.42.1")), "clients[1].address", "relay's own");
        assertOneFailure(checkWith(in -> client(in, 1).addProperty("address", "10.77.42.255")), "clients[1].address", "broadcast");
    }

    @Test
    void eachClientsForwardsAreCheckedUnderItsOwnPath() {
        assertOneFailure(checkWith(in -> client(in, 1).getAsJsonArray("forwards").get(0).getAsJsonObject().addProperty("port", 0)),
                "clients[1].forwards[0].port");
        assertOneFailure(checkWith(in -> client(in, 1).getAsJsonArray("forwards").get(0).getAsJsonObject()
                .addProperty("targetHost", "10.77.42.3")), "clients[1].forwards[0].targetHost", "its clients");
        assertOneFailure(checkWith(in -> client(in, 0).remove("forwards")), "clients[0].forwards", "required");
        assertOneFailure(checkWith(in -> client(in, 0).add("forwards", new JsonArray())), "clients[0].forwards", "at least one");
    }

    @Test
    void twoManagedClientsOnOneHostNeedTwoInterfaceNames() {
        assertOneFailure(checkWith(in -> client(in, 1).add("connection", obj("{\"host\": \"laptop.example.com\"}"))),
                "clients[1].interfaceName", "same host");
    }

    @Test
    void unknownClientsWaitForTheirValues() {
        JsonObject in = hub();
        in.add("clients", Values.unknown());
        List<CheckFailure> failures = component.check(in);
        assertEquals(List.of(), failures, () -> describe(failures));
    }
}
