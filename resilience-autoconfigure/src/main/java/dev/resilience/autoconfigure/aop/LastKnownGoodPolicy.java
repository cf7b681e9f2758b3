package dev.resilience.autoconfigure.aop;

import dev.resilience.annotation.LastKnownGood;
import dev.resilience.lastknowngood.LastKnownGoodRegistry;

/**
 * A method's {@code @LastKnownGood} at one of its two places in the pipeline. Without a {@code @Fallback}, or
 * with {@code before-fallback: true}, one step inside the fallback both stores and serves. Otherwise the step
 * inside the fallback only stores (so a fallback's answer never reaches the store) and a second step outside the
 * fallback only serves, once the fallback chain has not answered.
 *
 * @param store the instance
 * @param key the call's key
 * @param stores whether this step stores good results
 * @param serves whether this step answers failures from the store (and tells {@code ResilienceContext})
 */
record LastKnownGoodPolicy(dev.resilience.lastknowngood.LastKnownGood store, CallKey key, boolean stores,
        boolean serves) {

    /**
     * The policy of {@code declared} at its place outside the fallback chain ({@code outside}) or inside it;
     * {@code null} where the method has no step.
     */
    static LastKnownGoodPolicy resolve(GuardedMethod guarded, LastKnownGood declared, PolicyKind.Context context,
            boolean outside) {
        String name = guarded.instanceName(declared, declared.value(), declared.name());
        LastKnownGoodRegistry registry = context.lastKnownGood();
        if (registry == null) {
            throw new IllegalStateException("@LastKnownGood on " + guarded.describe() + " needs a "
                    + "LastKnownGoodRegistry, and the pipeline factory has none");
        }
        return at(registry.get(name), CallKey.of(declared.key(), guarded),
                guarded.annotation(PolicyKind.FALLBACK) != null, outside);
    }

    /**
     * The policy of {@code store} at its place outside the fallback chain ({@code outside}) or inside it, for calls
     * with or without fallbacks; {@code null} where there is no step.
     */
    static LastKnownGoodPolicy at(dev.resilience.lastknowngood.LastKnownGood store, CallKey key,
            boolean hasFallback, boolean outside) {
        boolean servedOutside = !store.getConfig().beforeFallback() && hasFallback;
        if (outside) {
            return servedOutside ? new LastKnownGoodPolicy(store, key, false, true) : null;
        }
        return new LastKnownGoodPolicy(store, key, true, !servedOutside);
    }
}
