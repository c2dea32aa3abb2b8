package dev.wgforward.provider.framework;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The resource types this provider serves, by type token. */
public final class Registry {
    private final Schema schema;
    private final Map<String, ResourceHandler<?, ?>> resources = new LinkedHashMap<>();
    private final Map<String, ComponentResource> components = new LinkedHashMap<>();

    public Registry(Schema schema) {
        this.schema = schema;
    }

    public Schema schema() {
        return schema;
    }

    public <I extends Record, O extends Record> Registry add(CustomResource<I, O> resource) {
        if (!schema.hasResource(resource.token())) {
            throw new IllegalStateException(resource.token() + " is not declared in schema.json");
        }
        resources.put(resource.token(), new ResourceHandler<>(resource, schema));
        return this;
    }

    public Registry add(ComponentResource component) {
        if (!schema.hasResource(component.token())) {
            throw new IllegalStateException(component.token() + " is not declared in schema.json");
        }
        components.put(component.token(), component);
        return this;
    }

    public ResourceHandler<?, ?> resource(String token) {
        ResourceHandler<?, ?> handler = resources.get(token);
        if (handler == null) {
            throw new ProviderException("wgforward has no custom resource type '" + token + "'; it has " + resources.keySet());
        }
        return handler;
    }

    public Optional<ComponentResource> component(String token) {
        return Optional.ofNullable(components.get(token));
    }
}
