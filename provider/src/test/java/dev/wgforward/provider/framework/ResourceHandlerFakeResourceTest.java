package dev.wgforward.provider.framework;

import static dev.wgforward.provider.testing.TestSupport.unwrap;
import static dev.wgforward.provider.testing.TestSupport.ctx;
import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.wgforward.provider.framework.DiffResult.Change;
import dev.wgforward.provider.framework.DiffResult.Kind;
import dev.wgforward.provider.wire.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The framework's generic rules, on a tiny resource with its own schema. */
class ResourceHandlerFakeResourceTest {
    private static final String TOKEN = "test:index:Thing";
    private static final Schema SCHEMA = new Schema("""
            {"name": "test",
             "resources": {"test:index:Thing": {
                "inputProperties": {
                  "name": {"type": "string"},
                  "size": {"type": "integer", "default": 3},
                  "password": {"type": "string", "secret": true},
                  "tags": {"type": "array", "items": {"type": "string"}}
                },
                "requiredInputs": ["name"],
                "properties": {
                  "name": {"type": "string"}, "size": {"type": "integer"}, "password": {"type": "string", "secret": true},
                  "tags": {"type": "array", "items": {"type": "string"}},
                  "token": {"type": "string", "secret": true},
                  "count": {"type": "integer"},
                  "note": {"type": "string"}
                }}}}
            """);

    record In(String name, Integer size, String password, List<String> tags) {}

    record Out(String token, Integer count, String note) {}

    /** Records what the framework hands it; its outputs are set per test. */
    static class Thing implements CustomResource<In, Out> {
        final List<In> checked = new ArrayList<>();
        final List<In> created = new ArrayList<>();
        Out outputs = new Out(null, null, null);
        /** Thrown by every operation but check, when set. */
        RuntimeException failure;

        private void failIfAsked() {
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public String token() {
            return TOKEN;
        }

        @Override
        public Class<In> inputType() {
            return In.class;
        }

        @Override
        public Class<Out> outputType() {
            return Out.class;
        }

        @Override
        public List<CheckFailure> check(In inputs) {
            checked.add(inputs);
            return inputs.size() != null && inputs.size() < 0 ? List.of(new CheckFailure("size", "must not be negative")) : List.of();
        }

        @Override
        public Set<String> replaceOnChanges() {
            return Set.of("name");
        }

        @Override
        public Created<Out> create(ResourceContext ctx, In inputs) {
            created.add(inputs);
            failIfAsked();
            return new Created<>("id-1", outputs);
        }

        @Override
        public Optional<State<In, Out>> read(ResourceContext ctx, String id, State<In, Out> state) {
            failIfAsked();
            return Optional.of(state);
        }

        @Override
        public Out update(ResourceContext ctx, String id, State<In, Out> olds, In news) {
            failIfAsked();
            return outputs;
        }

        @Override
        public void delete(ResourceContext ctx, String id, State<In, Out> state) {
            failIfAsked();
        }
    }

    private final Thing thing = new Thing();
    private final ResourceHandler<In, Out> handler = new ResourceHandler<>(thing, SCHEMA);

    @Test
    void checkHandsTheResourceTypedInputsWithDefaultsAndUnknownsAsNull() {
        JsonObject news = obj("{\"name\": \"a\", \"tags\": [\"x\"]}");
        news.add("password", Values.secret(new JsonPrimitive("pw")));
        news.getAsJsonArray("tags").add(Values.unknown());
        ResourceHandler.CheckResult r = handler.check(news);
        assertEquals(List.of(), r.failures());
        assertEquals(List.of(new In("a", 3, "pw", java.util.Arrays.asList("x", null))), thing.checked);
        assertEquals(3, r.inputs().get("size").getAsInt());
        assertTrue(Values.isSecret(r.inputs().get("password")));
    }

    @Test
    void checkReturnsTheResourcesFailures() {
        ResourceHandler.CheckResult r = handler.check(obj("{\"name\": \"a\", \"size\": -1}"));
        assertEquals(List.of(new CheckFailure("size", "must not be negative")), r.failures());
    }

    @Test
    void checkSkipsTheResourceWhenARequiredInputIsMissing() {
        ResourceHandler.CheckResult r = handler.check(obj("{\"size\": -1}"));
        assertEquals(List.of("name"), r.failures().stream().map(CheckFailure::property).toList());
        assertEquals(List.of(), thing.checked, "no typed check on incomplete inputs");
    }

    @Test
    void checkReportsAShapeErrorAsAFailureNamingTheProperty() {
        ResourceHandler.CheckResult r = handler.check(obj("{\"name\": \"a\", \"size\": {\"n\": 1}}"));
        assertEquals(1, r.failures().size());
        assertEquals("size", r.failures().get(0).property());
    }

    @Test
    void stateIsInputsPlusOutputsWithSecretsKept() {
        thing.outputs = new Out("tok", 7, null);
        JsonObject inputs = handler.check(obj("{\"name\": \"a\"}")).inputs();
        inputs.add("password", Values.secret(new JsonPrimitive("pw")));
        ResourceHandler.CreateResult r = handler.create(ctx(false), inputs);
        assertEquals("id-1", r.id());
        JsonObject state = r.outputs();
        assertEquals(Set.of("name", "size", "password", "token", "count"), state.keySet(), "a null output is left out outside preview");
        assertTrue(Values.isSecret(state.get("password")));
        assertTrue(Values.isSecret(state.get("token")), "schema-secret output is wrapped");
        assertEquals("tok", Values.plain(state.get("token")).getAsString());
        assertFalse(Values.isSecret(state.get("count")));
        assertEquals(7, state.get("count").getAsInt());
        assertEquals(new In("a", 3, "pw", null), thing.created.get(0), "the resource sees plain values");
    }

