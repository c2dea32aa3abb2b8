package dev.wgforward.provider.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgforward.provider.testing.TestSupport;
import dev.wgforward.provider.host.ssh.SshjConnector;
import dev.wgforward.provider.resources.WgforwardResources;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** schema.json and the records that decode it cannot drift apart: the plugin refuses to start. */
class SchemaConformanceTest {
    private static final String TOKEN = "test:index:Box";
    private static final Schema SCHEMA = new Schema("""
            {"name": "test",
             "resources": {"test:index:Box": {
                "inputProperties": {
                  "name": {"type": "string", "replaceOnChanges": true},
                  "size": {"type": "integer"},
                  "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                  "doors": {"type": "array", "items": {"$ref": "#/types/test:index:Door"}}
                },
                "properties": {
                  "name": {"type": "string"}, "size": {"type": "integer"},
                  "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                  "doors": {"type": "array", "items": {"$ref": "#/types/test:index:Door"}},
                  "volume": {"type": "number"}
                }}},
             "types": {"test:index:Door": {"type": "object", "properties": {
                  "width": {"type": "integer"}, "inner": {"$ref": "#/types/test:index:Door"}}}}}
            """);

    record Door(Integer width, Door inner) {}

    record Inputs(String name, Integer size, Map<String, String> labels, List<Door> doors) {}

    record Outputs(Double volume) {}

    @Test
    void recordsThatMatchTheSchemaPass() {
        assertEquals(List.of(), SchemaConformance.problems(SCHEMA, TOKEN, Inputs.class, Outputs.class));
    }

    @Test
    void everyRegisteredResourceAndComponentMatchesSchemaJson() {
        // Throws, listing every difference, if one drifted.
        WgforwardResources.registry(TestSupport.SCHEMA, new SshjConnector());
    }

    record Renamed(String name, Integer sizes, Map<String, String> labels, List<Door> doors) {}

    record Retyped(String name, String size, List<String> labels, List<Door> doors) {}

    record DoorWithoutInner(Integer width) {}

    record NestedDrift(String name, Integer size, Map<String, String> labels, List<DoorWithoutInner> doors) {}

    record NoOutputs() {}

    @Test
    void eachDifferenceIsNamed() {
        assertEquals(List.of(
                "test:index:Box inputs: schema property 'size' has no component in Renamed",
                "test:index:Box inputs: Renamed.sizes is not in the schema"),
                SchemaConformance.problems(SCHEMA, TOKEN, Renamed.class, Outputs.class));
        assertEquals(List.of(
                "test:index:Box.size: the schema says integer, the record has java.lang.String",
                "test:index:Box.labels: the schema says a map (object with additionalProperties), the record has java.util.List<java.lang.String>"),
                SchemaConformance.problems(SCHEMA, TOKEN, Retyped.class, Outputs.class));
        assertEquals(List.of(
                "test:index:Box.doors[] (#/types/test:index:Door): schema property 'inner' has no component in DoorWithoutInner"),
                SchemaConformance.problems(SCHEMA, TOKEN, NestedDrift.class, Outputs.class));
        assertEquals(List.of("test:index:Box outputs: schema property 'volume' has no component in NoOutputs"),
                SchemaConformance.problems(SCHEMA, TOKEN, Inputs.class, NoOutputs.class));
    }

    /** A resource that repeats in code a replaceOnChanges the schema already marks. */
    static final class SaysItTwice extends TypedResource<Inputs, Outputs> {
        SaysItTwice() {
            super(TOKEN, Inputs.class, Outputs.class);
        }

        @Override
        public Set<String> replaceOnChanges() {
            return Set.of("name");
        }

        @Override
        public Created<Outputs> create(ResourceContext ctx, Inputs inputs) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<State<Inputs, Outputs>> read(ResourceContext ctx, String id, State<Inputs, Outputs> state) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Outputs update(ResourceContext ctx, String id, State<Inputs, Outputs> olds, Inputs news) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(ResourceContext ctx, String id, State<Inputs, Outputs> state) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aReplaceRuleLivesInOnePlace() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Registry(SCHEMA).add(new SaysItTwice()));
        assertTrue(e.getMessage().contains("replaceOnChanges [name] is marked in schema.json already"), e.getMessage());
    }
}
