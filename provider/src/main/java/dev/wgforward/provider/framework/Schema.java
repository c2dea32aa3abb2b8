package dev.wgforward.provider.framework;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.wgforward.provider.wire.Values;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads resource shapes from schema.json, the single source of truth: which inputs are required,
 * their defaults (also inside object types such as Connection), and which outputs are secret.
 */
public final class Schema {
    private final JsonObject root;

    public Schema(String schemaJson) {
        this.root = JsonParser.parseString(schemaJson).getAsJsonObject();
    }

    public JsonObject resource(String token) {
        JsonObject resources = root.has("resources") ? root.getAsJsonObject("resources") : new JsonObject();
        if (!resources.has(token)) {
            throw new IllegalArgumentException("schema.json has no resource " + token);
        }
        return resources.getAsJsonObject(token);
    }

    public boolean hasResource(String token) {
        return root.has("resources") && root.getAsJsonObject("resources").has(token);
    }

    public List<String> requiredInputs(String token) {
        List<String> required = new ArrayList<>();
        JsonObject r = resource(token);
        if (r.has("requiredInputs")) {
            r.getAsJsonArray("requiredInputs").forEach(e -> required.add(e.getAsString()));
        }
        return required;
    }

    /** Top-level input property names. */
    public Set<String> inputNames(String token) {
        JsonObject r = resource(token);
        return r.has("inputProperties") ? r.getAsJsonObject("inputProperties").keySet() : Set.of();
    }

    /** Output properties marked {@code "secret": true}. */
    public Set<String> secretOutputs(String token) {
        Set<String> secrets = new HashSet<>();
        JsonObject r = resource(token);
        for (String section : new String[] {"properties", "inputProperties"}) {
            if (r.has(section)) {
                for (Map.Entry<String, JsonElement> p : r.getAsJsonObject(section).entrySet()) {
                    JsonObject spec = p.getValue().getAsJsonObject();
                    if (spec.has("secret") && spec.get("secret").getAsBoolean()) {
                        secrets.add(p.getKey());
                    }
                }
            }
        }
        return secrets;
    }

    /**
     * Required properties missing from {@code inputs}, as paths, including required properties of
     * nested object types. Unknown values count as present: they will be known at `up`.
     */
    public List<CheckFailure> missingRequired(String token, JsonObject inputs) {
        List<CheckFailure> failures = new ArrayList<>();
        JsonObject r = resource(token);
        checkRequired("", r.has("inputProperties") ? r.getAsJsonObject("inputProperties") : new JsonObject(),
                requiredInputs(token), inputs, failures);
        return failures;
    }

    private void checkRequired(String prefix, JsonObject properties, List<String> required, JsonObject value,
            List<CheckFailure> failures) {
        for (String name : required) {
            JsonElement v = value.get(name);
            if (v == null || v.isJsonNull()) {
                failures.add(new CheckFailure(prefix + name, "is required" + describe(properties, name)));
            }
        }
        for (Map.Entry<String, JsonElement> p : properties.entrySet()) {
            JsonElement v = Values.unwrapSecret(value.get(p.getKey()));
            forEachObject(p.getValue().getAsJsonObject(), v, prefix + p.getKey(), (path, type, obj) -> {
                List<String> req = new ArrayList<>();
                if (type.has("required")) {
                    type.getAsJsonArray("required").forEach(e -> req.add(e.getAsString()));
                }
                checkRequired(path + ".", type.getAsJsonObject("properties"), req, obj, failures);
            });
        }
    }

    private static String describe(JsonObject properties, String name) {
        if (properties.has(name) && properties.getAsJsonObject(name).has("description")) {
            return ": " + properties.getAsJsonObject(name).get("description").getAsString();
        }
        return "";
    }

    /** Fills in schema defaults for absent properties, recursively through object types. */
    public JsonObject withDefaults(String token, JsonObject inputs) {
        JsonObject r = resource(token);
        JsonObject out = inputs.deepCopy();
        applyDefaults(r.has("inputProperties") ? r.getAsJsonObject("inputProperties") : new JsonObject(), out);
        return out;
    }

    private void applyDefaults(JsonObject properties, JsonObject value) {
        for (Map.Entry<String, JsonElement> p : properties.entrySet()) {
            JsonObject spec = p.getValue().getAsJsonObject();
            JsonElement v = value.get(p.getKey());
            if ((v == null || v.isJsonNull()) && spec.has("default")) {
                value.add(p.getKey(), spec.get("default").deepCopy());
                continue;
            }
            forEachObject(spec, Values.unwrapSecret(v), p.getKey(), (path, type, obj) -> applyDefaults(type.getAsJsonObject("properties"), obj));
        }
    }

    private interface ObjectVisitor {
        void visit(String path, JsonObject type, JsonObject value);
    }

    /** Visits the object values of a property typed by an object type (directly or as array items). */
    private void forEachObject(JsonObject spec, JsonElement value, String path, ObjectVisitor visitor) {
        if (value == null || value.isJsonNull() || Values.isUnknown(value)) {
            return;
        }
        if (spec.has("$ref") && value.isJsonObject()) {
            JsonObject type = type(spec.get("$ref").getAsString());
            if (type != null && type.has("properties")) {
                visitor.visit(path, type, value.getAsJsonObject());
            }
        } else if (spec.has("items") && value.isJsonArray()) {
            JsonArray items = value.getAsJsonArray();
            for (int i = 0; i < items.size(); i++) {
                forEachObject(spec.getAsJsonObject("items"), Values.unwrapSecret(items.get(i)), path + "[" + i + "]", visitor);
            }
        }
    }

    private JsonObject type(String ref) {
        String prefix = "#/types/";
        if (!ref.startsWith(prefix) || !root.has("types")) {
            return null;
        }
        JsonObject types = root.getAsJsonObject("types");
        String token = ref.substring(prefix.length());
        return types.has(token) ? types.getAsJsonObject(token) : null;
    }
}