    @Test
    void previewFillsMissingOutputsWithUnknowns() {
        thing.outputs = new Out(null, 1, null);
        JsonObject state = handler.create(ctx(true), handler.check(obj("{\"name\": \"a\"}")).inputs()).outputs();
        assertTrue(Values.isUnknown(unwrap(state.get("token"))));
        assertTrue(Values.isUnknown(state.get("note")));
        assertEquals(1, state.get("count").getAsInt());
        assertEquals("a", state.get("name").getAsString());

        thing.outputs = null;
        JsonObject none = handler.create(ctx(true), handler.check(obj("{\"name\": \"a\"}")).inputs()).outputs();
        assertTrue(Values.isUnknown(none.get("count")));
    }

    @Test
    void updateReturnsNewInputsPlusOutputs() {
        thing.outputs = new Out("tok2", 2, "n");
        JsonObject olds = obj("{\"name\": \"a\", \"size\": 3, \"count\": 1}");
        JsonObject news = handler.check(obj("{\"name\": \"a\", \"size\": 4}")).inputs();
        JsonObject state = handler.update(ctx(false), "id-1", olds, news);
        assertEquals(4, state.get("size").getAsInt());
        assertEquals(2, state.get("count").getAsInt());
        assertTrue(Values.isSecret(state.get("token")));
    }

    @Test
    void readKeepsStoredSecretWrappersWhereNothingDrifted() {
        thing.outputs = new Out("tok", 1, null);
        JsonObject inputs = handler.check(obj("{\"name\": \"a\"}")).inputs();
        inputs.add("password", Values.secret(new JsonPrimitive("pw")));
        JsonObject state = handler.create(ctx(false), inputs).outputs();
        ResourceHandler.ReadResult r = handler.read(ctx(false), "id-1", state, inputs).orElseThrow();
        assertEquals(state, r.outputs());
        assertEquals(inputs, r.inputs());
    }

    @Test
    void diffWalksArraysAndReplacesOnlyForReplacePaths() {
        JsonObject olds = obj("{\"name\": \"a\", \"size\": 3, \"tags\": [\"x\", \"y\"], \"token\": \"t\"}");
        JsonObject news = obj("{\"name\": \"a\", \"size\": 3, \"tags\": [\"x\", \"z\"]}");
        assertEquals(Map.of("tags[1]", new Change(Kind.UPDATE, false)), handler.diff(olds, news).changes(),
                "outputs (token) are not diffed");
        JsonObject renamed = obj("{\"name\": \"b\", \"size\": 3, \"tags\": [\"x\", \"y\"]}");
        DiffResult d = handler.diff(olds, renamed);
        assertEquals(Map.of("name", new Change(Kind.UPDATE, true)), d.changes());
        assertFalse(d.deleteBeforeReplace(), "the resource does not ask for delete-before-replace");
        assertEquals(Map.of("tags", new Change(Kind.DELETE, false)),
                handler.diff(olds, obj("{\"name\": \"a\", \"size\": 3}")).changes());
        assertEquals(Map.of("tags", new Change(Kind.UPDATE, false)),
                handler.diff(olds, obj("{\"name\": \"a\", \"size\": 3, \"tags\": [\"x\"]}")).changes());
        assertNull(handler.diff(olds, olds).changes().get("size"));
    }

    // ---- a value the host model refuses after Check let it through --------------------------------

    @Test
    void aRefusedValueInAnOperationBecomesAMessageForTheUserWithSecretsHidden() {
        JsonObject inputs = obj("{\"name\": \"a\"}");
        inputs.add("password", Values.secret(new JsonPrimitive("hunter2-very-secret")));
        thing.failure = new IllegalArgumentException("interface address must be sane, got hunter2-very-secret");
        JsonObject state = inputs.deepCopy();
        for (String operation : List.of("create", "read", "update", "delete")) {
            ProviderException e = org.junit.jupiter.api.Assertions.assertThrows(ProviderException.class, () -> {
                switch (operation) {
                    case "create" -> handler.create(ctx(false), inputs);
                    case "read" -> handler.read(ctx(false), "id-1", state, inputs);
                    case "update" -> handler.update(ctx(false), "id-1", state, inputs);
                    default -> handler.delete(ctx(false), "id-1", state);
                }
            }, operation);
            assertTrue(e.getMessage().startsWith(TOKEN + " '"), e.getMessage());
            assertTrue(e.getMessage().contains(operation + " refused an input: interface address must be sane"), e.getMessage());
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
            assertTrue(e.getMessage().contains("[secret]"), e.getMessage());
        }
    }

    @Test
    void otherFailuresPassThroughUnchanged() {
        ProviderException expected = new ProviderException("step 'x' failed on host h");
        thing.failure = expected;
        ProviderException e = org.junit.jupiter.api.Assertions.assertThrows(ProviderException.class,
                () -> handler.create(ctx(false), obj("{\"name\": \"a\"}")));
        assertEquals(expected, e);
    }

    @Test
    void aResourceCheckThatThrowsIsAFailureNotACrash() {
        CustomResource<In, Out> throwing = new Thing() {
            @Override
            public List<CheckFailure> check(In inputs) {
                throw new IllegalArgumentException("no good");
            }
        };
        List<CheckFailure> failures = new ResourceHandler<>(throwing, SCHEMA).check(obj("{\"name\": \"a\"}")).failures();
        assertEquals(List.of(new CheckFailure("", "an input was refused: no good")), failures);
    }
}
