package dev.wgforward.provider.framework;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import dev.wgforward.provider.framework.CustomResource.Created;
import dev.wgforward.provider.framework.CustomResource.State;
import dev.wgforward.provider.framework.DiffResult.Change;
import dev.wgforward.provider.framework.DiffResult.Kind;
import dev.wgforward.provider.wire.Values;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Runs one {@link CustomResource} on property trees: decodes typed records, applies the schema
 * (defaults, required inputs, secret outputs), diffs property by property and encodes state as
 * inputs plus outputs. Protocol-free: the adapter converts to and from protobuf.
 */
public final class ResourceHandler<I extends Record, O extends Record> {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    static final String HIDDEN = "[secret]";
    /**
     * Where state records the version of its shape, when above 1 (state from before versions
     * existed has version 1's shape; leaving it out keeps a refresh of such state quiet).
     */
    static final String STATE_VERSION = "__stateVersion";

    private final CustomResource<I, O> resource;
    private final Schema schema;
    private final Set<String> secretOutputs;
    private final Set<String> replacePaths;

    public ResourceHandler(CustomResource<I, O> resource, Schema schema) {
        this.resource = resource;
        this.schema = schema;
        this.secretOutputs = schema.secretOutputs(resource.token());
        Set<String> replace = new TreeSet<>(schema.replaceOnChanges(resource.token()));
        replace.addAll(resource.replaceOnChanges());
        this.replacePaths = Set.copyOf(replace);
    }

    public record CheckResult(JsonObject inputs, List<CheckFailure> failures) {}

    /** {@link #check(String, JsonObject)} for a resource whose URN does not matter (its planned outputs' owner mark aside). */
    public CheckResult check(JsonObject news) {
        return check("", news);
    }

