package dev.wgforward.provider.rpc;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resource operations that failed in this plugin process, for a Construct waiting on its children.
 *
 * <p>Why: when a child's create fails, the engine cancels the run without ever answering the
 * child's registration, then stops this plugin. A Construct that waited for that answer was cut
 * off mid-call, and the engine reported it on the component as "grpc: the client connection is
 * closing" (pulumi/pulumi#19275). The children are served by this same process, so the Construct
 * learns of the failure here, at once, and ends with an error that names the child.
 */
final class FailedOperations {
    private final Map<String, CompletableFuture<Void>> watched = new ConcurrentHashMap<>();

    /** Completes when an operation on {@code urn} fails in this process; watch before registering it. */
    CompletableFuture<Void> watch(String urn) {
        return watched.computeIfAbsent(urn, u -> new CompletableFuture<>());
    }

    void forget(String urn) {
        watched.remove(urn);
    }

    /** An operation on {@code urn} failed (a resource nobody watches is not remembered). */
    void failed(String urn) {
        CompletableFuture<Void> signal = watched.get(urn);
        if (signal != null) {
            signal.complete(null);
        }
    }
}
