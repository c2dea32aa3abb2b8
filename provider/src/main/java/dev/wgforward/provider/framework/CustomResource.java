package dev.wgforward.provider.framework;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One custom resource type: typed inputs {@code I}, typed computed outputs {@code O}. The
 * framework stores state as the inputs plus the outputs, applies the schema's defaults, secrets
 * and required inputs, and diffs property by property; a resource adds its own validation, its
 * replace rules and the host work.
 *
 * <p>Records are decoded with gson: unknown values (preview) and absent values both arrive as
 * {@code null}; after Check every schema default is filled in.
 */
public interface CustomResource<I extends Record, O extends Record> {

    /** The type token, e.g. {@code wgforward:index:KeyPair}. */
    String token();

    Class<I> inputType();

    Class<O> outputType();

    /** Extra validation beyond required inputs; skip values that are null (unknown in preview). */
    default List<CheckFailure> check(I inputs) {
        return List.of();
    }

    /**
     * What the framework calls: {@link #check(Record)}, unless a resource has a rule that needs to
     * tell an absent value from one that is only unknown yet ({@code unknowns}).
     */
    default List<CheckFailure> check(I inputs, Unknowns unknowns) {
        return check(inputs);
    }

    /**
     * The names of this resource's planned outputs: text that follows from the inputs alone (and
     * the URN), such as the rules or the file a host will get. They are schema outputs that the
     * outputs record does not hold: the framework renders them with {@link #plan} before anything
     * runs on a host.
     */
    default Set<String> plannedOutputs() {
        return Set.of();
    }

    /**
     * Renders the planned outputs of valid inputs; a value is null while an input it needs is
     * unknown ({@code unknowns}, preview). Check adds them to the inputs, because a preview shows
     * how inputs change, never outputs: so `pulumi preview --diff` shows them line by line. State
     * keeps them beside the outputs, and refresh renders them again from what it found on the host.
     * Never put a secret in one: it is stored and shown in plain text.
     */
    default Map<String, String> plan(String urn, I inputs, Unknowns unknowns) {
        return Map.of();
    }

    /**
     * Property paths whose change replaces the resource, beyond the top-level inputs schema.json
     * marks {@code replaceOnChanges} (a path the schema cannot mark, inside a shared object type);
     * a path matches itself and everything below it ({@code connection.host}).
     */
    default Set<String> replaceOnChanges() {
        return Set.of();
    }

    /**
     * The version of the shape of this resource's state. Raise it when a property is renamed or
     * reshaped, and teach {@link #migrateState} to carry the previous version's state over.
     */
    default int stateVersion() {
        return 1;
    }

    /**
     * Stored state (inputs plus outputs, as property trees with secrets wrapped) of version
     * {@code version}, brought to the shape of version {@code version + 1}.
     */
    default JsonObject migrateState(int version, JsonObject state) {
        throw new IllegalStateException(token() + " declares state version " + stateVersion() + " but cannot migrate version " + version);
    }

    /** True when the old and new resource cannot exist side by side (same host object). */
    default boolean deleteBeforeReplace() {
        return false;
    }

    /** Creates the resource; in preview, predicts its outputs (null = not known until created). */
    Created<O> create(ResourceContext ctx, I inputs);

    /** Reads the resource back from where it lives; empty means it is gone. */
    Optional<State<I, O>> read(ResourceContext ctx, String id, State<I, O> state);

    /** Brings the resource in line with new inputs, in place. */
    O update(ResourceContext ctx, String id, State<I, O> olds, I news);

    /** Removes everything the resource made; succeeds if it is already gone. */
    void delete(ResourceContext ctx, String id, State<I, O> state);

    record Created<O>(String id, O outputs) {}

    record State<I, O>(I inputs, O outputs) {}
}
