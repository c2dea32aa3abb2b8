package dev.wgforward.provider.framework;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The resource types this provider serves, by type token. */
public final class Registry {
    private final Schema schema;
    private final Map<String, ResourceHandler<?, ?>> resources = new LinkedHashMap<>();
    private final Map<String, ComponentHandler<?>> components = new LinkedHashMap<>();
    private final Map<String, FunctionHandler<?, ?>> functions = new LinkedHashMap<>();

    public Registry(Schema schema) {
        this.schema = schema;
    }

    public <I extends Record, O extends Record> Registry add(CustomResource<I, O> resource) {
        if (!schema.hasResource(resource.token())) {
            throw new IllegalStateException(resource.token() + " is not declared in schema.json");
        }
        List<String> problems = new ArrayList<>(SchemaConformance.problems(schema, resource.token(), resource.inputType(), resource.outputType(),
                resource.plannedOutputs()));
        Set<String> twice = new TreeSet<>(resource.replaceOnChanges());
        twice.retainAll(schema.replaceOnChanges(resource.token()));
        if (!twice.isEmpty()) {
            problems.add(resource.token() + ": replaceOnChanges " + twice + " is marked in schema.json already; say it in one place");
        }
        refuseDrift(problems);
        resources.put(resource.token(), new ResourceHandler<>(resource, schema));
        return this;
    }

    public <A extends Record> Registry add(ComponentResource<A> component) {
        if (!schema.hasResource(component.token())) {
            throw new IllegalStateException(component.token() + " is not declared in schema.json");
        }
        refuseDrift(SchemaConformance.problems(schema, component.token(), component.inputType(), null));
        components.put(component.token(), new ComponentHandler<>(component, schema));
        return this;
    }

    public <I extends Record, O extends Record> Registry add(ProviderFunction<I, O> function) {
        if (!schema.hasFunction(function.token())) {
            throw new IllegalStateException(function.token() + " is not declared in schema.json");
        }
        refuseDrift(SchemaConformance.problems(schema, function.token(), function.inputType(), function.outputType()));
        functions.put(function.token(), new FunctionHandler<>(function, schema));
        return this;
    }

    public Optional<FunctionHandler<?, ?>> function(String token) {
        return Optional.ofNullable(functions.get(token));
    }

    private static void refuseDrift(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalStateException("schema.json and the resource records disagree:\n  " + String.join("\n  ", problems));
        }
    }

    public ResourceHandler<?, ?> resource(String token) {
        ResourceHandler<?, ?> handler = resources.get(token);
        if (handler == null) {
            throw new ProviderException("wgforward has no custom resource type '" + token + "'; it has " + resources.keySet());
        }
        return handler;
    }

    public Optional<ComponentHandler<?>> component(String token) {
        return Optional.ofNullable(components.get(token));
    }
}
