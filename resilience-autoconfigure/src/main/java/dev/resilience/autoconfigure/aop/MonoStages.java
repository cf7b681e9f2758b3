package dev.resilience.autoconfigure.aop;

import dev.resilience.autoconfigure.aop.GuardedMono.Stage;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.chaos.Chaos;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.degradation.Feature;
import dev.resilience.fallback.FallbackChain;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.retry.Retry;
import dev.resilience.timeout.Timeout;
import java.util.List;
import org.aopalliance.intercept.MethodInvocation;

/**
 * Builds the {@link Stage}s of a {@code Mono} method, walking the kinds as every pipeline does: the breaker, retry,
 * bulkhead, timeout, rate limiter, chaos, fallback and degradable stages ({@link MonoPolicies}). Last-known-good has
 * no stage here and answers {@code null}: such a method keeps the {@code Flux} operators of {@link ReactorPipeline}
 * (its serving step takes the caller's capture at the call, which a call's one object has no room to keep).
 */
final class MonoStages implements PolicyKind.ReactiveSteps {

    private static final MonoStages STEPS = new MonoStages();

    private static final Stage[] NONE = {};

    private MonoStages() {
    }

    /**
     * The stages of {@code present}'s policies (innermost first), outermost first; {@code null} when one of them has
     * no {@code Mono} stage.
     */
    static Stage[] of(PolicyKind[] present, Object[] policies) {
        Object stages = NONE;
        for (PolicyKind kind : present) {
            stages = kind.reactive(STEPS, policies[kind.index()], stages, null);
            if (stages == null) {
                return null;
            }
        }
        return (Stage[]) stages;
    }

    /** {@code inner} with {@code stage} outside it. */
    private static Stage[] around(Stage stage, Object inner) {
        Stage[] stages = (Stage[]) inner;
        Stage[] around = new Stage[stages.length + 1];
        around[0] = stage;
        System.arraycopy(stages, 0, around, 1, stages.length);
        return around;
    }

    @Override
    public Object fallback(FallbackChain chain, Object next, MethodInvocation invocation) {
        return around(new MonoPolicies.Fallback(chain), next);
    }

    @Override
    public Object degradable(Feature feature, Object next) {
        return around(new MonoPolicies.Degradable(feature), next);
    }

    @Override
    public Object retry(Retry retry, Object next) {
        return around(new MonoPolicies.Retrying(retry), next);
    }

    @Override
    public Object circuitBreaker(CircuitBreaker breaker, Object next) {
        return around(new MonoPolicies.Breaker(breaker), next);
    }

    @Override
    public Object bulkhead(Bulkhead bulkhead, Object next) {
        return around(new MonoPolicies.Slot(bulkhead), next);
    }

    @Override
    public Object rateLimiter(RateLimiter limiter, Object next) {
        return around(new MonoPolicies.Paced(limiter), next);
    }

    @Override
    public Object timeout(Timeout timeout, Object next) {
        return around(new MonoPolicies.Timed(timeout), next);
    }

    @Override
    public Object chaos(List<Chaos> chaos, Object next) {
        return around(new MonoPolicies.Chaotic(chaos), next);
    }

    @Override
    public Object lastKnownGood(LastKnownGoodPolicy policy, Object next, MethodInvocation invocation) {
        return null;
    }
}
