package dev.wgforward.provider.framework;

import static dev.wgforward.provider.testing.TestSupport.ctx;
import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * State records the version of its shape: state written before a property was renamed is carried
 * over to the new name (not read as null), and state from a newer plugin is refused by name.
 */
class StateVersionTest {
    private static final String TOKEN = "test:index:Tank";
    private static final Schema SCHEMA = new Schema("""
            {"name": "test",
             "resources": {"test:index:Tank": {
                "inputProperties": {"name": {"type": "string"}, "litres": {"type": "integer"}},
                "properties": {"name": {"type": "string"}, "litres": {"type": "integer"}, "full": {"type": "boolean"}}}}}
            """);

    record Inputs(String name, Integer litres) {}

    record Outputs(Boolean full) {}

    /** At version 2, which renamed version 1's {@code size} to {@code litres} (or at version 1, before that). */
    static final class Tank extends TypedResource<Inputs, Outputs> {
        final AtomicReference<State<Inputs, Outputs>> deleted = new AtomicReference<>();
        private final int version;

        Tank(int version) {
            super(TOKEN, Inputs.class, Outputs.class);
            this.version = version;
        }

        @Override
        public int stateVersion() {
            return version;
        }

        @Override
        public JsonObject migrateState(int version, JsonObject state) {
            assertEquals(1, version);
            if (state.has("size")) {
                state.add("litres", state.remove("size"));
            }
            return state;
        }

        @Override
        public Created<Outputs> create(ResourceContext ctx, Inputs inputs) {
            return new Created<>("tank", new Outputs(true));
        }

        @Override
        public Optional<State<Inputs, Outputs>> read(ResourceContext ctx, String id, State<Inputs, Outputs> state) {
            return Optional.of(state);
        }

        @Override
        public Outputs update(ResourceContext ctx, String id, State<Inputs, Outputs> olds, Inputs news) {
            return olds.outputs();
        }

        @Override
        public void delete(ResourceContext ctx, String id, State<Inputs, Outputs> state) {
            deleted.set(state);
        }
    }

    private final Tank tank = new Tank(2);
    private final ResourceHandler<Inputs, Outputs> handler = new ResourceHandler<>(tank, SCHEMA);
    private static final JsonObject VERSION_1_STATE = obj("{\"name\": \"t\", \"size\": 40, \"full\": true}");

    @Test
    void stateWrittenNowCarriesItsVersion() {
        JsonObject state = handler.create(ctx(false), obj("{\"name\": \"t\", \"litres\": 40}")).outputs();
        assertEquals(2, state.get(ResourceHandler.STATE_VERSION).getAsInt(), state::toString);
    }

    @Test
    void olderStateIsMigratedNotReadAsNull() {
        handler.delete(ctx(false), "tank", VERSION_1_STATE);
        assertEquals(new Inputs("t", 40), tank.deleted.get().inputs());

        assertEquals(Map.of(), handler.diff(VERSION_1_STATE, obj("{\"name\": \"t\", \"litres\": 40}")).changes(),
                "the renamed property is the same value: no change");

        JsonObject refreshed = handler.read(ctx(false), "tank", VERSION_1_STATE, obj("{\"name\": \"t\", \"size\": 40}"))
                .orElseThrow().outputs();
        assertEquals(40, refreshed.get("litres").getAsInt(), refreshed::toString);
        assertFalse(refreshed.has("size"), refreshed::toString);
        assertEquals(2, refreshed.get(ResourceHandler.STATE_VERSION).getAsInt());
    }

    @Test
    void stateFromANewerPluginIsRefusedByName() {
        JsonObject newer = obj("{\"name\": \"t\", \"litres\": 40, \"__stateVersion\": 3}");
        ProviderException e = assertThrows(ProviderException.class, () -> handler.delete(ctx(false), "tank", newer));
        assertTrue(e.getMessage().contains("written by a newer wgforward (state version 3; this plugin reads up to 2)"), e.getMessage());
    }

    @Test
    void versionOneStateHasNoVersionKeySoOldStacksRefreshQuietly() {
        JsonObject state = new ResourceHandler<>(new Tank(1), SCHEMA).create(ctx(false), obj("{\"name\": \"t\", \"litres\": 1}")).outputs();
        assertFalse(state.has(ResourceHandler.STATE_VERSION), state::toString);
    }
}
