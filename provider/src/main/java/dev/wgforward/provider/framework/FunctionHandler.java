package dev.wgforward.provider.framework;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.wgforward.provider.wire.Values;
import java.util.ArrayList;
import java.util.List;

/** Runs one {@link ProviderFunction} on property trees: schema defaults and checks, then the typed call. */
public final class FunctionHandler<I extends Record, O extends Record> {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final ProviderFunction<I, O> function;
    private final Schema schema;

    public FunctionHandler(ProviderFunction<I, O> function, Schema schema) {
        this.function = function;
        this.schema = schema;
    }

    /** The engine's invoke: failures are the arguments' problems, named; else the result. */
    public record Result(JsonObject outputs, List<CheckFailure> failures) {}

    public Result invoke(ResourceContext ctx, JsonObject rawArgs) {
        JsonObject args = schema.withDefaults(function.token(), rawArgs);
        List<CheckFailure> failures = new ArrayList<>(schema.missingRequired(function.token(), args));
        failures.addAll(schema.typeErrors(function.token(), args));
        if (failures.isEmpty()) {
            I typed = GSON.fromJson(Values.plain(args), function.inputType());
            failures.addAll(function.check(typed));
            if (failures.isEmpty()) {
                return new Result((JsonObject) GSON.toJsonTree(function.invoke(ctx, typed)), List.of());
            }
        }
        return new Result(new JsonObject(), failures);
    }
}
