package dev.wgforward.provider.framework;

import com.google.gson.JsonObject;

/**
 * A component served through Construct: it registers child resources with the engine and returns
 * its outputs. Children are registered through {@link ChildRegistrar}, so the component code never
 * sees the protocol.
 */
public interface ComponentResource {
    String token();

    /** Registers the children under the component and returns the component's outputs. */
    JsonObject construct(ResourceContext ctx, JsonObject inputs, ChildRegistrar children);

    /** Registers one child resource and waits for its outputs (unknown during preview). */
    interface ChildRegistrar {
        JsonObject register(String type, String name, JsonObject inputs, ChildOptions options);
    }

    /**
     * Options for a child: resource outputs of other children it depends on are passed as
     * dependencies so the engine orders creates and deletes correctly.
     */
    record ChildOptions(java.util.List<String> dependsOn, java.util.List<String> additionalSecretOutputs,
            boolean deleteBeforeReplace) {
        public static ChildOptions none() {
            return new ChildOptions(java.util.List.of(), java.util.List.of(), false);
        }
    }
}
