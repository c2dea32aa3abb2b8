package dev.wgforward.provider.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Collects check failures; values not known yet (null) are skipped, as preview requires. */
public final class CheckFailures {
    private final List<CheckFailure> failures = new ArrayList<>();

    /** Runs {@code validator} (empty = valid, else the reason) on a known value. */
    public <T> CheckFailures check(String path, T value, Function<T, Optional<String>> validator) {
        if (value != null) {
            validator.apply(value).ifPresent(reason -> failures.add(new CheckFailure(path, reason)));
        }
        return this;
    }

    public CheckFailures add(String path, String reason) {
        failures.add(new CheckFailure(path, reason));
        return this;
    }

    public CheckFailures addAll(List<CheckFailure> more) {
        failures.addAll(more);
        return this;
    }

    public List<CheckFailure> list() {
        return List.copyOf(failures);
    }
}
