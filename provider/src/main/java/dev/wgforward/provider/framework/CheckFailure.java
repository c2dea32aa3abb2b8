package dev.wgforward.provider.framework;

/** A bad input, reported at preview: which property (a path like {@code forwards[1].port}) and why. */
public record CheckFailure(String property, String reason) {}
