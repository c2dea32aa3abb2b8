package dev.wgforward.provider.framework;

/**
 * One function (a Pulumi invoke, {@code fn::invoke} in YAML): typed arguments {@code I} with the
 * schema's defaults, required arguments and types applied by the framework, typed result {@code O}.
 */
public interface ProviderFunction<I extends Record, O extends Record> {
    /** The function's token, e.g. {@code wgforward:index:getTunnelStatus}. */
    String token();

    Class<I> inputType();

    Class<O> outputType();

    /** Extra validation beyond required arguments and types. */
    default java.util.List<CheckFailure> check(I inputs) {
        return java.util.List.of();
    }

    O invoke(ResourceContext ctx, I inputs);
}
