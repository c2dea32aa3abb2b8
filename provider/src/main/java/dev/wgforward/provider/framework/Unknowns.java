package dev.wgforward.provider.framework;

import com.google.gson.JsonElement;
import dev.wgforward.provider.wire.Values;

/**
 * Which inputs are not known yet (preview). Typed inputs see an unknown value and an absent one
 * alike, as null; the few rules that depend on the difference ask here. Example: an encrypted SSH
 * key without {@code privateKeyPassword} is refused, but not while the password is only unknown.
 */
public final class Unknowns {
    /** For inputs in which nothing is unknown: every null is an absent value. */
    public static final Unknowns NONE = new Unknowns(null);

    private final JsonElement inputs;

    private Unknowns(JsonElement inputs) {
        this.inputs = inputs;
    }

    /** The unknowns of an input tree as the engine sent it (secret wrappers and all). */
    public static Unknowns in(JsonElement inputs) {
        return new Unknowns(inputs);
    }

    /**
     * Whether the value at {@code path} (such as {@code relay.connection.privateKeyPassword} or
     * {@code forwards[0].targetHost}) is unknown, itself or because a value it lies in is.
     */
    public boolean at(String path) {
        JsonElement here = inputs;
        for (String step : path.replace("[", ".[").split("\\.")) {
            here = unwrap(here);
            if (Values.isUnknown(here)) {
                return true;
            }
            if (here == null || step.isEmpty()) {
                continue;
            }
            here = step.startsWith("[") ? item(here, step) : field(here, step);
            if (here == null) {
                return false;
            }
        }
        return Values.isUnknown(unwrap(here));
    }

    /**
     * Whether anything at or below {@code path} is unknown: what a value rendered from the whole
     * of it (a list of forwards, say) needs to know. An empty path means all the inputs.
     */
    public boolean within(String path) {
        if (at(path)) {
            return true;
        }
        JsonElement here = inputs;
        if (!path.isEmpty()) {
            for (String step : path.replace("[", ".[").split("\\.")) {
                here = unwrap(here);
                if (here == null || step.isEmpty()) {
                    continue;
                }
                here = step.startsWith("[") ? item(here, step) : field(here, step);
            }
        }
        return containsUnknown(here);
    }

    private static boolean containsUnknown(JsonElement e) {
        e = unwrap(e);
        if (e == null) {
            return false;
        }
        if (Values.isUnknown(e)) {
            return true;
        }
        if (e.isJsonObject()) {
            return e.getAsJsonObject().entrySet().stream().anyMatch(f -> containsUnknown(f.getValue()));
        }
        if (e.isJsonArray()) {
            for (JsonElement item : e.getAsJsonArray()) {
                if (containsUnknown(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The value inside secret and output wrappers (an output without a value is unknown: kept). */
    private static JsonElement unwrap(JsonElement e) {
        while (e != null && e.isJsonObject() && e.getAsJsonObject().has(Values.SIG_KEY) && e.getAsJsonObject().has("value")) {
            e = e.getAsJsonObject().get("value");
        }
        return e;
    }

    private static JsonElement field(JsonElement object, String name) {
        return object.isJsonObject() ? object.getAsJsonObject().get(name) : null;
    }

    private static JsonElement item(JsonElement array, String step) {
        int index = Integer.parseInt(step.substring(1, step.length() - 1));
        return array.isJsonArray() && index < array.getAsJsonArray().size() ? array.getAsJsonArray().get(index) : null;
    }
}
