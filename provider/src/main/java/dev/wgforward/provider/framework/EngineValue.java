package dev.wgforward.provider.framework;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import dev.wgforward.provider.wire.Values;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A value as the engine has it: absent, not known yet (preview), or known; secret or not. What is
 * derived with {@link #apply} or {@link #combine} is unknown when what it comes from is unknown,
 * and secret when that is secret, so a component cannot forget either while it wires its inputs
 * and its children's outputs into other children. The plain value is only handed to the
 * functions that derive from it.
 *
 * <p>{@code EngineValue<JsonElement>} holds a subtree of the engine's property values as it came
 * (secrets and unknowns nested inside stay marked): {@link #field} walks into it, and a secret
 * object's fields are secret too.
 */
public final class EngineValue<T> {
    private static final Gson GSON = new Gson();

    private enum State { ABSENT, UNKNOWN, KNOWN }

    private static final EngineValue<?> ABSENT = new EngineValue<>(State.ABSENT, null, false);

    private final State state;
    private final T value;
    private final boolean secret;

    private EngineValue(State state, T value, boolean secret) {
        this.state = state;
        this.value = value;
        this.secret = secret;
    }

    /** A known value; {@code null} is an absent one. */
    public static <T> EngineValue<T> of(T value) {
        return value == null ? absent() : new EngineValue<>(State.KNOWN, value, false);
    }

    @SuppressWarnings("unchecked")
    public static <T> EngineValue<T> absent() {
        return (EngineValue<T>) ABSENT;
    }

    public static <T> EngineValue<T> unknown() {
        return new EngineValue<>(State.UNKNOWN, null, false);
    }

    /** A property value as the engine sent it: secret and unknown markers become this value's own. */
    public static EngineValue<JsonElement> wire(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return absent();
        }
        if (Values.isSecret(e)) {
            return wire(e.getAsJsonObject().has("value") ? e.getAsJsonObject().get("value") : Values.unknown()).asSecret();
        }
        if (Values.isUnknown(e)) {
            return unknown();
        }
        return new EngineValue<>(State.KNOWN, e, false);
    }

    /** The same value, secret. */
    public EngineValue<T> asSecret() {
        return state == State.ABSENT || secret ? this : new EngineValue<>(state, value, true);
    }

    public boolean isKnown() {
        return state == State.KNOWN;
    }

    public boolean isUnknown() {
        return state == State.UNKNOWN;
    }

    public boolean isAbsent() {
        return state == State.ABSENT;
    }

    public boolean isSecret() {
        return secret;
    }

    /** {@code fn} of the value: absent stays absent, unknown stays unknown, secret stays secret. */
    public <R> EngineValue<R> apply(Function<? super T, ? extends R> fn) {
        if (state != State.KNOWN) {
            return state == State.ABSENT ? absent() : new EngineValue<>(State.UNKNOWN, null, secret);
        }
        EngineValue<R> derived = of(fn.apply(value));
        return secret ? derived.asSecret() : derived;
    }

    /** {@code fn} of both values: unknown if either is unknown, else absent if either is absent; secret if either is. */
    public static <A, B, R> EngineValue<R> combine(EngineValue<A> a, EngineValue<B> b, BiFunction<? super A, ? super B, ? extends R> fn) {
        boolean secret = a.secret || b.secret;
        EngineValue<R> derived;
        if (a.isUnknown() || b.isUnknown()) {
            derived = unknown();
        } else if (a.isAbsent() || b.isAbsent()) {
            return absent();
        } else {
            derived = of(fn.apply(a.value, b.value));
        }
        return secret ? derived.asSecret() : derived;
    }

    /**
     * {@code fn} of several values, which it reads with {@link Known#get}: unknown if any is
     * unknown, else absent if any is absent; secret if any is.
     */
    public static <R> EngineValue<R> all(Function<Known, ? extends R> fn, EngineValue<?>... values) {
        boolean secret = false;
        boolean unknown = false;
        boolean absent = false;
        for (EngineValue<?> v : values) {
            secret |= v.secret;
            unknown |= v.isUnknown();
            absent |= v.isAbsent();
        }
        EngineValue<R> derived = unknown ? unknown() : absent ? absent() : of(fn.apply(new Known()));
        return secret ? derived.asSecret() : derived;
    }

    /** Hands the functions of {@link #all} the plain values, which are known there. */
    public static final class Known {
        private Known() {}

        public <T> T get(EngineValue<T> value) {
            if (!value.isKnown()) {
                throw new IllegalStateException("read a value that is " + value + " (pass it to EngineValue.all)");
            }
            return value.value;
        }
    }

    /** This value, or {@code fallback} where this one is absent (not where it is only unknown). */
    public EngineValue<T> orElse(EngineValue<T> fallback) {
        return isAbsent() ? fallback : this;
    }

    /** During a preview a child's output that is not there yet is unknown, not absent. */
    public EngineValue<T> absentIsUnknown() {
        return isAbsent() ? unknown() : this;
    }

    /** The typed value of a wire subtree ({@code EngineValue<JsonElement>}), decoded like the records. */
    public <R> EngineValue<R> as(Class<R> type) {
        return apply(e -> GSON.fromJson(Values.plain((JsonElement) e), type));
    }

    /** Field {@code name} of a wire object: secret if the object is, unknown if the object is. */
    public EngineValue<JsonElement> field(String name) {
        if (state != State.KNOWN) {
            return state == State.ABSENT ? absent() : new EngineValue<>(State.UNKNOWN, null, secret);
        }
        JsonElement object = (JsonElement) value;
        EngineValue<JsonElement> field = object.isJsonObject() ? wire(object.getAsJsonObject().get(name)) : absent();
        return secret ? field.asSecret() : field;
    }

    /** Item {@code index} of a wire array: secret if the array is, unknown if the array is; absent past its end. */
    public EngineValue<JsonElement> item(int index) {
        if (state != State.KNOWN) {
            return state == State.ABSENT ? absent() : new EngineValue<>(State.UNKNOWN, null, secret);
        }
        JsonElement array = (JsonElement) value;
        EngineValue<JsonElement> item = array.isJsonArray() && index < array.getAsJsonArray().size()
                ? wire(array.getAsJsonArray().get(index)) : absent();
        return secret ? item.asSecret() : item;
    }

    /** The engine's property value: null when absent, its unknown marker, the value, each wrapped as a secret if secret. */
    public JsonElement toWire() {
        JsonElement plain = switch (state) {
            case ABSENT -> JsonNull.INSTANCE;
            case UNKNOWN -> Values.unknown();
            case KNOWN -> value instanceof JsonElement e ? e : GSON.toJsonTree(value);
        };
        return secret && state != State.ABSENT ? Values.secret(plain) : plain;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EngineValue<?> other && state == other.state && secret == other.secret && Objects.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(state, value, secret);
    }

    @Override
    public String toString() {
        String shown = switch (state) {
            case ABSENT -> "absent";
            case UNKNOWN -> "unknown";
            case KNOWN -> secret ? "[secret]" : String.valueOf(value);
        };
        return secret && state != State.KNOWN ? "secret " + shown : shown;
    }
}
