package dev.wgforward.provider.framework;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.wgforward.provider.wire.Values;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one {@link ComponentResource} on property trees, as {@link ResourceHandler} runs a custom
 * resource: applies the schema (what absence implies, defaults, required inputs, types), decodes
 * the typed inputs, then lets the component check them or construct its children.
 */
public final class ComponentHandler<A extends Record> {
    private static final Gson GSON = new Gson();

    private final ComponentResource<A> component;
    private final Schema schema;

    public ComponentHandler(ComponentResource<A> component, Schema schema) {
        this.component = component;
        this.schema = schema;
    }

    public String token() {
        return component.token();
    }

    public List<CheckFailure> check(JsonObject rawInputs) {
        JsonObject inputs = complete(rawInputs);
        List<CheckFailure> missing = schema.missingRequired(token(), inputs);
        List<CheckFailure> failures = new ArrayList<>(missing);
        failures.addAll(schema.typeErrors(token(), inputs));
        if (!failures.isEmpty()) {
            if (failures.size() == missing.size()) {
                // Only missing inputs: the component's own rules (which skip absent values) still say what else is wrong.
                failures.addAll(componentCheck(inputs, rawInputs).stream()
                        .filter(f -> missing.stream().noneMatch(m -> m.property().equals(f.property()))).toList());
            }
            return failures;
        }
        return componentCheck(inputs, rawInputs);
    }

    private List<CheckFailure> componentCheck(JsonObject inputs, JsonObject rawInputs) {
        A typed;
        try {
            typed = decode(inputs);
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            return List.of(new CheckFailure("", "inputs do not have the schema's shape: " + e.getMessage()));
        }
        return component.check(typed, Unknowns.in(rawInputs));
    }

    /** Constructs the component from inputs that passed {@link #check}. */
    public JsonObject construct(ResourceContext ctx, JsonObject rawInputs, ComponentResource.Children children) {
        JsonObject inputs = complete(rawInputs);
        return component.construct(ctx, new ComponentResource.Inputs<>(decode(inputs), EngineValue.wire(inputs)), children);
    }

    private JsonObject complete(JsonObject rawInputs) {
        return schema.withDefaults(token(), component.implied(rawInputs.deepCopy()));
    }

    private A decode(JsonObject inputs) {
        return GSON.fromJson(Values.plain(inputs), component.inputType());
    }
}
