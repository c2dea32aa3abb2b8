package dev.wgforward.provider.host.firewall;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Follows one of the relay's filter chains the way netfilter would for a packet of a forward, as
 * far as it can be known without the packet: a rule whose every match is known to hold for the
 * packet decides (accept, drop, return, jump); a rule with any other match is passed over. So a
 * drop is only ever reported when it is certain — a catch-all drop or reject, or the policy at
 * the end — and an accept counts when it certainly covers the packet.
 */
final class ChainWalk {
    private ChainWalk() {}

    /** The two kinds of packet every forward consists of. */
    enum Flow {
        /** The client's packets after DNAT: in from the tunnel, to the target. */
        TO_TARGET,
        /** The target's replies: out into the tunnel, on an established connection. */
        REPLY
    }

    /** What a rule does to a packet of a flow. */
    sealed interface Verdict {
        /** The rule may not match the packet: it is passed over. */
        record PassOver() implements Verdict {}

        record Accept() implements Verdict {}

        record Drop(String rule) implements Verdict {}

        record Return() implements Verdict {}

        /** {@code jump} (comes back) or {@code goto} (does not). */
        record Jump(String chain, boolean comesBack) implements Verdict {}
    }

    /** A chain's rules; {@code dropPolicy} only matters for base chains. */
    record Chain(String name, boolean dropPolicy, List<String> rules) {}

    /** Reads one rule of a tool's syntax: its verdict for a packet of {@code flow}. */
    interface RuleReader {
        Verdict verdict(String rule, Flow flow);
    }

    /** Deep enough for any real ruleset; a loop (which the kernel refuses anyway) stops here. */
    private static final int MAX_DEPTH = 16;

    /** Why the base chain certainly drops packets of {@code flow}, or empty. */
    static Optional<String> dropReason(Map<String, Chain> chains, Chain base, Flow flow, RuleReader reader) {
        Outcome outcome = walk(chains, base, flow, reader, 0);
        if (outcome instanceof Outcome.Dropped dropped) {
            return Optional.of(dropped.reason());
        }
        return outcome instanceof Outcome.Undecided && base.dropPolicy() ? Optional.of("policy drop") : Optional.empty();
    }

    /** How a chain ends for a packet. */
    private sealed interface Outcome {
        record Accepted() implements Outcome {}

        record Dropped(String reason) implements Outcome {}

        /** The chain ends, or returns, without a verdict. */
        record Undecided() implements Outcome {}
    }

    private static Outcome walk(Map<String, Chain> chains, Chain chain, Flow flow, RuleReader reader, int depth) {
        if (depth > MAX_DEPTH) {
            return new Outcome.Undecided();
        }
        for (String rule : chain.rules()) {
            Verdict verdict = reader.verdict(rule, flow);
            if (verdict instanceof Verdict.Accept) {
                return new Outcome.Accepted();
            }
            if (verdict instanceof Verdict.Drop drop) {
                return new Outcome.Dropped("rule `" + drop.rule() + "`" + (depth == 0 ? "" : " in chain " + chain.name()));
            }
            if (verdict instanceof Verdict.Return) {
                return new Outcome.Undecided();
            }
            if (verdict instanceof Verdict.Jump jump) {
                Chain target = chains.get(jump.chain());
                Outcome outcome = target == null ? new Outcome.Undecided() : walk(chains, target, flow, reader, depth + 1);
                // After a goto the packet never comes back to this chain.
                if (!(outcome instanceof Outcome.Undecided) || !jump.comesBack()) {
                    return outcome;
                }
            }
        }
        return new Outcome.Undecided();
    }
}
