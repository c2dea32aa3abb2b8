package dev.wgforward.provider.framework;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * Builds a property object for the engine (a child's inputs, a component's outputs) from
 * {@link EngineValue}s, which carry their own secret and unknown markers; absent values are left out.
 */
public final class WireObject {
    private final JsonObject json = new JsonObject();

    public WireObject put(String name, EngineValue<?> value) {
        if (!value.isAbsent()) {
            json.add(name, value.toWire());
        }
        return this;
    }

    public WireObject put(String name, WireObject object) {
        json.add(name, object.json.deepCopy());
        return this;
    }

    public WireObject put(String name, List<WireObject> objects) {
        JsonArray array = new JsonArray();
        objects.forEach(o -> array.add(o.json.deepCopy()));
        json.add(name, array);
        return this;
    }

    public JsonObject json() {
        return json.deepCopy();
    }
}
