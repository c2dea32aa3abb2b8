package dev.wgforward.provider.framework;

import com.google.gson.JsonObject;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * schema.json and the Java records describe the same properties with the same types, down to
 * nested object types: a property renamed, added or retyped on one side only would otherwise be
 * decoded as null without a word. The registry checks every resource when the plugin starts, so
 * that any test that starts one fails on drift.
 */
final class SchemaConformance {
    private final Schema schema;
    private final List<String> problems = new ArrayList<>();

    private SchemaConformance(Schema schema) {
        this.schema = schema;
    }

    /** What differs between {@code token}'s schema and its records; empty when they agree. */
    static List<String> problems(Schema schema, String token, Class<? extends Record> inputs, Class<? extends Record> outputs) {
        return problems(schema, token, inputs, outputs, Set.of());
    }

    /** The same, for a resource with planned outputs: schema outputs of type string that the record leaves to the framework. */
    static List<String> problems(Schema schema, String token, Class<? extends Record> inputs, Class<? extends Record> outputs,
            Set<String> planned) {
        SchemaConformance check = new SchemaConformance(schema);
        JsonObject resource = schema.resource(token);
        JsonObject inputSpecs = resource.has("inputProperties") ? resource.getAsJsonObject("inputProperties") : new JsonObject();
        JsonObject stateSpecs = resource.has("properties") ? resource.getAsJsonObject("properties") : new JsonObject();
        check.sameNames(token + " inputs", inputSpecs.keySet(), inputs);
        check.components(token, inputs, inputSpecs, new LinkedHashSet<>());
        if (outputs != null) {
            // State is the inputs plus the outputs: each output is a schema property that is not an input.
            Set<String> outputNames = new LinkedHashSet<>(stateSpecs.keySet());
            outputNames.removeAll(inputSpecs.keySet());
            for (String name : planned) {
                if (!outputNames.remove(name)) {
                    check.problems.add(token + ": planned output '" + name + "' is not an output in the schema");
                } else if (!"string".equals(stateSpecs.getAsJsonObject(name).has("type")
                        ? stateSpecs.getAsJsonObject(name).get("type").getAsString() : "")) {
                    check.problems.add(token + ": planned output '" + name + "' must have type string in the schema");
                }
            }
            check.sameNames(token + " outputs", outputNames, outputs);
            check.components(token, outputs, stateSpecs, new LinkedHashSet<>());
        }
        return check.problems;
    }

    private void sameNames(String where, Set<String> schemaNames, Class<? extends Record> record) {
        Set<String> javaNames = new LinkedHashSet<>();
        for (RecordComponent c : record.getRecordComponents()) {
            javaNames.add(c.getName());
        }
        for (String name : schemaNames) {
            if (!javaNames.contains(name)) {
                problems.add(where + ": schema property '" + name + "' has no component in " + record.getSimpleName());
            }
        }
        for (String name : javaNames) {
            if (!schemaNames.contains(name)) {
                problems.add(where + ": " + record.getSimpleName() + "." + name + " is not in the schema");
            }
        }
    }

    /** Each component of {@code record} that the schema describes has the schema's type. */
    private void components(String where, Class<?> record, JsonObject specs, Set<Class<?>> visiting) {
        if (!visiting.add(record)) {
            return; // a recursive type (a connection's proxy is a connection) is checked once
        }
        for (RecordComponent c : record.getRecordComponents()) {
            if (specs.has(c.getName())) {
                type(where + "." + c.getName(), c.getGenericType(), specs.getAsJsonObject(c.getName()), visiting);
            }
        }
        visiting.remove(record);
    }

    private void type(String path, Type java, JsonObject spec, Set<Class<?>> visiting) {
        if (spec.has("$ref")) {
            String ref = spec.get("$ref").getAsString();
            JsonObject object = schema.objectType(ref);
            if (!(java instanceof Class<?> c) || !c.isRecord()) {
                problems.add(path + ": the schema says " + ref + ", the record has " + java.getTypeName());
                return;
            }
            @SuppressWarnings("unchecked")
            Class<? extends Record> record = (Class<? extends Record>) c;
            JsonObject properties = object.has("properties") ? object.getAsJsonObject("properties") : new JsonObject();
            sameNames(path + " (" + ref + ")", properties.keySet(), record);
            components(path, record, properties, visiting);
            return;
        }
        String type = spec.has("type") ? spec.get("type").getAsString() : "";
        switch (type) {
            case "string" -> expect(path, java, type, String.class);
            case "integer" -> expect(path, java, type, Integer.class, int.class);
            case "number" -> expect(path, java, type, Double.class, double.class);
            case "boolean" -> expect(path, java, type, Boolean.class, boolean.class);
            case "array" -> {
                if (java instanceof ParameterizedType p && p.getRawType() == List.class) {
                    type(path + "[]", p.getActualTypeArguments()[0], spec.getAsJsonObject("items"), visiting);
                } else {
                    problems.add(path + ": the schema says array, the record has " + java.getTypeName());
                }
            }
            case "object" -> {
                if (java instanceof ParameterizedType p && p.getRawType() == Map.class && p.getActualTypeArguments()[0] == String.class
                        && spec.has("additionalProperties")) {
                    type(path + "{}", p.getActualTypeArguments()[1], spec.getAsJsonObject("additionalProperties"), visiting);
                } else {
                    problems.add(path + ": the schema says a map (object with additionalProperties), the record has " + java.getTypeName());
                }
            }
            default -> problems.add(path + ": schema type '" + type + "' is not one the records can hold");
        }
    }

    private void expect(String path, Type java, String schemaType, Class<?>... allowed) {
        for (Class<?> c : allowed) {
            if (java == c) {
                return;
            }
        }
        problems.add(path + ": the schema says " + schemaType + ", the record has " + java.getTypeName());
    }
}
