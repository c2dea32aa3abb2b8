package dev.wgforward.provider.framework;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.function.Supplier;

/**
 * A multi-language component served through Construct: it registers child resources with the
 * engine and returns its outputs. Like a {@link CustomResource} it has typed inputs {@code A}, with
 * the schema's defaults, required inputs and types applied by the framework ({@link ComponentHandler});
 * it registers its children through {@link Children}, so it never sees the protocol.
 */
public interface ComponentResource<A extends Record> {
    /** The type token, e.g. {@code wgforward:index:PortForward}. */
    String token();

    /** The record the inputs decode into (checked against schema.json when the plugin starts). */
    Class<A> inputType();

    /**
     * The inputs with what an absent value stands for filled in, before the schema's defaults
     * (say, an absent optional object that means "all defaults").
     */
    default JsonObject implied(JsonObject inputs) {
        return inputs;
    }

    /** Validation beyond required inputs and types; skip values that are null (absent, or unknown: ask {@code unknowns}). */
    default List<CheckFailure> check(A inputs, Unknowns unknowns) {
        return List.of();
    }

    /** Registers the children under the component and returns the component's outputs. */
    JsonObject construct(ResourceContext ctx, Inputs<A> inputs, Children children);

    /**
     * The inputs twice over: {@code values} as the typed record (null where absent or not known
     * yet), for decisions; {@code wire} as the engine sent them, for wiring into children, with
     * every secret and unknown still marked (see {@link EngineValue}).
     */
    record Inputs<A>(A values, EngineValue<JsonElement> wire) {}

    /** A registered child: its URN and its outputs (with unknowns during preview). */
    record Child(String urn, JsonObject outputs) {
        /** Output {@code name}, unknown while it is not there yet (preview). */
        public EngineValue<JsonElement> output(String name) {
            return EngineValue.wire(outputs.get(name)).absentIsUnknown();
        }
    }

    /** A child whose registration is under way. */
    interface PendingChild {
        /** Waits for the child's outputs; fails as its registration failed. */
        Child await();

        /** The child's URN, known as soon as its registration starts. */
        String urn();

        /**
         * The child as a dependency of others before its registration is done: its URN, no
         * outputs. For a preview only, where the engine creates nothing, so nothing needs this
         * child to exist first; the engine still records the dependency. Await it as well.
         */
        default Child dependency() {
            return new Child(urn(), new JsonObject());
        }

        /** A child of {@code urn} whose outputs {@code awaiting} waits for. */
        static PendingChild of(String urn, Supplier<Child> awaiting) {
            return new PendingChild() {
                @Override
                public Child await() {
                    return awaiting.get();
                }

                @Override
                public String urn() {
                    return urn;
                }
            };
        }
    }

    interface Children {
        /**
         * Registers a child of the component and waits for its outputs. {@code dependsOn} are
         * children whose outputs flow into {@code inputs}: the engine then creates them first and
         * deletes them last.
         */
        Child register(String type, String name, JsonObject inputs, List<Child> dependsOn);

        /**
         * Starts registering a child and returns at once, so that children that do not depend on
         * each other are created side by side (the engine's own parallelism applies). By default
         * it registers the child before returning.
         */
        default PendingChild start(String type, String name, JsonObject inputs, List<Child> dependsOn) {
            Child child = register(type, name, inputs, dependsOn);
            return PendingChild.of(child.urn(), () -> child);
        }
    }
}
