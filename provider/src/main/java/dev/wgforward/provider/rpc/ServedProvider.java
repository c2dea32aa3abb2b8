package dev.wgforward.provider.rpc;

import java.util.Optional;

/**
 * The provider resource this plugin process serves, as the engine names it in Configure (its URN
 * and ID: a provider reference). A component's children are registered against it, so they are
 * served by this very process rather than by another default provider the engine would start.
 */
final class ServedProvider {
    private String reference;
    private boolean ambiguous;

    /**
     * Records a Configure. An engine attached to one running plugin for several providers
     * (PULUMI_DEBUG_PROVIDERS) configures it more than once: then no single reference is ours.
     */
    synchronized void configuredAs(String urn, String id) {
        if (urn.isEmpty() || id.isEmpty()) {
            return;
        }
        String configured = urn + "::" + id;
        if (reference != null && !reference.equals(configured)) {
            ambiguous = true;
        }
        reference = configured;
    }

    synchronized Optional<String> reference() {
        return ambiguous ? Optional.empty() : Optional.ofNullable(reference);
    }
}
