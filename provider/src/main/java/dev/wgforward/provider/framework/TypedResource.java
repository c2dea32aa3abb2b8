package dev.wgforward.provider.framework;

/** The type token and record types of a {@link CustomResource}, given once in its constructor. */
public abstract class TypedResource<I extends Record, O extends Record> implements CustomResource<I, O> {
    private final String token;
    private final Class<I> inputType;
    private final Class<O> outputType;

    protected TypedResource(String token, Class<I> inputType, Class<O> outputType) {
        this.token = token;
        this.inputType = inputType;
        this.outputType = outputType;
    }

    @Override
    public final String token() {
        return token;
    }

    @Override
    public final Class<I> inputType() {
        return inputType;
    }

    @Override
    public final Class<O> outputType() {
        return outputType;
    }
}
