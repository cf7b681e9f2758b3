package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Answers a failed call with the last good result for the same key, if it is younger than {@code max-staleness}
 * ({@code resilience.last-known-good.instances.<name>}): a stale-if-error cache on Spring's cache abstraction.
 *
 * <p>Every successful result is stored (for a {@code CompletionStage} or a {@code Mono}, its successful
 * completion); a result that a {@link Fallback} method or the store itself answered is never stored, so a service
 * that recovers is answered live again at once. When the call fails and no fallback answered, the stored result is
 * returned; when there is none, or it is too old, the failure propagates as it would without the annotation. With
 * {@code before-fallback: true} the stored result is tried before the fallback methods instead of after them.
 *
 * <pre>{@code
 * @LastKnownGood("prices")
 * @CircuitBreaker("prices")
 * public Price price(String sku) { ... }
 *
 * @LastKnownGood(value = "quotes", key = "#request.symbol")
 * public Quote quote(QuoteRequest request) { ... }
 * }</pre>
 *
 * <p>After a synchronous call, {@link dev.resilience.ResilienceContext#lastCall()} tells the calling thread
 * whether the answer was stale and how old it was. On a class, it applies to every public method the class and
 * its superclasses declare (not those of {@code Object}); a method's own {@code @LastKnownGood} wins.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface LastKnownGood {

    /** The instance name; alias of {@link #name()}. */
    String value() default "";

    /** The instance name; alias of {@link #value()}. */
    String name() default "";

    /**
     * A SpEL expression over the method's arguments that computes the key, as Spring's {@code @Cacheable} has:
     * {@code #p0} or {@code #a0} for the first argument, {@code #name} for an argument by name (compiled with
     * {@code -parameters}), {@code #root.args} for all of them. Default: all arguments (none: one shared entry;
     * one: the argument itself; more: a key of all of them).
     */
    String key() default "";
}
