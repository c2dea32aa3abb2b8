package dev.wgforward.provider.wire;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Map;
import java.util.Set;

/**
 * The engine's special values inside property trees: secrets ({@code {"4dabf...": "1b47...",
 * "value": v}}), unknowns (sentinel strings, during preview) and output values (Construct).
 */
public final class Values {
    private Values() {}

    public static final String SIG_KEY = "4dabf18193072939515e22adb298388d";
    public static final String SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
    public static final String OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
    public static final String RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

    /** The engine's "computed" sentinels, one per type; the string one is the common case. */
    public static final String UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    private static final Set<String> UNKNOWNS = Set.of(
            "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // bool
            "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
            UNKNOWN_STRING,
            "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
            "030794c1-ac77-496b-92df-f27374a8bd58", // asset
            "e48ece36-62e2-4504-bad9-02848725956a", // archive
            "dd056dcd-154b-4c76-9bd3-c8f88648b5ff"); // object

    public static JsonPrimitive unknown() {
        return new JsonPrimitive(UNKNOWN_STRING);
    }

    public static boolean isUnknown(JsonElement e) {
        if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return UNKNOWNS.contains(e.getAsString());
        }
        // An output value without a value is unknown as well.
        return isSignature(e, OUTPUT_SIG) && !e.getAsJsonObject().has("value");
    }

    public static boolean isSecret(JsonElement e) {
        return isSignature(e, SECRET_SIG) || (isSignature(e, OUTPUT_SIG)
                && e.getAsJsonObject().has("secret") && e.getAsJsonObject().get("secret").getAsBoolean());
    }

    public static JsonObject secret(JsonElement value) {
        JsonObject o = new JsonObject();
        o.addProperty(SIG_KEY, SECRET_SIG);
        o.add("value", value);
        return o;
    }

    /** The value inside secret wrappers (nested unknowns and secrets below it stay as they are). */
    public static JsonElement unwrapSecret(JsonElement e) {
        while (isSecret(e) && e.getAsJsonObject().has("value")) {
            e = e.getAsJsonObject().get("value");
        }
        return e;
    }

    /** True if any unknown appears anywhere in the tree. */
    public static boolean containsUnknown(JsonElement e) {
        if (isUnknown(e)) {
            return true;
        }
        if (e == null) {
            return false;
        }
        if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> f : e.getAsJsonObject().entrySet()) {
                if (containsUnknown(f.getValue())) {
                    return true;
                }
            }
        } else if (e.isJsonArray()) {
            for (JsonElement item : e.getAsJsonArray()) {
                if (containsUnknown(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True if any secret appears anywhere in the tree. */
    public static boolean containsSecret(JsonElement e) {
        if (isSecret(e)) {
            return true;
        }
        if (e != null && e.isJsonObject()) {
            return e.getAsJsonObject().entrySet().stream().anyMatch(f -> containsSecret(f.getValue()));
        }
        if (e != null && e.isJsonArray()) {
            for (JsonElement item : e.getAsJsonArray()) {
                if (containsSecret(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The plain value: secret and output wrappers removed everywhere, unknowns replaced by JSON
     * null (typed records then see "not known yet" as an absent value).
     */
    public static JsonElement plain(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return com.google.gson.JsonNull.INSTANCE;
        }
        if (isUnknown(e)) {
            return com.google.gson.JsonNull.INSTANCE;
        }
        if (isSignature(e, SECRET_SIG) || isSignature(e, OUTPUT_SIG)) {
            return plain(e.getAsJsonObject().get("value"));
        }
        if (isSignature(e, RESOURCE_SIG)) {
            JsonObject ref = e.getAsJsonObject();
            return ref.has("id") ? plain(ref.get("id")) : ref.get("urn");
        }
        if (e.isJsonObject()) {
            JsonObject out = new JsonObject();
            e.getAsJsonObject().entrySet().forEach(f -> out.add(f.getKey(), plain(f.getValue())));
            return out;
        }
        if (e.isJsonArray()) {
            JsonArray out = new JsonArray();
            e.getAsJsonArray().forEach(item -> out.add(plain(item)));
            return out;
        }
        return e;
    }

    private static boolean isSignature(JsonElement e, String sig) {
        return e != null && e.isJsonObject() && e.getAsJsonObject().has(SIG_KEY)
                && sig.equals(e.getAsJsonObject().get(SIG_KEY).getAsString());
    }
}
