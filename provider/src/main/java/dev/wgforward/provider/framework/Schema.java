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

    /**
     * A resource's schema; for a function, its arguments and result in the same shape (arguments
     * as {@code inputProperties} and {@code requiredInputs}, the result as {@code properties}), so
     * that defaults, required inputs and types apply to both alike.
     */
    public JsonObject resource(String token) {
        JsonObject resources = root.has("resources") ? root.getAsJsonObject("resources") : new JsonObject();
        if (resources.has(token)) {
            return resources.getAsJsonObject(token);
        }
        if (hasFunction(token)) {
            JsonObject function = root.getAsJsonObject("functions").getAsJsonObject(token);
            JsonObject asResource = new JsonObject();
            JsonObject inputs = function.has("inputs") ? function.getAsJsonObject("inputs") : new JsonObject();
            JsonObject outputs = function.has("outputs") ? function.getAsJsonObject("outputs") : new JsonObject();
            asResource.add("inputProperties", inputs.has("properties") ? inputs.get("properties") : new JsonObject());
            asResource.add("requiredInputs", inputs.has("required") ? inputs.get("required") : new JsonArray());
            asResource.add("properties", outputs.has("properties") ? outputs.get("properties") : new JsonObject());
            return asResource;
        }
        throw new IllegalArgumentException("schema.json has no resource " + token);
    }

    public boolean hasFunction(String token) {
        return root.has("functions") && root.getAsJsonObject("functions").has(token);
    }

    /** The object type a {@code $ref} such as {@code #/types/wgforward:index:Connection} names. */
    JsonObject objectType(String ref) {
        String prefix = "#/types/";
        JsonObject types = root.has("types") ? root.getAsJsonObject("types") : new JsonObject();
        if (!ref.startsWith(prefix) || !types.has(ref.substring(prefix.length()))) {
            throw new IllegalArgumentException("schema.json has no type " + ref);
        }
        return types.getAsJsonObject(ref.substring(prefix.length()));
    }

    /**
     * A resource's top-level input properties marked {@code "replaceOnChanges": true}. (Marks inside
     * object types are not followed: the Connection type is shared by every resource and is its own
     * proxy, so a mark there would replace the component and follow jump hosts too.)
     */
    public Set<String> replaceOnChanges(String token) {
        Set<String> paths = new HashSet<>();
        JsonObject r = resource(token);
        if (r.has("inputProperties")) {
            for (Map.Entry<String, JsonElement> p : r.getAsJsonObject("inputProperties").entrySet()) {
                JsonObject spec = p.getValue().getAsJsonObject();
                if (spec.has("replaceOnChanges") && spec.get("replaceOnChanges").getAsBoolean()) {
                    paths.add(p.getKey());
                }
            }
        }
        return paths;
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
            // A secret around nothing (an unset secret config value) is missing too.
            JsonElement v = Values.unwrapSecret(value.get(name));
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

    /**
     * Values whose JSON type is not the schema's: a fractional or out-of-range number where a
     * whole number belongs, text where a number belongs, a null list item. Gson would otherwise
     * truncate 8888.5 to 8888 without a word. Unknowns (preview) are skipped.
     */
    public List<CheckFailure> typeErrors(String token, JsonObject inputs) {
        List<CheckFailure> failures = new ArrayList<>();
        JsonObject r = resource(token);
        JsonObject properties = r.has("inputProperties") ? r.getAsJsonObject("inputProperties") : new JsonObject();
        unknownNames("", properties, inputs, token.substring(token.lastIndexOf(':') + 1), failures);
        for (Map.Entry<String, JsonElement> p : properties.entrySet()) {
            checkType(p.getKey(), p.getValue().getAsJsonObject(), inputs.get(p.getKey()), failures);
        }
        return failures;
    }

    /** A misspelt property would otherwise be dropped without a word. Engine-internal keys start with "__". */
    private static void unknownNames(String prefix, JsonObject properties, JsonObject value, String typeName,
            List<CheckFailure> failures) {
        for (String name : value.keySet()) {
            if (!properties.has(name) && !name.startsWith("__")) {
                failures.add(new CheckFailure(prefix + name, "is not a property of " + typeName + "; it has: "
                        + String.join(", ", new java.util.TreeSet<>(properties.keySet()))));
            }
        }
    }

    private void checkType(String path, JsonObject spec, JsonElement raw, List<CheckFailure> failures) {
        JsonElement value = Values.unwrapSecret(raw);
        if (value == null || value.isJsonNull() || Values.isUnknown(value)) {
            return;
        }
        if (spec.has("$ref")) {
            JsonObject type = type(spec.get("$ref").getAsString());
            if (type == null || !type.has("properties")) {
                return;
            }
            if (!value.isJsonObject()) {
                failures.add(new CheckFailure(path, "must be an object (" + spec.get("$ref").getAsString().replace("#/types/", "")
                        + "), got " + shortly(value)));
                return;
            }
            String ref = spec.get("$ref").getAsString();
            unknownNames(path + ".", type.getAsJsonObject("properties"), value.getAsJsonObject(),
                    ref.substring(ref.lastIndexOf(':') + 1), failures);
            for (Map.Entry<String, JsonElement> p : type.getAsJsonObject("properties").entrySet()) {
                checkType(path + "." + p.getKey(), p.getValue().getAsJsonObject(), value.getAsJsonObject().get(p.getKey()), failures);
            }
            return;
        }
        String type = spec.has("type") ? spec.get("type").getAsString() : "";
        boolean primitive = value.isJsonPrimitive();
        switch (type) {
            case "integer" -> {
                boolean whole = primitive && value.getAsJsonPrimitive().isNumber()
                        && value.getAsDouble() == Math.rint(value.getAsDouble())
                        && value.getAsDouble() >= Integer.MIN_VALUE && value.getAsDouble() <= Integer.MAX_VALUE;
                if (!whole) {
                    failures.add(new CheckFailure(path, "must be a whole number, got " + shortly(value)));
                }
            }
            case "number" -> {
                if (!primitive || !value.getAsJsonPrimitive().isNumber()) {
                    failures.add(new CheckFailure(path, "must be a number, got " + shortly(value)));
                }
            }
            case "boolean" -> {
                if (!primitive || !value.getAsJsonPrimitive().isBoolean()) {
                    failures.add(new CheckFailure(path, "must be true or false, got " + shortly(value)));
                }
            }
            case "string" -> {
                if (!primitive || !value.getAsJsonPrimitive().isString()) {
                    failures.add(new CheckFailure(path, "must be a string, got " + shortly(value)));
                }
            }
            case "array" -> {
                if (!value.isJsonArray()) {
                    failures.add(new CheckFailure(path, "must be a list, got " + shortly(value)));
                    return;
                }
                JsonArray items = value.getAsJsonArray();
                for (int i = 0; i < items.size(); i++) {
                    JsonElement item = Values.unwrapSecret(items.get(i));
                    if (item == null || item.isJsonNull()) {
                        failures.add(new CheckFailure(path + "[" + i + "]", "must not be null"));
                    } else if (spec.has("items")) {
                        checkType(path + "[" + i + "]", spec.getAsJsonObject("items"), items.get(i), failures);
                    }
                }
            }
            case "object" -> {
                if (!value.isJsonObject()) {
                    failures.add(new CheckFailure(path, "must be an object, got " + shortly(value)));
                } else if (spec.has("additionalProperties")) {
                    for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
                        checkType(path + "." + e.getKey(), spec.getAsJsonObject("additionalProperties"), e.getValue(), failures);
                    }
                }
            }
            default -> { }
        }
    }

    /** A value for a message: short, one line. */
    private static String shortly(JsonElement value) {
        String text = value.toString().replaceAll("\\s+", " ");
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
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
