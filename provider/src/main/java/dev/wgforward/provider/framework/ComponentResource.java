package dev.wgforward.provider.framework;

import com.google.gson.JsonObject;
import java.util.List;

/**
 * A multi-language component served through Construct: it registers child resources with the
 * engine and returns its outputs. The children are registered through {@link Children}, so the
 * component never sees the protocol. Inputs and outputs are property trees in which secrets and
 * unknowns (preview) stay as the engine sent them: passing an output of one child to another
 * keeps it secret, or unknown, as it should.
 */
public interface ComponentResource {
    String token();

    /** The record its inputs decode into (checked against schema.json when the plugin starts). */
    Class<? extends Record> inputType();

    /** Checks the inputs; a non-empty result fails the operation before any child is registered. */
    List<CheckFailure> check(JsonObject inputs);

    /** Registers the children under the component and returns the component's outputs. */
    JsonObject construct(ResourceContext ctx, JsonObject inputs, Children children);

    /** A registered child: its URN and its outputs (with unknowns during preview). */
    record Child(String urn, JsonObject outputs) {}

    /** A child whose registration is under way. */
    interface PendingChild {
        /** Waits for the child's outputs; fails as its registration failed. */
        Child await();
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
            return () -> child;
        }
    }
}