    /**
     * Defaults, required inputs, types and the resource's own rules; for valid inputs, also the
     * planned outputs (see {@link CustomResource#plan}), unknown where an input they need is.
     */
    public CheckResult check(String urn, JsonObject news) {
        JsonObject inputs = schema.withDefaults(resource.token(), news);
        List<CheckFailure> failures = new ArrayList<>(schema.missingRequired(resource.token(), inputs));
        failures.addAll(schema.typeErrors(resource.token(), inputs)); // includes misspelt property names
        JsonObject checked = onlyInputs(inputs);
        if (failures.isEmpty()) {
            try {
                I typed = decodeInputs(inputs);
                Unknowns unknowns = Unknowns.in(inputs);
                failures.addAll(resource.check(typed, unknowns));
                if (failures.isEmpty()) {
                    addPlan(checked, resource.plan(urn, typed, unknowns));
                }
            } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
                failures.add(new CheckFailure("", "inputs do not have the schema's shape: " + hideSecrets(e.getMessage(), inputs)));
            } catch (IllegalArgumentException e) {
                failures.add(new CheckFailure("", "an input was refused: " + hideSecrets(e.getMessage(), inputs)));
            }
        }
        return new CheckResult(checked, failures);
    }

    /** Puts each planned output into {@code properties}: its text, or unknown when null. */
    private void addPlan(JsonObject properties, Map<String, String> plan) {
        for (String name : resource.plannedOutputs()) {
            String text = plan.get(name);
            properties.add(name, text == null ? Values.unknown() : new JsonPrimitive(text));
        }
    }

    public DiffResult diff(JsonObject storedOutputs, JsonObject news) {
        JsonObject oldOutputs = current(storedOutputs);
        Map<String, Change> changes = new LinkedHashMap<>();
        Set<String> names = new TreeSet<>(schema.inputNames(resource.token()));
        for (String name : names) {
            diff(name, oldOutputs.get(name), news.get(name), changes);
        }
        // A planned output changes with the inputs it is rendered from, or with what this plugin
        // writes to hosts. State from before it existed lacks it: that alone is no change.
        for (String name : resource.plannedOutputs()) {
            if (oldOutputs.has(name) && !oldOutputs.get(name).isJsonNull()) {
                diff(name, oldOutputs.get(name), news.get(name), changes);
            }
        }
        return new DiffResult(changes, resource.deleteBeforeReplace()
                && changes.values().stream().anyMatch(Change::replace));
    }

    /**
     * Compares old state with new inputs down to the leaves, so the preview names the exact
     * property ({@code forwards[0].targetPort}). Secrets compare by value; an unknown (preview)
     * is always a change.
     */
    private void diff(String path, JsonElement oldValue, JsonElement newValue, Map<String, Change> changes) {
        JsonElement o = Values.unwrapSecret(oldValue);
        JsonElement n = Values.unwrapSecret(newValue);
        boolean oldAbsent = o == null || o.isJsonNull();
        if (n != null && Values.isUnknown(n)) {
            changes.put(path, new Change(oldAbsent ? Kind.ADD : Kind.UPDATE, replaces(path)));
            return;
        }
        boolean newAbsent = n == null || n.isJsonNull();
        if (oldAbsent || newAbsent) {
            if (oldAbsent != newAbsent) {
                changes.put(path, new Change(oldAbsent ? Kind.ADD : Kind.DELETE, replaces(path)));
            }
            return;
        }
        if (o.isJsonObject() && n.isJsonObject()) {
            Set<String> keys = new TreeSet<>(o.getAsJsonObject().keySet());
            keys.addAll(n.getAsJsonObject().keySet());
            for (String key : keys) {
                diff(path + "." + key, o.getAsJsonObject().get(key), n.getAsJsonObject().get(key), changes);
            }
        } else if (o.isJsonArray() && n.isJsonArray() && o.getAsJsonArray().size() == n.getAsJsonArray().size()) {
            for (int i = 0; i < o.getAsJsonArray().size(); i++) {
                diff(path + "[" + i + "]", o.getAsJsonArray().get(i), n.getAsJsonArray().get(i), changes);
            }
        } else if (!Values.plain(o).equals(Values.plain(n))) {
            changes.put(path, new Change(Kind.UPDATE, replaces(path)));
        }
    }

    /** A change at {@code path} replaces if it is at or below a replace path, or contains one. */
    private boolean replaces(String path) {
        for (String p : replacePaths) {
            if (path.equals(p) || path.startsWith(p + ".") || path.startsWith(p + "[")
                    || p.startsWith(path + ".") || p.startsWith(path + "[")) {
                return true;
            }
        }
        return false;
    }

    public record CreateResult(String id, JsonObject outputs) {}

    public CreateResult create(ResourceContext ctx, JsonObject inputs) {
        Created<O> created = refusingBadValues(ctx, "create", inputs, () -> resource.create(ctx, decodeInputs(inputs)));
        return new CreateResult(created.id(), encodeState(inputs, created.outputs(), ctx.preview()));
    }

    public record ReadResult(String id, JsonObject outputs, JsonObject inputs) {}

    /** Empty when the resource is gone (the engine then drops it from the state). */
    public Optional<ReadResult> read(ResourceContext ctx, String id, JsonObject storedOutputs, JsonObject storedInputs) {
        JsonObject oldOutputs = current(storedOutputs);
        JsonObject oldInputs = storedInputs == null ? null : current(storedInputs);
        JsonObject inputsPart = onlyInputs(oldOutputs);
        Optional<State<I, O>> observed = refusingBadValues(ctx, "read", oldOutputs,
                () -> resource.read(ctx, id, decodeState(oldOutputs)));
        if (observed.isEmpty()) {
            return Optional.empty();
        }
        // Keep the stored representation (secret wrappers included) where nothing drifted.
        JsonObject observedInputs = (JsonObject) GSON.toJsonTree(observed.get().inputs());
        JsonObject merged = inputsPart.deepCopy();
        for (String name : schema.inputNames(resource.token())) {
            JsonElement seen = observedInputs.get(name);
            JsonElement stored = inputsPart.get(name);
            JsonElement storedPlain = stored == null ? null : Values.plain(stored);
            if (seen == null || seen.isJsonNull()) {
                if (storedPlain != null && !storedPlain.isJsonNull()) {
                    merged.remove(name);
                }
            } else if (!seen.equals(storedPlain)) {
                merged.add(name, stored != null && Values.containsSecret(stored) ? Values.secret(seen) : seen);
            }
        }
        replan(ctx, oldOutputs, merged);
        JsonObject inputs = oldInputs == null || oldInputs.size() == 0 ? inputsPart : oldInputs;
        return Optional.of(new ReadResult(id, encodeState(merged, observed.get().outputs(), false), inputs));
    }

    /**
     * The planned outputs rendered again from what a read found ({@code observed}), so that drift
     * shows in them too and an untouched resource reads back exactly as stored. State from before
     * they existed stays without them; one that cannot be rendered from a partial view keeps its
     * stored text (the inputs it comes from show the drift).
     */
    private void replan(ResourceContext ctx, JsonObject stored, JsonObject observed) {
        Map<String, String> plan;
        try {
            plan = resource.plan(ctx.urn(), decodeInputs(observed), Unknowns.NONE);
        } catch (IllegalArgumentException | JsonParseException | IllegalStateException e) {
            plan = Map.of();
        }
        for (String name : resource.plannedOutputs()) {
            JsonElement before = stored.get(name);
            if (before == null || before.isJsonNull()) {
                continue;
            }
            String text = plan.get(name);
            observed.add(name, text == null ? before : new JsonPrimitive(text));
        }
    }

    public JsonObject update(ResourceContext ctx, String id, JsonObject storedOutputs, JsonObject news) {
        JsonObject oldOutputs = current(storedOutputs);
        O outputs = refusingBadValues(ctx, "update", news, () -> resource.update(ctx, id, decodeState(oldOutputs), decodeInputs(news)));
        return encodeState(news, outputs, ctx.preview());
    }

    public void delete(ResourceContext ctx, String id, JsonObject storedOutputs) {
        JsonObject oldOutputs = current(storedOutputs);
        refusingBadValues(ctx, "delete", oldOutputs, () -> {
            resource.delete(ctx, id, decodeState(oldOutputs));
            return null;
        });
    }

    /**
     * Runs one operation. Check refuses bad values before any operation runs, and the host model
     * refuses them again (an {@link IllegalArgumentException}) as a last line of defence; should
     * one still get through, the user reads which resource and operation refused what, with the
     * resource's secrets hidden, instead of a bare internal error.
     */
    private <T> T refusingBadValues(ResourceContext ctx, String operation, JsonObject properties, Supplier<T> body) {
        try {
            return body.get();
        } catch (IllegalArgumentException e) {
            throw new ProviderException(resource.token() + " '" + ctx.name() + "': " + operation + " refused an input: "
                    + hideSecrets(e.getMessage(), properties)
                    + " (preview should have refused it already: please report this)", e);
        }
    }

    /** {@code message} with every secret string among {@code properties} replaced by {@value #HIDDEN}. */
    static String hideSecrets(String message, JsonElement properties) {
        String hidden = String.valueOf(message);
        List<String> secrets = new ArrayList<>();
        collectSecrets(properties, false, secrets);
        // Longest first: a secret that contains another must not be left half readable.
        secrets.sort((a, b) -> b.length() - a.length());
        for (String secret : secrets) {
            hidden = hidden.replace(secret, HIDDEN);
        }
        return hidden;
    }

    private static void collectSecrets(JsonElement e, boolean inSecret, List<String> out) {
        if (e == null || e.isJsonNull()) {
            return;
        }
        boolean secret = inSecret || Values.isSecret(e);
        if (e.isJsonPrimitive()) {
            if (secret && e.getAsJsonPrimitive().isString() && !e.getAsString().isEmpty()) {
                out.add(e.getAsString());
            }
        } else if (e.isJsonObject()) {
            e.getAsJsonObject().entrySet().stream().filter(f -> !f.getKey().equals(Values.SIG_KEY))
                    .forEach(f -> collectSecrets(f.getValue(), secret, out));
        } else if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(item -> collectSecrets(item, secret, out));
        }
    }

    /** State = the inputs as given (secrets stay wrapped) plus the outputs, secret where the schema says. */
    private JsonObject encodeState(JsonObject inputs, O outputs, boolean preview) {
        JsonObject state = inputs.deepCopy();
        JsonObject out = outputs == null ? new JsonObject() : (JsonObject) GSON.toJsonTree(outputs);
        for (RecordComponent c : resource.outputType().getRecordComponents()) {
            JsonElement v = out.get(c.getName());
            if (v == null || v.isJsonNull()) {
                if (preview) {
                    state.add(c.getName(), secretOutputs.contains(c.getName()) ? Values.secret(Values.unknown()) : Values.unknown());
                }
                continue;
            }
            state.add(c.getName(), secretOutputs.contains(c.getName()) ? Values.secret(v) : v);
        }
        if (resource.stateVersion() > 1) {
            state.addProperty(STATE_VERSION, resource.stateVersion());
        }
        return state;
    }

    /**
     * Stored state (or stored inputs) in the shape this resource writes now: state written by an
     * older version of the plugin is migrated step by step, so that a renamed property is carried
     * over instead of being read as null.
     */
    private JsonObject current(JsonObject stored) {
        JsonElement recorded = stored.get(STATE_VERSION);
        int version = recorded == null || recorded.isJsonNull() ? 1 : Values.plain(recorded).getAsInt();
        int now = resource.stateVersion();
        if (version > now) {
            throw new ProviderException(resource.token() + ": this state was written by a newer wgforward (state version " + version
                    + "; this plugin reads up to " + now + "): run this stack with that version of the plugin or a later one");
        }
        JsonObject state = stored.deepCopy();
        state.remove(STATE_VERSION);
        for (; version < now; version++) {
            state = resource.migrateState(version, state);
        }
        return state;
    }

    private JsonObject onlyInputs(JsonObject properties) {
        JsonObject inputs = new JsonObject();
        for (String name : schema.inputNames(resource.token())) {
            if (properties.has(name)) {
                inputs.add(name, properties.get(name));
            }
        }
        return inputs;
    }

    /** Stored state (inputs plus outputs) as the resource's two records. */
    private State<I, O> decodeState(JsonObject stored) {
        return new State<>(decodeInputs(onlyInputs(stored)), GSON.fromJson(Values.plain(stored), resource.outputType()));
    }

    private I decodeInputs(JsonObject inputs) {
        return GSON.fromJson(Values.plain(inputs), resource.inputType());
    }
}
